"""backup and restore, end to end: a demo ward with uploads goes into an archive and comes back
into an empty instance with every row and every file identical, also while it is being written.

Each instance is a real one (its own database and MEDIA_ROOT) driven through manage.py, on the
database the test run uses: SQLite, or PostgreSQL when DATABASE_URL points there.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kehoach.ops.tests.instances import Instance, Instances

UPLOADS = """
import os
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
default_storage.save("evidence/2026/03/ảnh hội nghị chi bộ.jpg", ContentFile(os.urandom(300_000)))
default_storage.save("concerns/2026/03/đơn-đề-nghị.pdf", ContentFile(b"%PDF-1.4 " * 500))
default_storage.save("content/2026/03/rỗng.txt", ContentFile(b""))
"""

WRITER = """
import pathlib
from kehoach.accounts.models import User
from kehoach.activities.activity_services import log_activity
from kehoach.org.models import Unit
actor = User.objects.get(username="chibo1")
unit = Unit.objects.get(name="Chi bộ Tổ dân phố số 1")
stop = pathlib.Path(%r)
for i in range(1, 100000):
    if stop.exists():
        break
    log_activity(actor=actor, unit=unit, channel="oral", description="w%%06d" %% i,
                 participants=i)
    print(i, flush=True)
"""

ACTIVITY_CREATES = (
    "SELECT count(*) FROM audit_auditentry a JOIN django_content_type c "
    "ON a.content_type_id = c.id WHERE c.app_label = 'activities' AND c.model = 'activity' "
    "AND a.action = 'create'"
)


@pytest.fixture
def instances(tmp_path: Path) -> Iterator[Instances]:
    made = Instances(tmp_path)
    try:
        yield made
    finally:
        made.close()


def demo_instance(instances: Instances) -> Instance:
    source = instances.new()
    source.manage("migrate", "-v0")
    source.manage("demo")
    return source


def only_archive(folder: Path) -> Path:
    archives = sorted(folder.glob("kehoach-backup-*.tar.gz"))
    assert len(archives) == 1, archives
    return archives[0]


def test_a_demo_ward_with_uploads_restores_into_an_empty_instance_row_for_row(
    instances: Instances, tmp_path: Path
) -> None:
    source = demo_instance(instances)
    source.manage("shell", "-c", UPLOADS)
    source.manage("backup", "--output", str(tmp_path / "out"))
    archive = only_archive(tmp_path / "out")

    target = instances.new()
    target.manage("restore", str(archive))

    rows, files = source.rows(), source.files()
    assert target.rows() == rows
    assert target.files() == files
    # The comparison is worth something only if the ward is rich and the uploads are there.
    filled = [t for t, r in rows.items() if r and not t.startswith(("django_", "auth_", "<"))]
    assert len(filled) >= 25, filled
    assert len(files) >= 4 and any(len(data) == 300_000 for data in files.values())

    again = target.manage("restore", str(archive), check=False)
    assert again.returncode != 0
    assert "--force" in again.stderr
    assert target.rows() == rows

    target.manage("restore", str(archive), "--force")
    assert target.rows() == rows
    assert target.files() == files


def test_a_backup_taken_while_activities_are_written_restores_a_consistent_prefix(
    instances: Instances, tmp_path: Path
) -> None:
    source = demo_instance(instances)
    stop = tmp_path / "stop"
    writer = source.popen("shell", "-c", WRITER % str(stop))
    written: list[int] = []
    reader = threading.Thread(
        target=lambda: [written.append(int(x)) for x in writer.stdout if x.strip().isdigit()],
        daemon=True,
    )
    reader.start()
    try:
        wait_for(lambda: len(written) >= 20, writer)
        source.manage("backup", "--output", str(tmp_path / "out"))
        after_backup = len(written)
        wait_for(lambda: len(written) >= after_backup + 5, writer)
    finally:
        stop.touch()
        writer.wait(timeout=120)
    reader.join(timeout=10)
    assert writer.returncode == 0, writer.stderr.read()[-3000:]

    target = instances.new()
    target.manage("restore", str(only_archive(tmp_path / "out")))
    if target.kind == "sqlite":
        assert target.query("PRAGMA integrity_check") == [("ok",)]
    numbers = sorted(
        int(d[1:])
        for (d,) in target.query(
            "SELECT description FROM activities_activity WHERE description LIKE 'w%'"
        )
    )
    # One writer, one transaction per activity: a consistent snapshot holds 1..k, no gaps.
    assert numbers == list(range(1, len(numbers) + 1))
    assert 20 <= len(numbers) < len(written)
    # ...and each activity came with its audit entry, written in the same transaction.
    (activities,) = target.query("SELECT count(*) FROM activities_activity")[0]
    assert target.query(ACTIVITY_CREATES)[0][0] == activities


def wait_for(condition, process, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if process.poll() is not None:
            raise AssertionError(f"the writer stopped early: {process.stderr.read()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError("the writer is too slow")
        time.sleep(0.05)
