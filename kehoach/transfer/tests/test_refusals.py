"""A damaged, foreign or hostile archive is refused with a clear message, and nothing is written."""

import io
import json
import zipfile
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import override_settings

from kehoach.accounts.models import User
from kehoach.activities.models import Activity, Evidence
from kehoach.audit.models import AuditEntry
from kehoach.core.testing import build_world
from kehoach.org.models import Unit
from kehoach.plans.models import Plan
from kehoach.transfer import services
from kehoach.transfer.reader import ImportRefused
from kehoach.transfer.tests.builders import PNG, export_and_forget

pytestmark = pytest.mark.django_db


def small_ward():
    world = build_world()
    plan = Plan.objects.create(unit=world.ward, title="Kế hoạch nhỏ")
    activity = Activity.objects.create(unit=world.cell1, plan=plan, channel="meeting")
    evidence = Evidence(activity=activity, kind="photo", original_name="anh.png")
    evidence.file.save("anh.png", ContentFile(PNG))
    return SimpleNamespace(ward=world.ward)


@pytest.fixture
def data(db) -> bytes:
    return export_and_forget(small_ward)[0]


def rewrite(
    data: bytes, changes: dict[str, bytes | None], extra: dict[str, bytes] | None = None
) -> bytes:
    """The archive with some entries replaced (None drops one) and others added."""
    extra = extra or {}
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename in changes:
                if changes[info.filename] is not None:
                    target.writestr(info.filename, changes[info.filename])
            else:
                target.writestr(info, source.read(info))
        for name, content in extra.items():
            target.writestr(name, content, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def manifest_of(data: bytes) -> dict:
    return json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))


def with_manifest(data: bytes, **changes) -> bytes:
    manifest = manifest_of(data) | changes
    return rewrite(data, {"manifest.json": json.dumps(manifest).encode()})


def stored_files() -> list[str]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def state() -> tuple:
    return (
        Unit.objects.count(),
        User.objects.count(),
        Plan.objects.count(),
        AuditEntry.objects.count(),
        stored_files(),
    )


def refused(data: bytes, message: str) -> None:
    before = state()
    with pytest.raises(ImportRefused, match=message):
        services.import_from(io.BytesIO(data))
    assert state() == before


def test_the_small_archive_imports(data):
    ward = services.import_from(io.BytesIO(data)).ward
    assert ward.name == "Đảng ủy phường Lê Chân"
    assert Evidence.objects.get(activity__unit__path__startswith=ward.path).file.read() == PNG


def test_a_file_that_is_not_a_zip_is_refused(db):
    refused(b"PK\x03\x04 not really", "not a readable ZIP")
    refused("Kế hoạch".encode(), "not a readable ZIP")


def test_an_archive_without_a_manifest_is_refused(data):
    refused(rewrite(data, {"manifest.json": None}), "no manifest.json")


def test_an_archive_of_something_else_is_refused(data):
    refused(with_manifest(data, format="other"), "not a ward archive")
    refused(rewrite(data, {"manifest.json": b"{not json"}), "manifest.json is malformed")
    refused(with_manifest(data, ward="Lê Chân"), "manifest.json is malformed")


def test_an_archive_of_another_format_version_is_refused(data):
    refused(with_manifest(data, format_version=2), "format version 2")


@pytest.mark.parametrize(
    "name", ["../evil.txt", "files/../../evil.txt", "/etc/evil", "C:/evil", "files\\..\\evil"]
)
def test_a_name_that_climbs_out_of_the_folder_is_refused(data, name):
    refused(rewrite(data, {}, {name: b"x"}), "unsafe file name")


def test_a_manifest_file_pointing_outside_files_is_refused(data):
    manifest = manifest_of(data)
    files = {"../outside.png": next(iter(manifest["files"].values()))}
    refused(with_manifest(data, files=files), "unsafe file name|lacks")


@override_settings(TRANSFER_MAX_BYTES=1024 * 1024)
def test_an_archive_that_unpacks_to_too_much_is_refused(data):
    bomb = rewrite(data, {}, {"files/zeros.bin": b"\0" * (2 * 1024 * 1024)})
    assert len(bomb) < 1024 * 1024
    refused(bomb, "unpacks to 2,")


@override_settings(TRANSFER_MAX_ENTRIES=10)
def test_an_archive_with_too_many_entries_is_refused(data):
    refused(rewrite(data, {}, {f"files/{i}.txt": b"x" for i in range(20)}), "more than the 10")


def test_a_damaged_file_is_refused_by_its_checksum(data):
    name = next(iter(manifest_of(data)["files"]))
    refused(rewrite(data, {name: PNG + b"changed"}), "checksum does not match")


def test_a_table_a_move_never_carries_is_refused(data):
    counts = manifest_of(data)["counts"] | {"sessions.Session": 0}
    refused(
        rewrite(with_manifest(data, counts=counts), {}, {"data/sessions.session.json": b"[]"}),
        "never carries",
    )
    counts = manifest_of(data)["counts"] | {"nowhere.Table": 0}
    refused(with_manifest(data, counts=counts), "no table nowhere.Table")


def test_a_record_pointing_outside_the_archive_is_refused(data):
    plans = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("data/plans.plan.json"))
    plans[0]["fields"]["unit_id"] = 987654
    refused(rewrite(data, {"data/plans.plan.json": json.dumps(plans).encode()}), "not in the")


def test_a_record_with_a_field_this_server_does_not_know_is_refused(data):
    plans = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("data/plans.plan.json"))
    plans[0]["fields"]["colour"] = "đỏ"
    refused(rewrite(data, {"data/plans.plan.json": json.dumps(plans).encode()}), "colour")


def test_a_count_that_does_not_match_the_data_is_refused(data):
    counts = manifest_of(data)["counts"] | {"plans.Plan": 5}
    refused(with_manifest(data, counts=counts), "does not match")


def test_a_value_that_cannot_be_read_is_refused(data):
    rows = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("data/activities.activity.json"))
    rows[0]["fields"]["date"] = "31/02/2026"
    refused(rewrite(data, {"data/activities.activity.json": json.dumps(rows).encode()}), "date")


def test_a_failure_while_writing_rolls_everything_back_and_removes_the_stored_files(data):
    plans = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("data/plans.plan.json"))
    plans[0]["fields"]["title"] = None
    broken = rewrite(data, {"data/plans.plan.json": json.dumps(plans).encode()})
    # The evidence photo is stored before the rows are written; the state check above
    # (files included) proves it was removed again.
    refused(broken, "could not be written")


def test_a_manifest_naming_another_ward_than_the_data_is_refused(data):
    # The clash check reads the manifest's name: the data must not bring a different ward.
    ward = manifest_of(data)["ward"] | {"name": "Đảng ủy phường Khác"}
    refused(with_manifest(data, ward=ward), "manifest.json is malformed")
