"""Load test: gunicorn with several workers on loopback, driven by logged-in sessions.

    .venv/bin/python bench/load.py [--levels 10,20,50] [--seconds 20] [--activities 5000]
                                   [--workers 4] [--server postgres://postgres@127.0.0.1:5432]

It makes a fresh PostgreSQL database (kehoach_load, dropped and made again), migrates it, loads
the demo ward and adds --activities activities spread over its units, topics and the year. Then it
starts gunicorn (--workers processes, DEBUG off, as in production) on a free port, signs in one
session per client as the demo ward's unit heads, and for each concurrency level runs that many
clients for --seconds, each requesting the next address of a fixed mix of main pages and API
calls as soon as the previous answer arrived. For each level it prints requests per second,
p50/p95/p99 latency in milliseconds and the errors (any status but 200, or no answer). The run
stops by itself; gunicorn is stopped at the end. Exit status 1 when any request failed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "tai-thu-2026-kehoach"  # not the demo password, which DEBUG off refuses
# Unit heads: their role needs no second factor, so a plain sign-in opens the session.
PEOPLE = ("chibo1", "chibo2", "ubnd", "mattran")
MIX = (
    "/",
    "/tong-quan/",
    "/hoat-dong/",
    "/api/v1/activities?limit=50",
    "/viec/",
    "/bao-cao/",
    "/api/v1/tasks",
    "/y-kien/",
    "/noi-dung/",
    "/api/v1/dashboard",
    "/hoat-dong/?page=2",
    "/api/v1/concerns",
)

SEED = """
import random
from datetime import date, timedelta
from django.contrib.auth import get_user_model
from kehoach.activities.models import Activity, ActivityTopic, Channel
from kehoach.core.demo import WARD
from kehoach.org.models import Unit
from kehoach.plans.models import Plan, Topic

count = int({count})
rng = random.Random(58)
ward = Unit.objects.get(name=WARD, parent=None)
units = list(Unit.objects.filter(path__startswith=ward.path).exclude(pk=ward.pk))
plan = Plan.objects.filter(unit=ward).first()
topics = list(Topic.objects.filter(plan=plan)) if plan else []
channels = list(Channel.values)
for offset in range(0, count, 2000):
    rows = [
        Activity(
            unit=rng.choice(units), plan=plan,
            date=date(2026, 1, 1) + timedelta(rng.randrange(360)),
            channel=rng.choice(channels), participants=rng.randrange(200),
            listeners=rng.randrange(500), views=rng.randrange(1000),
            description="Tuyên truyền Chỉ thị 58 tại tổ dân phố",
        )
        for _ in range(min(2000, count - offset))
    ]
    Activity.objects.bulk_create(rows)
    if topics:
        ActivityTopic.objects.bulk_create(
            ActivityTopic(activity=a, topic=rng.choice(topics)) for a in rows
        )
from kehoach.dashboard.tallies import rebuild
rebuild()
for user in get_user_model().objects.filter(username__in={people!r}):
    user.set_password({password!r})
    user.save()
print(Activity.objects.count())
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_db(url: str, name: str) -> str:
    return urlunsplit(urlsplit(url)._replace(path=f"/{name}"))


def prepare(server: str, activities: int, env: dict[str, str]) -> None:
    import psycopg

    with psycopg.connect(with_db(server, "postgres"), autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS kehoach_load WITH (FORCE)")
        admin.execute("CREATE DATABASE kehoach_load")
    python = [sys.executable, "manage.py"]
    for step in (["migrate", "--noinput", "-v", "0"], ["demo"]):
        subprocess.run([*python, *step], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    seed = SEED.format(count=activities, people=list(PEOPLE), password=PASSWORD)
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + seed],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    print(f"database ready: {done.stdout.strip()} activities in the demo ward", flush=True)


def start_server(env: dict[str, str], port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers",
            str(workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return proc
        if proc.poll() is not None:
            raise SystemExit("gunicorn did not start")
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("gunicorn did not answer within 60 s")


async def sign_in(base: str, username: str):
    import httpx

    client = httpx.AsyncClient(base_url=base, timeout=30, follow_redirects=False)
    page = await client.get("/tai-khoan/dang-nhap/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    if page.status_code != 200 or token is None:
        raise SystemExit(f"sign-in page: HTTP {page.status_code}")
    answer = await client.post(
        "/tai-khoan/dang-nhap/",
        data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1)},
        headers={"Referer": f"{base}/tai-khoan/dang-nhap/"},
    )
    if answer.status_code != 302 or "sessionid" not in client.cookies:
        raise SystemExit(f"sign-in of {username} failed: HTTP {answer.status_code}")
    return client


async def check_mix(client) -> None:
    for path in MIX:
        answer = await client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{path}: HTTP {answer.status_code} before the load even started")


async def drive(clients: list, seconds: float) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    stop = time.monotonic() + seconds

    async def one(index: int, client) -> None:
        nonlocal errors
        step = index  # each client starts at another point of the mix
        while time.monotonic() < stop:
            path = MIX[step % len(MIX)]
            step += 1
            began = time.perf_counter()
            try:
                answer = await client.get(path)
                ok = answer.status_code == 200
            except Exception:  # noqa: BLE001 - a failed request is counted, not raised
                ok = False
            latencies.append((time.perf_counter() - began) * 1000)
            if not ok:
                errors += 1

    began = time.monotonic()
    await asyncio.gather(*(one(i, c) for i, c in enumerate(clients)))
    return latencies, errors, time.monotonic() - began


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


async def run(base: str, levels: list[int], seconds: float) -> int:
    sessions = [await sign_in(base, PEOPLE[i % len(PEOPLE)]) for i in range(max(levels))]
    await check_mix(sessions[0])
    await drive(sessions[: min(levels)], min(5.0, seconds))  # warm-up, not counted
    failed = 0
    print(
        f"{'clients':>7} {'requests':>8} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'errors':>6}"
    )
    for level in levels:
        latencies, errors, took = await drive(sessions[:level], seconds)
        failed += errors
        print(
            f"{level:>7} {len(latencies):>8} {len(latencies) / took:>7.1f} "
            f"{statistics.median(latencies):>7.0f} {percentile(latencies, 0.95):>7.0f} "
            f"{percentile(latencies, 0.99):>7.0f} {errors:>6}",
            flush=True,
        )
    for client in sessions:
        await client.aclose()
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", default="10,20,50")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--activities", type=int, default=5000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--server", default="postgres://postgres@127.0.0.1:5432")
    args = parser.parse_args()
    levels = [int(x) for x in args.levels.split(",")]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": with_db(args.server, "kehoach_load"),
        "TASK_BACKEND": "database",
        "DEBUG": "false",
        "SECRET_KEY": "load-test-only-" + "x" * 40,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "CONN_MAX_AGE": "60",
        "LOG_LEVEL": "WARNING",
    }
    prepare(args.server, args.activities, env)
    port = free_port()
    server = start_server(env, port, args.workers)
    try:
        print(f"gunicorn: {args.workers} workers on 127.0.0.1:{port}; {args.seconds:.0f} s a level")
        failed = asyncio.run(run(f"http://127.0.0.1:{port}", levels, args.seconds))
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
    print(f"errors: {failed}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
