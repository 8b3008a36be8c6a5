"""Exemplar pages: the registry and its filters, one exemplar, nominate and edit, the steps."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from kehoach.accounts.models import Role
from kehoach.core.testing import ScopedViewChecks, client_for, make_user
from kehoach.exemplars import services
from kehoach.exemplars.models import Exemplar, Stage
from kehoach.exemplars.tests.test_services import (
    PDF,
    commended,
    make_leader,
    nominate,
    photo,
    verified,
)


def form_data(world, **extra) -> dict:
    data = {
        "unit": world.cell1.pk,
        "kind": "collective",
        "field": "environment",
        "name": "Tổ dân phố số 1",
        "story": "Giữ ngõ xanh sạch đẹp.",
        "evidence": "",
        "year": 2026,
        "plan": "",
    }
    data.update(extra)
    return data


# ---------------------------------------------------------------- scope of every page


@pytest.fixture
def leader(world):
    return make_leader(world)


@pytest.fixture
def exemplar(world) -> Exemplar:
    return nominate(world, photos=[photo()])


class TestDetailIsScoped(ScopedViewChecks):
    def url(self, world):
        return f"/dien-hinh/{nominate(world).pk}/"


class TestPhotoIsScoped(ScopedViewChecks):
    def url(self, world):
        return f"/dien-hinh/anh/{nominate(world, photos=[photo()]).photos.get().pk}/"


class TestEditIsScoped(ScopedViewChecks):
    def url(self, world):
        return f"/dien-hinh/{nominate(world).pk}/sua/"


class TestReturnPageIsScoped(ScopedViewChecks):
    """The coordinator is served; the unit's own secretary is refused (403, not 404)."""

    ok_status = 200

    def url(self, world):
        return f"/dien-hinh/{nominate(world).pk}/tra-lai/"

    def test_own_unit_is_served(self, world) -> None:
        assert self._call(world.secretary, world).status_code == 403


# ---------------------------------------------------------------- registry


def test_the_registry_shows_the_persons_scope_only(world) -> None:
    mine = nominate(world)
    other = nominate(world, actor=world.secretary2, unit=world.cell2)
    response = client_for(world.secretary).get("/dien-hinh/")
    assert response.status_code == 200
    shown = [e.pk for e in response.context["page"].object_list]
    assert shown == [mine.pk]
    ward = client_for(world.coordinator).get("/dien-hinh/")
    assert {e.pk for e in ward.context["page"].object_list} == {mine.pk, other.pk}
    assert client_for(world.outsider).get("/dien-hinh/").context["page"].object_list == []


@pytest.fixture
def spread(world, leader):
    a = nominate(world, kind="individual", field="economy", year=2025)
    b = verified(world, kind="collective", field="culture", year=2026)
    c = commended(world, leader, kind="model", field="mass_mobilisation", year=2026)
    d = nominate(world, actor=world.secretary2, unit=world.cell2, kind="model", year=2026)
    return {"a": a, "b": b, "c": c, "d": d}


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"kind": "model"}, {"c", "d"}),
        ({"field": "culture"}, {"b"}),
        ({"year": "2025"}, {"a"}),
        ({"stage": "commended"}, {"c"}),
        ({"stage": "verified", "kind": "collective"}, {"b"}),
        ({"unit": "cell2"}, {"d"}),
        ({"unit": "ward"}, {"a", "b", "c", "d"}),
        ({"unit": "cell1", "year": "2026"}, {"b", "c"}),
        ({"kind": "nonsense"}, {"a", "b", "c", "d"}),
    ],
)
def test_the_registry_filters(world, spread, query, expected) -> None:
    if "unit" in query:
        query = {**query, "unit": getattr(world, query["unit"]).pk}
    response = client_for(world.coordinator).get("/dien-hinh/", query)
    names = {k for k, e in spread.items() if e in response.context["page"].object_list}
    assert names == expected


def test_a_cell_cannot_filter_its_way_into_another_cell(world, spread) -> None:
    response = client_for(world.secretary).get("/dien-hinh/", {"unit": world.cell2.pk})
    assert {e.unit_id for e in response.context["page"].object_list} == {world.cell1.pk}


def test_the_registry_is_paginated(world) -> None:
    for n in range(31):
        Exemplar.objects.create(
            unit=world.cell1,
            kind="individual",
            field="other",
            name=f"Người {n}",
            story="x",
            year=2026,
        )
    client = client_for(world.secretary)
    assert len(client.get("/dien-hinh/").context["page"].object_list) == 30
    assert len(client.get("/dien-hinh/?trang=2").context["page"].object_list) == 1


