"""The audit log exports with its filters, for administrators only, as the page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kehoach.audit.models import Action, AuditEntry, audit_maintenance
from kehoach.audit.tests.test_views import make_entry
from kehoach.core.testing import World, client_for
from kehoach.core.tests.exports import (
    column,
    count_queries,
    csv_table,
    download,
    is_date,
    vi,
    xlsx_notes,
    xlsx_table,
)
from kehoach.org.models import Unit

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(world: World) -> World:
    with audit_maintenance():
        AuditEntry.objects.all().delete()
    return world


def entries(world, n: int = 1) -> None:
    for _ in range(n):
        make_entry(world.cell1, actor=world.coordinator, action=Action.CREATE)
        make_entry(world.cell2, actor=world.admin, action=Action.UPDATE)


def test_an_administrator_exports_every_filtered_entry(world) -> None:
    entries(world, 40)  # 80 entries, more than a page of 50
    client = client_for(world.admin)
    response = download(client, reverse("audit:list"), action=Action.UPDATE)
    header, rows = xlsx_table(response)
    expected = AuditEntry.objects.filter(action=Action.UPDATE)
    assert len(rows) == expected.count() == 40
    assert set(column(header, rows, header[6])) == {world.cell2.name}
    assert header[:4] == vi("Time", "Actor", "Source", "Action")
    assert is_date(rows[0][0])
    assert vi("Action")[0] in xlsx_notes(response)[0]


def test_the_changes_read_as_on_the_page(world) -> None:
    entries(world)
    header, rows = csv_table(download(client_for(world.admin), reverse("audit:list"), "csv"))
    changes = {r[6]: r[7] for r in rows}
    assert changes[world.cell2.name].endswith("cũ → mới")
    assert changes[world.cell1.name].endswith(": mới")


def test_nobody_else_exports_the_log(world) -> None:
    entries(world)
    for user in (world.coordinator, world.secretary, world.outsider):
        response = client_for(user).get(reverse("audit:list"), {"xuat": "csv"})
        assert response.status_code == 403


def test_the_export_costs_the_same_queries_however_many_entries(world) -> None:
    entries(world)
    client = client_for(world.admin)
    before = count_queries(lambda: download(client, reverse("audit:list")))
    entries(world, 10)
    make_entry(Unit.objects.get(pk=world.ward.pk), actor=None)
    assert count_queries(lambda: download(client, reverse("audit:list"))) == before
