"""A ward exported, removed and imported again comes back record by record and byte by byte."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage

from kehoach.accounts.models import User
from kehoach.core.demo import SUPERIOR, WARD
from kehoach.core.testing import make_unit
from kehoach.documents.models import SourceDocument
from kehoach.org.models import Unit, UnitKind
from kehoach.plans.models import Plan
from kehoach.transfer import catalogue, exporter, reader, services
from kehoach.transfer.tests.builders import (
    OTHER_WARD,
    Identity,
    build_moving,
    export_and_forget,
    other_ward,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def moving():
    return build_moving()


def export_bytes(ward: Unit) -> bytes:
    out = io.BytesIO()
    exporter.export_ward(ward, out)
    return out.getvalue()


def import_bytes(data: bytes):
    return services.import_from(io.BytesIO(data))


def rows(data: bytes, name: str) -> list[dict]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return json.loads(zf.read(name))


@pytest.fixture
def forgotten(db):
    """The archive of the rich ward, and the ward as it was; the database no longer has it."""
    return export_and_forget(build_moving)


def test_a_ward_moved_into_a_database_without_it_is_the_same_record_by_record(db):
    data, before = export_and_forget(build_moving, compare=True)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert not Unit.objects.filter(name=WARD).exists()
    # Another ward takes the ids the moved ward had: the import has to give it new ones.
    other_ward()

    result = import_bytes(data)

    after = Identity(result.ward).everything()
    assert after.keys() == before.keys()
    for table in before:
        assert after[table] == before[table], table
    assert len(manifest["files"]) == 6
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        for name in manifest["files"]:
            stored = default_storage.open(name[len("files/") :]).read()
            assert stored == zf.read(name)
    # Every table the move carries was exercised by the builder.
    assert [name for name, count in result.counts.items() if count == 0] == []
    assert result.ward.pk != manifest["ward"]["pk"]


def test_the_unit_paths_are_rebuilt_from_the_new_ids(forgotten):
    other_ward()
    ward = import_bytes(forgotten[0]).ward
    units = Unit.objects.filter(path__startswith=ward.path)
    assert units.count() == 23
    for unit in units.select_related("parent"):
        assert unit.path == (unit.parent.path if unit.parent else "/") + f"{unit.pk}/"


def test_the_other_ward_and_its_people_stay_behind(moving):
    data = export_bytes(moving.ward)
    names = {r["fields"]["name"] for r in rows(data, "data/org.unit.json")}
    assert OTHER_WARD not in names
    assert "Chi bộ số 7 Ngô Quyền" not in names
    usernames = {r["fields"]["username"] for r in rows(data, "data/accounts.user.json")}
    assert "ngoquyen" not in usernames and "admin" not in usernames
    assert "chibo1" in usernames
    titles = {r["fields"]["title"] for r in rows(data, "data/plans.plan.json")}
    assert "Kế hoạch của phường khác" not in titles
    codes = {r["fields"]["code"] for r in rows(data, "data/feedback.concern.json")}
    assert codes == {"LC000001", "LC000002"}


def test_secrets_notifications_and_the_search_index_stay_behind(moving):
    data = export_bytes(moving.ward)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        text = b"".join(zf.read(n) for n in names if n.endswith(".json"))
    assert not any("apitoken" in n or "notification" in n or "session" in n for n in names)
    assert b"f" * 64 not in text
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert manifest["format"] == "kehoach-ward" and manifest["format_version"] == 1
    assert set(manifest["counts"]) >= {"org.Unit", "accounts.User", "audit.AuditEntry"}
    assert manifest["counts"]["org.Unit"] == 23
    assert all(len(meta["sha256"]) == 64 for meta in manifest["files"].values())


def test_people_sign_in_with_their_password_but_arrive_without_admin_rights(db):
    def build():
        moving = build_moving()
        User.objects.filter(username="chibo1").update(is_staff=True, is_superuser=True)
        return moving

    data, _before = export_and_forget(build)
    import_bytes(data)
    person = User.objects.get(username="chibo1")
    assert person.check_password("kehoach-demo")
    assert not person.is_staff and not person.is_superuser


def test_a_record_made_by_someone_who_does_not_move_keeps_no_author(moving):
    data = export_bytes(moving.ward)
    made = [r for r in rows(data, "data/activities.activity.json") if r["fields"]["posters"] == 3]
    assert made[0]["fields"]["created_by_id"] is None


def test_cited_documents_and_outside_bodies_merge_with_those_already_here(forgotten):
    data = forgotten[0]
    shared = rows(data, "shared/documents.sourcedocument.json")
    known = shared[0]["fields"]
    SourceDocument.objects.create(number=known["number"], number_key=known["number_key"])
    make_unit(SUPERIOR, UnitKind.EXTERNAL)
    result = import_bytes(data)
    assert SourceDocument.objects.count() == len(shared)
    assert SourceDocument.objects.filter(number_key=known["number_key"]).count() == 1
    externals = Unit.objects.filter(parent=None, kind=UnitKind.EXTERNAL)
    assert externals.count() == 1
    sub = Plan.objects.get(unit__path__startswith=result.ward.path, parent__isnull=False)
    assert sub.issuing_unit == externals.get()


def test_the_import_is_itself_in_the_audit_log(forgotten):
    from kehoach.audit.models import AuditEntry

    ward = import_bytes(forgotten[0]).ward
    entry = AuditEntry.objects.filter(object_id=str(ward.pk), after__has_key="imported_from")
    assert entry.get().after["records"]["org.Unit"] == 23


def test_an_import_where_the_ward_exists_is_refused_and_writes_nothing(moving):
    data = export_bytes(moving.ward)
    counts = {m: m._base_manager.count() for m, _lookup in catalogue.scoped_models()}
    with pytest.raises(reader.ImportRefused, match="already exists"):
        import_bytes(data)
    assert counts == {m: m._base_manager.count() for m, _lookup in catalogue.scoped_models()}


def test_an_import_whose_usernames_are_taken_is_refused(forgotten):
    User.objects.create(username="chibo2")
    with pytest.raises(reader.ImportRefused, match="chibo2"):
        import_bytes(forgotten[0])
    assert not Unit.objects.filter(name=WARD).exists()


def test_only_a_ward_can_be_exported(moving):
    cell = Unit.objects.get(name="Chi bộ Tổ dân phố số 1")
    with pytest.raises(exporter.ExportError):
        export_bytes(cell)
    assert exporter.find_ward("dang uy phuong le chan") == moving.ward
    with pytest.raises(exporter.ExportError):
        exporter.find_ward("Phường không có")


def test_the_moved_wards_dashboard_and_search_count_its_records(forgotten):
    from kehoach.activities.models import Activity
    from kehoach.dashboard.models import ChannelTally
    from kehoach.search.models import SearchEntry

    data, _before = forgotten
    result = import_bytes(data)
    activities = Activity.objects.filter(unit__path__startswith=result.ward.path, deleted_at=None)
    assert activities.exists()
    tallied = sum(
        ChannelTally.objects.filter(unit__path__startswith=result.ward.path).values_list(
            "activities", flat=True
        )
    )
    assert tallied == activities.count()
    plan = Plan.objects.filter(unit=result.ward).first()
    assert SearchEntry.objects.filter(object_id=plan.pk).exists()