def test_the_registry_query_count_does_not_grow_with_exemplars(
    world,
    leader,
    django_assert_num_queries,
    django_assert_max_num_queries,
) -> None:
    client = client_for(world.coordinator)
    nominate(world, photos=[photo()])
    client.get("/dien-hinh/")
    with django_assert_max_num_queries(12) as one:
        client.get(f"/dien-hinh/?kind=individual&unit={world.ward.pk}")
    for n in range(6):
        commended(world, leader, year=2020 + n, photos=[photo()])
        nominate(world, actor=world.secretary2, unit=world.cell2, year=2020 + n)
    with django_assert_num_queries(len(one.captured_queries)):
        client.get(f"/dien-hinh/?kind=individual&unit={world.ward.pk}")


def test_the_registry_fits_a_phone(world, exemplar) -> None:
    body = client_for(world.secretary).get("/dien-hinh/").content.decode()
    assert f'id="exemplar-{exemplar.pk}"' in body
    assert "css/exemplars.css" in body and "<table" not in body


# ---------------------------------------------------------------- nominate and edit


def test_a_secretary_nominates_with_photos_on_the_form(world) -> None:
    response = client_for(world.secretary).post(
        "/dien-hinh/de-cu/", {**form_data(world), "photos": [photo(), photo("b.jpg")]}
    )
    exemplar = Exemplar.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/dien-hinh/{exemplar.pk}/"
    assert exemplar.unit == world.cell1 and exemplar.photos.count() == 2


def test_a_pdf_named_as_a_photo_is_refused_on_the_form(world) -> None:
    response = client_for(world.secretary).post(
        "/dien-hinh/de-cu/",
        {**form_data(world), "photos": [SimpleUploadedFile("anh.jpg", PDF)]},
    )
    assert response.status_code == 200 and response.context["form"].errors["photos"]
    assert not Exemplar.objects.exists()


def test_the_form_offers_only_the_persons_units(world) -> None:
    form = client_for(world.secretary).get("/dien-hinh/de-cu/").context["form"]
    assert [u.pk for u in form.units] == [world.cell1.pk]
    response = client_for(world.secretary).post(
        "/dien-hinh/de-cu/", form_data(world, unit=world.cell2.pk)
    )
    assert response.status_code == 200 and "unit" in response.context["form"].errors
    assert not Exemplar.objects.exists()


def test_a_leader_gets_no_nomination_form(world, leader) -> None:
    assert client_for(leader).get("/dien-hinh/de-cu/").status_code == 403


def test_an_edit_is_saved_and_a_returned_exemplar_goes_back(world, exemplar) -> None:
    services.return_exemplar(actor=world.coordinator, exemplar=exemplar, comment="Thêm số liệu")
    exemplar.refresh_from_db()
    client = client_for(world.secretary)
    page = client.get(f"/dien-hinh/{exemplar.pk}/sua/")
    assert 'id="return-note"' in page.content.decode()
    data = form_data(world, evidence="120 hộ tham gia", seen_updated_at=exemplar.updated_at)
    data.pop("unit")
    response = client.post(f"/dien-hinh/{exemplar.pk}/sua/", data)
    assert response.status_code == 302
    exemplar.refresh_from_db()
    assert exemplar.evidence == "120 hộ tham gia" and exemplar.stage == Stage.NOMINATED


def test_an_edit_on_an_old_form_is_refused(world, exemplar) -> None:
    seen = exemplar.updated_at
    services.update_exemplar(actor=world.secretary, exemplar=exemplar, changes={"year": 2025})
    data = form_data(world, name="Khác", seen_updated_at=seen)
    data.pop("unit")
    response = client_for(world.secretary).post(f"/dien-hinh/{exemplar.pk}/sua/", data)
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    exemplar.refresh_from_db()
    assert exemplar.name != "Khác"


def test_a_verified_exemplar_sends_the_editor_back(world) -> None:
    exemplar = verified(world)
    response = client_for(world.secretary).get(f"/dien-hinh/{exemplar.pk}/sua/")
    assert response.status_code == 302 and response["Location"] == f"/dien-hinh/{exemplar.pk}/"


def test_a_photo_is_removed_from_the_edit_page(world, exemplar) -> None:
    item = exemplar.photos.get()
    assert client_for(world.secretary2).post(f"/dien-hinh/anh/{item.pk}/xoa/").status_code == 404
    response = client_for(world.secretary).post(f"/dien-hinh/anh/{item.pk}/xoa/")
    assert response.status_code == 302 and not exemplar.photos.exists()


def test_the_photo_is_served_cleaned(world, exemplar) -> None:
    response = client_for(world.secretary).get(f"/dien-hinh/anh/{exemplar.photos.get().pk}/")
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    image = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert max(image.size) <= 1600


# ---------------------------------------------------------------- the steps, persona by persona


