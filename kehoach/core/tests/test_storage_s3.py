"""Uploads on an S3-compatible bucket: a local moto server on loopback stands in for it. The
bucket stays private; files reach people only through the views' permission check."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from kehoach.activities import activity_services as services
from kehoach.activities.models import Activity, Evidence
from kehoach.activities.tests.test_evidence import jpeg_with_gps
from kehoach.core.testing import client_for

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

BUCKET = "kehoach-media"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "us-east-1"}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    client.create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def bucket(s3_endpoint, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_endpoint,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                **KEYS,
            },
        },
    }
    return boto3.resource(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).Bucket(BUCKET)


def _activity(world) -> Activity:
    return Activity.objects.create(
        unit=world.cell1, channel="meeting", date=date(2026, 3, 2), description="Họp chi bộ"
    )


def test_an_evidence_photo_goes_to_the_bucket_and_comes_back_through_the_view(world, bucket):
    activity = _activity(world)
    upload = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    evidence = services.add_evidence(actor=world.secretary, activity=activity, upload=upload)

    stored = bucket.Object(evidence.file.name).get()["Body"].read()
    assert stored[:3] == b"\xff\xd8\xff" and len(stored) == evidence.size
    assert not evidence.file.name.startswith("/")

    url = reverse("activities:evidence", args=[evidence.pk])
    response = client_for(world.secretary).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == stored
    assert response["Content-Type"] == "image/jpeg"
    # Another ward's secretary gets nothing, not even a redirect to the bucket.
    assert client_for(world.outsider).get(url).status_code == 404

    services.remove_evidence(actor=world.secretary, evidence=evidence)
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
    assert client_for(world.secretary).get(url).status_code == 404
    evidence.file.storage.delete(evidence.file.name)
    assert [o.key for o in bucket.objects.all() if o.key == evidence.file.name] == []


def test_the_bucket_is_not_readable_without_signing(world, bucket, s3_endpoint):
    import urllib.error
    import urllib.request

    activity = _activity(world)
    upload = SimpleUploadedFile("IMG_0002.jpg", jpeg_with_gps(), content_type="image/jpeg")
    evidence = services.add_evidence(actor=world.secretary, activity=activity, upload=upload)
    acl = bucket.Object(evidence.file.name).Acl()
    grants = {(g["Grantee"].get("URI", ""), g["Permission"]) for g in acl.grants}
    assert not any(uri.endswith("/AllUsers") for uri, _ in grants)
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(f"{s3_endpoint}/{BUCKET}/{evidence.file.name}", timeout=5)
    assert refused.value.code == 403


def test_settings_choose_the_bucket_from_the_environment() -> None:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "STORAGE_BACKEND": "s3",
        "S3_BUCKET": "kehoach-media",
        "S3_ENDPOINT_URL": "http://127.0.0.1:9",
        "S3_ACCESS_KEY": "a",
        "S3_SECRET_KEY": "b",
        "S3_REGION": "us-east-1",
    }
    code = (
        "import django; django.setup()\n"
        "from django.core.files.storage import storages\n"
        "s = storages['default']\n"
        "print(type(s).__name__, s.bucket_name, s.endpoint_url, s.default_acl)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout
    assert out.split() == ["S3Storage", "kehoach-media", "http://127.0.0.1:9", "None"]
