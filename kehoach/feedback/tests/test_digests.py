"""Opinion digests: written by the unit with a version check, frozen with the unit's report,
read side by side by the coordinator; the pages and the API are scoped."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from kehoach.accounts.models import Role
from kehoach.audit.models import AuditEntry
from kehoach.core.concurrency import StaleEdit
from kehoach.core.testing import ScopedEndpointChecks, ScopedViewChecks, client_for, make_user
from kehoach.feedback.digests import save_digest, ward_digests
from kehoach.feedback.models import OpinionDigest
from kehoach.reports.models import ReportStatus, UnitReport
from kehoach.reports.tests.builders import reporting_world


@pytest.fixture
def rw(world):
    return reporting_world(world)


def write(world, rw, unit=None, actor=None, version=0, **changes) -> OpinionDigest:
    changes.setdefault("subjects", "Nhân dân quan tâm việc chỉnh trang vỉa hè.")
    return save_digest(
        actor=actor or world.secretary,
        unit=unit or world.cell1,
        period=rw.period,
        changes=changes,
        version=version,
    )


# ------------------------------------------------------------------ the service


def test_the_units_head_writes_the_first_digest_from_version_zero(world, rw) -> None:
    digest = write(
        world, rw, tones={str(rw.topic.pk): "negative"}, problems="Ngập khi mưa.", has_hot_spot=True
    )
    digest.refresh_from_db()
    assert digest.version == 1 and digest.unit == world.cell1 and digest.period == rw.period
    assert digest.tones == {str(rw.topic.pk): "negative"}
    assert digest.has_hot_spot and digest.problems == "Ngập khi mưa."
    assert digest.created_by == world.secretary


def test_saving_again_bumps_the_version_and_is_in_the_audit_log(world, rw) -> None:
    first = write(world, rw)
    second = write(world, rw, version=first.version, subjects="Giá điện tăng.")
    assert second.pk == first.pk and second.version == 2
    entries = AuditEntry.objects.filter(object_id=str(first.pk), actor=world.secretary)
    assert entries.count() == 2


def test_an_officer_of_the_unit_may_write_too(world, rw) -> None:
    officer = make_user("canbo1", unit=world.cell1, role=Role.OFFICER)
    assert write(world, rw, actor=officer).version == 1


def test_a_stale_version_is_refused_and_nothing_is_overwritten(world, rw) -> None:
    first = write(world, rw, subjects="Bản của người thứ nhất.")
    with pytest.raises(StaleEdit):
        write(world, rw, version=0, subjects="Bản của người thứ hai.")
    write(world, rw, version=first.version, subjects="Bản thứ ba.")
    with pytest.raises(StaleEdit):
        write(world, rw, version=first.version, subjects="Bản cũ.")
    digest = OpinionDigest.objects.get()
    assert digest.subjects == "Bản thứ ba." and digest.version == 2


@pytest.mark.parametrize("who", ["coordinator", "secretary2", "outsider"])
def test_only_the_units_own_people_write_its_digest(world, rw, who) -> None:
    with pytest.raises(PermissionDenied):
        write(world, rw, actor=getattr(world, who))
    assert not OpinionDigest.objects.exists()


@pytest.mark.parametrize(
    "tones",
    [{"999999": "positive"}, {"TOPIC": "angry"}, ["positive"]],
    ids=["unknown topic", "unknown tone", "not a mapping"],
)
def test_tones_must_name_the_plans_topics_and_known_tones(world, rw, tones) -> None:
    if isinstance(tones, dict) and "TOPIC" in tones:
        tones = {str(rw.topic.pk): "angry"}
    with pytest.raises(ValidationError):
        write(world, rw, tones=tones)
    assert not OpinionDigest.objects.exists()


def test_unknown_fields_are_refused(world, rw) -> None:
    with pytest.raises(ValidationError):
        write(world, rw, unit_id=world.cell2.pk)


def test_a_unit_outside_the_plans_ward_cannot_report_on_it(world, rw) -> None:
    with pytest.raises((ValidationError, PermissionDenied)):
        write(world, rw, unit=world.other_cell, actor=world.outsider)
    assert not OpinionDigest.objects.exists()


@pytest.mark.parametrize("status", [ReportStatus.SUBMITTED, ReportStatus.ACCEPTED])
def test_the_digest_is_frozen_once_the_units_report_is_sent(world, rw, status) -> None:
    digest = write(world, rw)
    UnitReport.objects.filter(pk=rw.report1.pk).update(status=status)
    with pytest.raises(ValidationError):
        write(world, rw, version=digest.version, subjects="Sửa sau khi gửi.")
    digest.refresh_from_db()
    assert digest.version == 1


def test_a_returned_report_lets_the_unit_correct_its_digest(world, rw) -> None:
    digest = write(world, rw)
    UnitReport.objects.filter(pk=rw.report1.pk).update(status=ReportStatus.RETURNED)
    assert write(world, rw, version=digest.version, subjects="Đã sửa.").version == 2


# ------------------------------------------------------------------ the edit page


def edit_url(world, rw, unit=None) -> str:
    return f"/du-luan/ky/{rw.period.pk}/don-vi/{(unit or world.cell1).pk}/"


class TestTheEditPageIsScoped(ScopedViewChecks):
    @pytest.fixture(autouse=True)
    def _rw(self, world):
        self.rw = reporting_world(world)

    def url(self, world) -> str:
        return edit_url(world, self.rw)


def form_data(rw, version=0, **extra) -> dict:
    data = {
        "version": version,
        "subjects": "Nhân dân phấn khởi.",
        "problems": "",
        "proposals": "Lắp thêm đèn.",
        f"tone_{rw.topic.pk}": "positive",
    }
    data.update(extra)
    return data


def test_the_unit_saves_its_digest_and_returns_to_its_report(world, rw) -> None:
    client = client_for(world.secretary)
    page = client.get(edit_url(world, rw))
    assert b'id="form-digest"' in page.content
    response = client.post(edit_url(world, rw), form_data(rw, has_hot_spot="on"))
    assert response.status_code == 302
    assert response["Location"] == f"/bao-cao/don-vi/{rw.report1.pk}/"
    digest = OpinionDigest.objects.get()
    assert digest.tones == {str(rw.topic.pk): "positive"} and digest.has_hot_spot
    assert digest.proposals == "Lắp thêm đèn."


def test_a_stale_form_keeps_the_typed_text_and_shows_what_was_saved(world, rw) -> None:
    write(world, rw, subjects="Đã lưu trước.")
    client = client_for(world.secretary)
    response = client.post(edit_url(world, rw), form_data(rw, subjects="Tôi vừa gõ."))
    assert response.status_code == 409
    body = response.content.decode()
    assert 'id="stale-notice"' in body
    assert "Tôi vừa gõ." in body and "Đã lưu trước." in body
    assert 'name="version" value="1"' in body
    assert OpinionDigest.objects.get().subjects == "Đã lưu trước."


def test_the_coordinator_reads_the_digest_without_a_form(world, rw) -> None:
    write(world, rw, subjects="Dư luận ổn định.")
    body = client_for(world.coordinator).get(edit_url(world, rw)).content.decode()
    assert 'id="form-digest"' not in body and 'id="digest-read"' in body
    assert "Dư luận ổn định." in body


def test_a_post_to_a_frozen_digest_is_refused(world, rw) -> None:
    UnitReport.objects.filter(pk=rw.report1.pk).update(status=ReportStatus.SUBMITTED)
    client = client_for(world.secretary)
    assert b'id="form-digest"' not in client.get(edit_url(world, rw)).content
    response = client.post(edit_url(world, rw), form_data(rw))
    assert response.status_code in (403, 422)
    assert not OpinionDigest.objects.exists()


def test_the_coordinator_posting_a_digest_is_refused(world, rw) -> None:
    response = client_for(world.coordinator).post(edit_url(world, rw), form_data(rw))
    assert response.status_code in (403, 422)
    assert not OpinionDigest.objects.exists()


# ------------------------------------------------------------------ the ward page


def ward_url(rw) -> str:
    return f"/du-luan/ky/{rw.period.pk}/"


def test_the_ward_page_puts_hot_spots_first_with_a_tone_per_unit_and_topic(world, rw) -> None:
    write(world, rw, tones={str(rw.topic.pk): "positive"})
    write(
        world,
        rw,
        unit=world.cell2,
        actor=world.secretary2,
        tones={str(rw.topic.pk): "negative"},
        has_hot_spot=True,
    )
    response = client_for(world.coordinator).get(ward_url(rw))
    assert response.status_code == 200
    body = response.content.decode()
    first, second = (
        body.index(f'data-unit="{world.cell2.pk}"'),
        body.index(f'data-unit="{world.cell1.pk}"'),
    )
    assert first < second
    assert 'data-tone="negative"' in body and 'data-tone="positive"' in body
    data = ward_digests(world.coordinator, rw.period)
    assert [row["unit"] for row in data["rows"]] == [world.cell2, world.cell1]
    assert data["totals"][0]["positive"] == 1 and data["totals"][0]["negative"] == 1


def test_units_that_owe_a_report_but_wrote_no_digest_are_listed(world, rw) -> None:
    write(world, rw)
    data = ward_digests(world.coordinator, rw.period)
    assert data["missing"] == [world.cell2]


def test_a_cell_sees_only_its_own_digest_on_the_ward_page(world, rw) -> None:
    write(world, rw, subjects="Chi bộ 1 viết.")
    write(world, rw, unit=world.cell2, actor=world.secretary2, subjects="Chi bộ 2 viết.")
    body = client_for(world.secretary).get(ward_url(rw)).content.decode()
    assert "Chi bộ 1 viết." in body and "Chi bộ 2 viết." not in body


def test_the_ward_page_is_not_found_outside_the_ward(world, rw) -> None:
    assert client_for(world.outsider).get(ward_url(rw)).status_code == 404
    assert client_for(None).get(ward_url(rw)).status_code == 302


def test_the_ward_page_takes_the_same_number_of_queries_for_more_digests(world, rw) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.coordinator)
    write(world, rw)
    client.get(ward_url(rw))  # warm the session
    with CaptureQueriesContext(connection) as one:
        assert client.get(ward_url(rw)).status_code == 200
    write(world, rw, unit=world.cell2, actor=world.secretary2)
    with CaptureQueriesContext(connection) as two:
        assert client.get(ward_url(rw)).status_code == 200
    assert len(one) == len(two)


def test_the_ward_page_downloads_as_excel(world, rw) -> None:
    write(world, rw, tones={str(rw.topic.pk): "mixed"}, problems="Ô nhiễm tiếng ồn.")
    response = client_for(world.coordinator).get(f"/du-luan/ky/{rw.period.pk}/excel/")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert world.cell1.name in values and "Ô nhiễm tiếng ồn." in values
    assert world.cell2.name in values  # listed as having no digest yet


# ------------------------------------------------------------------ the API


def api(user):
    from django.test import Client

    from kehoach.accounts.services import issue_token

    return Client(headers={"Authorization": f"Bearer {issue_token(actor=user)}"})


class TestOneDigestEndpointIsScoped(ScopedEndpointChecks):
    @pytest.fixture(autouse=True)
    def _digest(self, world):
        self.rw = reporting_world(world)
        self.digest = write(world, self.rw)

    def url(self, world) -> str:
        return f"/api/v1/opinion-digests/{self.digest.pk}"


def test_the_api_saves_with_the_version_and_refuses_a_stale_one(world, rw) -> None:
    digest = write(world, rw)
    url = f"/api/v1/opinion-digests/{digest.pk}"
    client = api(world.secretary)
    body = {"version": 1, "problems": "Rác thải.", "tones": {str(rw.topic.pk): "mixed"}}
    response = client.put(url, body, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2 and response.json()["tones"] == {
        str(rw.topic.pk): "mixed"
    }
    stale = client.put(url, {"version": 1, "problems": "Cũ."}, content_type="application/json")
    assert stale.status_code == 422
    assert OpinionDigest.objects.get().problems == "Rác thải."


def test_the_coordinator_reads_but_cannot_write_through_the_api(world, rw) -> None:
    digest = write(world, rw)
    url = f"/api/v1/opinion-digests/{digest.pk}"
    client = api(world.coordinator)
    assert client.get(url).json()["editable"] is False
    response = client.put(url, {"version": 1, "subjects": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_the_api_lists_a_periods_digests_in_scope(world, rw) -> None:
    write(world, rw)
    write(world, rw, unit=world.cell2, actor=world.secretary2, has_hot_spot=True)
    url = f"/api/v1/opinion-digests?period={rw.period.pk}"
    everyone = api(world.coordinator).get(url).json()
    assert [d["unit_id"] for d in everyone] == [world.cell2.pk, world.cell1.pk]
    own = api(world.secretary).get(url).json()
    assert [d["unit_id"] for d in own] == [world.cell1.pk]
    assert api(world.outsider).get(url).status_code == 404


def test_the_api_creates_a_units_first_digest(world, rw) -> None:
    payload = {"unit": world.cell1.pk, "period": rw.period.pk, "subjects": "Mới."}
    response = api(world.secretary).post(
        "/api/v1/opinion-digests", payload, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["version"] == 1
    other = {**payload, "unit": world.cell2.pk}
    refused = api(world.secretary).post(
        "/api/v1/opinion-digests", other, content_type="application/json"
    )
    assert refused.status_code == 404
