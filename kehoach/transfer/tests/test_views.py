"""The administrators' page: export in the background and download, import by upload."""

import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kehoach.core.testing import client_for, make_user
from kehoach.org.models import Unit
from kehoach.transfer.models import Direction, TransferStatus, WardTransfer
from kehoach.transfer.tests.builders import export_and_forget
from kehoach.transfer.tests.test_refusals import small_ward

pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "phuong.zip") -> dict:
    return {"file": SimpleUploadedFile(name, data, content_type="application/zip")}


def test_anonymous_people_are_sent_to_sign_in(client, world):
    response = client.get(reverse("transfer:index"))
    assert response.status_code == 302
    assert "/tai-khoan/dang-nhap/" in response["Location"]


@pytest.mark.parametrize("persona", ["coordinator", "secretary", "outsider"])
def test_only_administrators_may_move_a_ward(world, persona):
    client = client_for(getattr(world, persona))
    transfer = WardTransfer.objects.create(direction=Direction.EXPORT, ward=world.ward)
    assert client.get(reverse("transfer:index")).status_code == 403
    assert client.get(reverse("transfer:export", args=[world.ward.pk])).status_code == 403
    assert client.post(reverse("transfer:export", args=[world.ward.pk])).status_code == 403
    assert client.get(reverse("transfer:status", args=[transfer.pk])).status_code == 403
    assert client.get(reverse("transfer:status", args=[transfer.pk]), {"tai": 1}).status_code == 403
    assert client.post(reverse("transfer:delete_file", args=[transfer.pk])).status_code == 403
    assert WardTransfer.objects.count() == 1


def test_an_administrator_exports_a_ward_and_downloads_the_zip(
    world, django_capture_on_commit_callbacks
):
    client = client_for(world.admin)
    assert (
        world.ward.name
        in client.get(reverse("transfer:export", args=[world.ward.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfer:export", args=[world.ward.pk]))
    transfer = WardTransfer.objects.get()
    assert response["Location"] == reverse("transfer:status", args=[transfer.pk])
    assert transfer.status == TransferStatus.DONE and transfer.requested_by == world.admin
    assert transfer.counts["org.Unit"] == 5
    page = client.get(response["Location"]).content.decode()
    assert 'id="download-archive"' in page
    download = client.get(response["Location"], {"tai": 1})
    assert download["Content-Type"] == "application/zip"
    data = b"".join(download.streaming_content)
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert manifest["ward"]["name"] == world.ward.name
    # The archive holds password hashes: stored under a name nobody can guess.
    folder, secret, _name = transfer.file.name.split("/")
    assert folder == "transfers" and len(secret) == 32


def test_the_archive_can_be_deleted_from_the_server(world, django_capture_on_commit_callbacks):
    client = client_for(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("transfer:export", args=[world.ward.pk]))
    transfer = WardTransfer.objects.get()
    name = transfer.file.name
    client.post(reverse("transfer:delete_file", args=[transfer.pk]))
    transfer.refresh_from_db()
    assert not transfer.file and not transfer.file.storage.exists(name)
    assert client.get(reverse("transfer:status", args=[transfer.pk]), {"tai": 1}).status_code == 404


def test_a_cell_is_not_exported_as_a_ward(world):
    client = client_for(world.admin)
    assert client.get(reverse("transfer:export", args=[world.cell1.pk])).status_code == 404
    assert client.post(reverse("transfer:export", args=[world.cell1.pk])).status_code == 404


def test_an_administrator_imports_a_ward_by_upload(db, django_capture_on_commit_callbacks):
    data, _before = export_and_forget(small_ward)
    admin = make_user("quantri", staff=True)
    client = client_for(admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("transfer:index"), upload(data))
    transfer = WardTransfer.objects.get()
    assert response["Location"] == reverse("transfer:status", args=[transfer.pk])
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.DONE, transfer.error
    assert transfer.ward == Unit.objects.get(name="Đảng ủy phường Lê Chân", parent=None)
    # The upload held password hashes: it is not kept once read.
    assert not transfer.file
    page = client.get(response["Location"]).content.decode()
    assert reverse("org:detail", args=[transfer.ward.pk]) in page


def test_an_upload_of_a_ward_already_here_is_refused_on_the_spot(world):
    data, _before = export_and_forget(lambda: SimpleNamespace(ward=world.ward))
    response = client_for(world.admin).post(reverse("transfer:index"), upload(data))
    assert response.status_code == 400
    assert world.ward.name in response.content.decode()
    assert not WardTransfer.objects.exists()


def test_an_upload_that_is_not_an_archive_is_refused_on_the_spot(world):
    response = client_for(world.admin).post(reverse("transfer:index"), upload(b"hello"))
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    assert not WardTransfer.objects.exists()


def test_the_page_lists_recent_moves_in_a_fixed_number_of_queries(
    world, django_assert_max_num_queries
):
    client = client_for(world.admin)
    for i in range(30):
        WardTransfer.objects.create(
            direction=Direction.EXPORT,
            ward=world.ward,
            ward_name=f"Phường {i}",
            requested_by=world.admin,
        )
    with django_assert_max_num_queries(8):
        response = client.get(reverse("transfer:index"))
    html = response.content.decode()
    assert "Phường 29" in html and world.other_ward.name in html
    assert world.superior.name not in html


def test_the_unit_page_offers_the_export_to_administrators_on_a_ward_only(world):
    admin, coordinator = client_for(world.admin), client_for(world.coordinator)
    link = reverse("transfer:export", args=[world.ward.pk])
    assert link in admin.get(reverse("org:detail", args=[world.ward.pk])).content.decode()
    assert link not in coordinator.get(reverse("org:detail", args=[world.ward.pk])).content.decode()
    cell_page = admin.get(reverse("org:detail", args=[world.cell1.pk])).content.decode()
    assert "/quan-tri-du-lieu/xuat/" not in cell_page
