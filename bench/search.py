"""Search over a ward of 60 units with 100,000 activities (and the plan, its topics and the
documents it cites) in the index.

    .venv/bin/python bench/search.py [--activities 100000] [--repeat 20]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kehoach_bench .venv/bin/python bench/search.py

Prints the median and 95th percentile time of several searches (the search itself, then
the page and the API) for the coordinator (the whole ward) and a cell secretary (one cell),
with the number of records each finds. Target: under 100 ms. Runs on a throw-away SQLite
file unless DATABASE_URL says otherwise.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
tmp = tempfile.mkdtemp(prefix="kehoach-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")

TARGET_MS = 100

OPENINGS = [
    "Tổ chức hội nghị quán triệt",
    "Sinh hoạt chi bộ chuyên đề về",
    "Phát bản tin truyền thanh về",
    "Treo băng rôn, pa nô tuyên truyền",
    "Đăng tin trên trang Zalo của tổ dân phố về",
    "Tuyên truyền miệng tại buổi họp tổ dân phố về",
    "Phát tờ rơi về",
]
SUBJECTS = [
    "Chỉ thị số 58-CT/TW của Ban Bí thư",
    "Nghị quyết Đại hội Đảng bộ phường",
    "chuyển đổi số và Đề án 06",
    "phòng cháy chữa cháy mùa hanh khô",
    "an toàn giao thông cho học sinh",
    "bầu cử đại biểu Quốc hội và Hội đồng nhân dân",
    "Chương trình hành động số 20-CTr/TU của Thành ủy",
    "phòng chống ma túy trong thanh thiếu niên",
    "vệ sinh môi trường, phân loại rác tại nguồn",
    "Kế hoạch số 159/KH-UBND của Ủy ban nhân dân phường",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "kỷ niệm ngày thành lập Đảng Cộng sản Việt Nam",
]
AUDIENCES = [
    "cho đảng viên chi bộ",
    "cho đoàn viên thanh niên",
    "cho hội viên phụ nữ",
    "cho công nhân các doanh nghiệp",
    "cho Nhân dân tổ dân phố số {n}",
    "tại nhà văn hóa khu dân cư số {n}",
]
QUERIES = [
    ("no match", "kiem toan hang khong"),
    ("accentless, rare", "de an 06"),
    ("d for đ", "dang bo phuong"),
    ("number 58-CT/TW", "58-CT/TW"),
    ("number spaced", "58 CT TW"),
    ("number joined", "ct58"),
    ("state number", "159/KH-UBND"),
    ("three words", "phong chay chua chay"),
    ("very common word", "tuyen truyen"),
    ("two common words", "cho dang vien"),
]


def describe(rng: random.Random) -> str:
    audience = rng.choice(AUDIENCES).format(n=rng.randrange(1, 60))
    return f"{rng.choice(OPENINGS)} {rng.choice(SUBJECTS)} {audience}."


def timed(action, repeat: int) -> tuple[float, float, float]:
    """Median and 95th percentile wall time, and median CPU time of this process (SQLite
    runs in it), in ms: on a busy machine the CPU time is the steadier figure."""
    action()
    times, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        action()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return statistics.median(times), p95, statistics.median(cpu)


def line(label: str, median: float, p95: float, cpu: float, found: str = "") -> None:
    verdict = "ok" if p95 < TARGET_MS else f"over {TARGET_MS} ms"
    print(
        f"  {label:<22} median {median:6.1f} ms  p95 {p95:6.1f} ms  cpu {cpu:6.1f} ms  "
        f"{found:<12} {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=60)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from bench.city import build_ward_with_activities
    from kehoach.activities.models import Activity, Channel
    from kehoach.core.testing import client_for
    from kehoach.documents.models import SourceDocument
    from kehoach.documents.registry import number_key
    from kehoach.plans.models import Citation, Topic
    from kehoach.search.index import rebuild
    from kehoach.search.models import SearchEntry
    from kehoach.search.results import search

    setup_test_environment()
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    people, plan = build_ward_with_activities(args.units, 5, 0)
    units = list(plan.assignments.get().units.all())
    for number, title in (("58-CT/TW", "về tăng cường công tác tuyên truyền"),):
        document = SourceDocument.objects.create(
            number=number, number_key=number_key(number), doc_type="CT", title=title
        )
        Citation.objects.create(plan=plan, document=document, topic=Topic.objects.first())
    rng = random.Random(58)
    channels = list(Channel.values)
    batch = 5000
    for offset in range(0, args.activities, batch):
        Activity.objects.bulk_create(
            Activity(
                unit=rng.choice(units),
                plan=plan,
                channel=rng.choice(channels),
                description=describe(rng),
                participants=rng.randrange(200),
            )
            for _ in range(min(batch, args.activities - offset))
        )
    built = time.perf_counter() - started
    t0 = time.perf_counter()
    rebuild()
    indexed = time.perf_counter() - t0
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(
        f"{connection.vendor}: {args.units} units, {Activity.objects.count():,} activities "
        f"built in {built:.1f} s; index of {SearchEntry.objects.count():,} entries "
        f"rebuilt in {indexed:.1f} s"
    )

    for persona in ("coordinator", "secretary"):
        user = people[persona]
        print(f"{persona} (search service, all kinds, 5 per kind):")
        for label, text in QUERIES:
            results = search(user, text)
            more = "+" if any(g.more for g in results.groups) else ""
            found = f"{results.total:,}{more} found"
            line(label, *timed(lambda text=text, user=user: search(user, text), args.repeat), found)

    client = client_for(people["coordinator"])
    print("coordinator (whole request):")
    for label, url in (
        ("page, common word", "/tim-kiem/?q=tuyen+truyen"),
        ("page, number", "/tim-kiem/?q=58-CT%2FTW"),
        ("page, one kind, p. 3", "/tim-kiem/?q=58-CT%2FTW&loai=activity&trang=3"),
        ("API, common word", "/api/v1/search?q=tuyen+truyen"),
        ("API, number", "/api/v1/search?q=ct58&kind=activity&limit=50"),
    ):
        status = client.get(url).status_code
        if status != 200:
            print(f"  {label:<22} {url} answered {status}")
            continue
        line(label, *timed(lambda url=url: client.get(url), args.repeat))


if __name__ == "__main__":
    main()
