"""Several real processes against one PostgreSQL database: two `db_worker`s claim each task once,
scheduled jobs run once however often they are queued, and a task whose worker was killed runs
again. The database is made here (not pytest-django's test database, which lives inside one
process's transaction), migrated by `manage.py migrate`, and dropped at the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[3]
WAIT = 180


def _server_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else "postgres://postgres@127.0.0.1:5432/kehoach"


def _with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def _admin(url: str):
    import psycopg

    return psycopg.connect(_with_db(url, "postgres"), autocommit=True, connect_timeout=3)


class Site:
    """The dedicated database and the environment every subprocess runs with."""

    def __init__(self, url: str, tmp: Path) -> None:
        self.url = url
        self.tmp = tmp
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": url,
            "TASK_BACKEND": "database",
            "DEBUG": "true",
            "MEDIA_ROOT": str(tmp / "media"),
            "EMAIL_URL": "consolemail://",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args: str, timeout: float = WAIT) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    def python(self, code: str) -> subprocess.Popen:
        script = "import django; django.setup()\n" + code
        return subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run_python(self, code: str) -> str:
        proc = self.python(code)
        out, err = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0, err[-3000:]
        return out

    def worker(self, log: Path, *, batch: bool) -> subprocess.Popen:
        args = ["manage.py", "db_worker", "--no-reload", "--interval", "0.1", "-v", "0"]
        if batch:
            args.append("--batch")
        return subprocess.Popen(
            [sys.executable, *args],
            cwd=ROOT,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
        )

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            cursor = conn.execute(query, params)
            return cursor.fetchall() if cursor.description else []


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    server = _server_url()
    try:
        admin = _admin(server)
    except Exception as error:  # noqa: BLE001 - any failure means: no server here
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI for the multi-process tests: {error}")
        pytest.skip(f"multi-process job tests need PostgreSQL at {server}: {error}")
    name = f"kehoach_procs_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        site = Site(_with_db(server, name), tmp_path_factory.mktemp("procs"))
        site.manage("migrate", "--noinput", "-v", "0")
        site.run_python(SETUP)
        yield site
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _wait(*procs: subprocess.Popen) -> None:
    for proc in procs:
        assert proc.wait(timeout=WAIT) == 0


def test_two_workers_claim_each_task_once(site: Site) -> None:
    runs = site.tmp / "runs.txt"
    site.run_python(
        "from kehoach.core.tests.jobs_probe import probe\n"
        f"for n in range(60): probe.enqueue({str(runs)!r}, n, 0.05)\n"
    )
    workers = [site.worker(site.tmp / f"claim{i}.log", batch=True) for i in range(2)]
    _wait(*workers)
    lines = [line.split() for line in runs.read_text().splitlines()]
    assert sorted(int(n) for n, _ in lines) == list(range(60))
    assert len({pid for _, pid in lines}) == 2, "both workers should have taken tasks"
    assert site.sql(
        "SELECT status, count(*) FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s GROUP BY status",
        ("%jobs_probe.probe",),
    ) == [("SUCCESSFUL", 60)]


SETUP = """
from datetime import timedelta
from django.utils import timezone
from kehoach.activities.models import Task
from kehoach.core.testing import build_world
from kehoach.feedback.models import Concern
from kehoach.feedback.tests.test_concern_services import concern_for_committee, S
from kehoach.plans.models import Plan

world = build_world()
for user in (world.secretary, world.secretary2, world.coordinator):
    user.email = user.username + "@example.vn"
    user.save()
plan = Plan.objects.create(unit=world.ward, title="Kế hoạch tuyên truyền")
Task.objects.create(plan=plan, unit=world.cell1, title="Họp chi bộ", due_date=timezone.localdate())
concern = concern_for_committee(
    world, S.CLOSED, wants_answer=True, resident_name="Bà Hoa", resident_contact="0912"
)
Concern.objects.filter(pk=concern.pk).update(closed_at=timezone.now() - timedelta(days=40))
"""

QUEUE_TWICE = """
from kehoach.activities.tasks import daily_digest, overdue_sweep
from kehoach.feedback.tasks import erase_contacts
for job in (daily_digest, erase_contacts, overdue_sweep):
    job.enqueue()
    job.enqueue()
