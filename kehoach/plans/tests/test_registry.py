from datetime import date

import pytest

from kehoach.core.testing import client_for
from kehoach.documents import registry
from kehoach.documents.models import SourceDocument
from kehoach.plans import services
from kehoach.plans.importer.result import Citation
from kehoach.plans.tests.builders import sample_parsed, stage


@pytest.mark.django_db
def test_the_same_document_cited_with_different_spelling_is_one_entry() -> None:
    first = registry.register(Citation("58-CT/TW", "CT", "", None, ""))
    second = registry.register(Citation("58-ct/tw", "CT", "Ban Bí thư", date(2026, 1, 10), "về …"))
    assert first.pk == second.pk
    second.refresh_from_db()
    assert second.issuer == "Ban Bí thư" and second.date == date(2026, 1, 10)
    assert SourceDocument.objects.count() == 1


@pytest.mark.django_db
def test_state_numbers_of_different_years_are_different_documents() -> None:
    a = registry.register(Citation("27/CT-TTg", "CT", "Thủ tướng", date(2020, 1, 1), ""))
    b = registry.register(Citation("27/CT-TTg", "CT", "Thủ tướng", date(2024, 1, 1), ""))
    assert a.pk != b.pk
    # Undated and ambiguous: not guessed, a separate entry is made.
    c = registry.register(Citation("27/CT-TTg", "CT", "", None, ""))
    assert c.pk not in (a.pk, b.pk)


@pytest.mark.django_db
def test_registering_again_does_not_overwrite_what_is_known() -> None:
    registry.register(
        Citation("41-NQ/TW", "NQ", "Bộ Chính trị", date(2023, 10, 10), "về doanh nhân")
    )
    again = registry.register(Citation("41-NQ/TW", "NQ", "Ban Bí thư", date(2023, 10, 10), "khác"))
    assert again.issuer == "Bộ Chính trị" and again.title == "về doanh nhân"


def test_the_document_page_lists_only_plans_in_scope(world) -> None:
    plan = services.save_import(
        actor=world.coordinator, staged=stage(world.ward, world.coordinator)
    )
    outsider_plan_parsed = sample_parsed(title="kế hoạch Ngô Quyền")
    from kehoach.accounts.models import Membership, Role

    Membership.objects.create(user=world.outsider, unit=world.other_ward, role=Role.COORDINATOR)
    from kehoach.accounts.querysets import forget_memberships

    forget_memberships(world.outsider)
    other = services.save_import(
        actor=world.outsider, staged=stage(world.other_ward, world.outsider, outsider_plan_parsed)
    )
    document = SourceDocument.objects.get(number="58-CT/TW")
    html = client_for(world.coordinator).get(f"/van-ban/{document.pk}/").content.decode()
    assert f"/ke-hoach/{plan.pk}/" in html
    assert f"/ke-hoach/{other.pk}/" not in html
    listing = client_for(world.secretary).get("/van-ban/?q=58-ct").content.decode()
    assert "58-CT/TW" in listing and "806-CV/BTGDVTU" not in listing


def test_the_document_pages_need_sign_in(world) -> None:
    from django.test import Client

    assert Client().get("/van-ban/").status_code == 302
    assert client_for(world.secretary).get("/van-ban/999999/").status_code == 404