def test_the_detail_offers_each_persona_only_its_own_step(world, leader, exemplar) -> None:
    def boxes(user):
        body = client_for(user).get(f"/dien-hinh/{exemplar.pk}/").content.decode()
        names = ("edit-exemplar", "verify-box", "commend-box", "promote-box")
        return {name for name in names if f'id="{name}"' in body}

    assert boxes(world.secretary) == {"edit-exemplar"}
    assert boxes(world.coordinator) == {"edit-exemplar", "verify-box"}
    assert boxes(leader) == set()
    services.verify_exemplar(actor=world.coordinator, exemplar=exemplar)
    assert boxes(leader) == {"commend-box"}
    assert boxes(world.coordinator) == set()
    services.commend_exemplar(
        actor=leader, exemplar=exemplar, form="Bằng khen", on=timezone.localdate()
    )
    assert boxes(world.coordinator) == {"promote-box"}
    assert boxes(world.secretary) == set()


def test_the_coordinator_verifies_on_the_page(world, exemplar) -> None:
    response = client_for(world.coordinator).post(f"/dien-hinh/{exemplar.pk}/xac-minh/")
    assert response.status_code == 302
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.VERIFIED


@pytest.mark.parametrize(
    "path, data",
    [
        ("xac-minh", {}),
        ("tra-lai", {"comment": "x"}),
        ("khen-thuong", {"form": "Giấy khen", "on": "2026-01-05"}),
        ("nhan-rong", {"link": "Bài viết"}),
    ],
)
def test_another_ward_gets_not_found_for_every_step(world, exemplar, path, data) -> None:
    leader_there = make_user("thuongvu-nq", unit=world.other_ward, role=Role.LEADER)
    for user in (world.outsider, leader_there, world.secretary2):
        assert client_for(user).post(f"/dien-hinh/{exemplar.pk}/{path}/", data).status_code == 404
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


@pytest.mark.parametrize(
    "who, path, data",
    [
        ("secretary", "xac-minh", {}),
        ("leader", "xac-minh", {}),
        ("secretary", "tra-lai", {"comment": "x"}),
        ("coordinator", "khen-thuong", {"form": "Giấy khen", "on": "2026-01-05"}),
        ("secretary", "khen-thuong", {"form": "Giấy khen", "on": "2026-01-05"}),
        ("leader", "nhan-rong", {"link": "Bài viết"}),
        ("secretary", "nhan-rong", {"link": "Bài viết"}),
    ],
)
def test_the_wrong_role_is_forbidden(world, leader, exemplar, who, path, data) -> None:
    user = leader if who == "leader" else getattr(world, who)
    assert client_for(user).post(f"/dien-hinh/{exemplar.pk}/{path}/", data).status_code == 403
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


def test_a_return_without_a_comment_is_refused_on_the_page(world, exemplar) -> None:
    response = client_for(world.coordinator).post(
        f"/dien-hinh/{exemplar.pk}/tra-lai/", {"comment": "  "}
    )
    assert response.status_code == 200 and "comment" in response.context["form"].errors
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


def test_the_coordinator_returns_with_a_comment(world, exemplar) -> None:
    response = client_for(world.coordinator).post(
        f"/dien-hinh/{exemplar.pk}/tra-lai/", {"comment": "Bổ sung ảnh"}
    )
    assert response.status_code == 302
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.RETURNED and exemplar.review_comment == "Bổ sung ảnh"


def test_commending_before_verification_is_refused_on_the_page(world, leader, exemplar) -> None:
    response = client_for(leader).post(
        f"/dien-hinh/{exemplar.pk}/khen-thuong/", {"form": "Giấy khen", "on": "2026-01-05"}
    )
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.NOMINATED


def test_a_leader_commends_and_the_coordinator_promotes(world, leader) -> None:
    exemplar = verified(world)
    response = client_for(leader).post(
        f"/dien-hinh/{exemplar.pk}/khen-thuong/", {"form": "Giấy khen", "on": "2026-01-05"}
    )
    assert response.status_code == 302
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.COMMENDED and str(exemplar.commended_on) == "2026-01-05"
    response = client_for(world.coordinator).post(
        f"/dien-hinh/{exemplar.pk}/nhan-rong/", {"link": "https://lechan.vn/guong-sang"}
    )
    assert response.status_code == 302
    exemplar.refresh_from_db()
    assert exemplar.stage == Stage.PROMOTED
    body = client_for(world.secretary).get(f"/dien-hinh/{exemplar.pk}/").content.decode()
    assert 'href="https://lechan.vn/guong-sang"' in body


def test_a_commendation_without_a_date_is_refused(world, leader) -> None:
    exemplar = verified(world)
    response = client_for(leader).post(
        f"/dien-hinh/{exemplar.pk}/khen-thuong/", {"form": "Giấy khen", "on": ""}
    )
    assert response.status_code == 200 and "on" in response.context["form"].errors