"""


def _ready(site: Site) -> Counter:
    rows = site.sql(
        "SELECT task_path FROM django_tasks_database_dbtaskresult WHERE status = 'READY'"
    )
    return Counter(path.rsplit(".", 1)[-1] for (path,) in rows)


def test_scheduled_jobs_run_once_with_two_schedulers_and_two_workers(site: Site) -> None:
    schedulers = [
        site.python(
            "from django.core.management import call_command\ncall_command('schedule_jobs')"
        )
        for _ in range(2)
    ]
    for proc in schedulers:
        _, err = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0, err[-3000:]
    # Two schedulers at once queue each job once.
    assert set(_ready(site).values()) == {1}

    # Two runs of each daily job due now, as if the guard had been bypassed.
    site.run_python(QUEUE_TWICE)
    logs = [site.tmp / f"jobs{i}.log" for i in range(2)]
    _wait(*(site.worker(log, batch=True) for log in logs))

    runs = dict(site.sql("SELECT job, count(*) FROM core_jobrun GROUP BY job"))
    assert runs["daily_digest"] == 1 and runs["erase_contacts"] == 1
    assert runs["overdue_sweep"] == 1
    digests = site.sql("SELECT count(*), count(DISTINCT user_id) FROM activities_digestlog")[0]
    assert digests[0] == digests[1] > 0
    sent = site.sql(
        "SELECT return_value FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s AND status = 'SUCCESSFUL'",
        ("%daily_digest",),
    )
    assert sorted(value for (value,) in sent) == [0, digests[0]]
    mails = sum(log.read_text().count("Subject:") for log in logs)
    assert mails == digests[0]
    erased = site.sql(
        "SELECT return_value FROM django_tasks_database_dbtaskresult "
        "WHERE task_path LIKE %s AND status = 'SUCCESSFUL'",
        ("%erase_contacts",),
    )
    assert sorted(value for (value,) in erased) == [0, 1]
    assert site.sql("SELECT resident_contact FROM feedback_concern") == [("",)]
    # Each job's chain goes on with exactly one next run.
    ready = _ready(site)
    for job in ("daily_digest", "erase_contacts", "overdue_sweep", "escalate_concerns"):
        assert ready[job] == 1, ready


def test_the_digest_itself_sends_once_per_person_when_two_processes_race(site: Site) -> None:
    # Below the job guard: send_digests called by two processes at the same moment.
    code = (
        "import sys, time\n"
        "from datetime import timedelta\n"
        "from django.utils import timezone\n"
        "from kehoach.activities.notifications import send_digests\n"
        f"start = {time.time() + 4}\n"
        "time.sleep(max(0, start - time.time()))\n"
        "day = timezone.localdate() + timedelta(days=1)\n"
        "print('SENT', send_digests(day), day.isoformat())\n"
    )
    procs = [site.python(code) for _ in range(2)]
    sent = 0
    for proc in procs:
        out, err = proc.communicate(timeout=WAIT)
        assert proc.returncode == 0, err[-3000:]
        count, day = out.split("SENT", 1)[1].split()[:2]
        sent += int(count)
    rows = site.sql(
        "SELECT count(*), count(DISTINCT user_id) FROM activities_digestlog WHERE day = %s",
        (day,),
    )[0]
    assert sent == rows[0] == rows[1] > 0


def _status(site: Site, task_id: str) -> tuple:
    return site.sql(
        "SELECT status, jsonb_array_length(worker_ids::jsonb) "
        "FROM django_tasks_database_dbtaskresult WHERE id = %s",
        (task_id,),
    )[0]


def test_a_killed_workers_task_runs_again(site: Site) -> None:
    runs = site.tmp / "long.txt"
    task_id = site.run_python(
        "from kehoach.core.tests.jobs_probe import long_probe\n"
        f"print(long_probe.enqueue({str(runs)!r}, 120).id)\n"
    ).strip()
    first = site.worker(site.tmp / "killed.log", batch=False)
    try:
        deadline = time.monotonic() + WAIT
        while not (runs.exists() and "start" in runs.read_text()):
            assert time.monotonic() < deadline and first.poll() is None
            time.sleep(0.1)
        # As if the task had been running for a while: still, its worker is alive.
        site.sql(
            "UPDATE django_tasks_database_dbtaskresult "
            "SET started_at = now() - interval '10 minutes' WHERE id = %s",
            (task_id,),
        )
        site.manage("schedule_jobs")
        assert _status(site, task_id) == ("RUNNING", 1)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
    assert "done" not in runs.read_text()
    assert _status(site, task_id) == ("RUNNING", 1)

    # The next start (schedule_jobs runs before the worker) finds the task lost.
    deadline = time.monotonic() + 30
    while "queued again" not in site.manage("schedule_jobs"):
        assert time.monotonic() < deadline, "the dead worker's task was never requeued"
        time.sleep(0.2)
    assert _status(site, task_id) == ("READY", 1)
    _wait(site.worker(site.tmp / "second.log", batch=True))
    assert _status(site, task_id) == ("SUCCESSFUL", 2)
    lines = runs.read_text().split()
    assert lines.count("start") == 2 and lines.count("done") == 1
