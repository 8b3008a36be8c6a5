"""The source-document registry exports with its search applied and the page's scope."""

from __future__ import annotations

import pytest
from django.db.models import Q
from django.urls import reverse

from kehoach.core.testing import client_for
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
from kehoach.core.text import fold
from kehoach.documents.models import SourceDocument
from kehoach.documents.registry import number_key
from kehoach.plans import services as plan_services
from kehoach.plans.tests.builders import sample_parsed, stage


def save(world, unit, user, title: str = "tuyên truyền"):
    staged = stage(unit, user, sample_parsed(title=title))
    return plan_services.save_import(actor=user, staged=staged)


@pytest.fixture
def cited(world):
    return save(world, world.ward, world.coordinator)


def expected(user, q: str = "") -> list[str]:
    documents = SourceDocument.objects.for_user(user)
    if q:
        key = fold(q).replace(" ", "")
        documents = documents.filter(Q(number_key__contains=key) | Q(title__icontains=q))
    return list(documents.order_by("-date", "number").values_list("number", flat=True))


@pytest.mark.parametrize("persona", ["secretary", "coordinator", "outsider"])
def test_the_export_holds_the_documents_the_person_sees(world, cited, persona) -> None:
    user = getattr(world, persona)
    header, rows = xlsx_table(download(client_for(user), reverse("documents:list")))
    assert header[:5] == vi("Number and symbol", "Document type", "Date", "Issuing body", "Subject")
    assert column(header, rows, header[0]) == expected(user)


def test_the_search_is_applied_and_named_in_the_notes(world, cited) -> None:
    client = client_for(world.coordinator)
    response = download(client, reverse("documents:list"), "csv", q="58-CT")
    header, rows = csv_table(response)
    assert [r[0] for r in rows] == ["58-CT/TW"] == expected(world.coordinator, "58-CT")
    notes = xlsx_notes(download(client, reverse("documents:list"), q="58-CT"))
    assert "58-CT" in notes[0]
    assert is_date(xlsx_table(download(client, reverse("documents:list")))[1][0][2])
    assert csv_table(download(client, reverse("documents:list"), "csv"))[1][0][2].count("/") == 2


def test_the_citing_plans_are_counted_within_the_persons_view(world, cited) -> None:
    header, rows = csv_table(
        download(client_for(world.coordinator), reverse("documents:list"), "csv")
    )
    assert {r[-1] for r in rows} == {"1"}


def test_the_export_costs_the_same_queries_however_many_documents(world, cited) -> None:
    client = client_for(world.coordinator)
    url = reverse("documents:list")
    before = count_queries(lambda: download(client, url))
    for n in range(3):
        number = f"{n + 10}-KH/ĐU"
        SourceDocument.objects.create(number=number, number_key=number_key(number), title="x")
    assert count_queries(lambda: download(client, url)) == before
