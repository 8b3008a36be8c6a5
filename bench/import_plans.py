"""Benchmark of the plan importer: milliseconds per document and per KB.

Imports the fixture plan and every corpus plan N times (bytes → ParsedPlan, the whole road
a .txt upload takes) and prints the figures. Target: under 20 ms for a 30 KB plan.

    .venv/bin/python bench/import_plans.py [--repeat N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kehoach.plans.importer.parser import import_document  # noqa: E402

FIXTURE = ROOT / "kehoach" / "core" / "demo_data" / "ke-hoach-tuyen-truyen-ct58.txt"
CORPUS = ROOT / "kehoach" / "plans" / "tests" / "corpus"


def documents() -> list[Path]:
    found = [FIXTURE] if FIXTURE.exists() else []
    return found + sorted(CORPUS.glob("*.txt"))


def measure(path: Path, repeat: int) -> tuple[float, float]:
    data = path.read_bytes()
    import_document(data, path.name, 10 * 1024 * 1024)  # warm up (regex compilation, caches)
    start = time.perf_counter()
    for _ in range(repeat):
        import_document(data, path.name, 10 * 1024 * 1024)
    per_doc = (time.perf_counter() - start) * 1000 / repeat
    return per_doc, per_doc / (len(data) / 1024)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    paths = documents()
    if not paths:
        print("no documents to import")
        return
    print(f"{'document':58} {'KB':>6} {'ms/doc':>8} {'ms/KB':>7}")
    total_ms = total_kb = 0.0
    worst = 0.0
    for path in paths:
        kb = path.stat().st_size / 1024
        per_doc, per_kb = measure(path, args.repeat)
        total_ms, total_kb, worst = total_ms + per_doc, total_kb + kb, max(worst, per_kb)
        print(f"{path.name[:58]:58} {kb:6.1f} {per_doc:8.2f} {per_kb:7.3f}")
    print(f"{'all':58} {total_kb:6.1f} {total_ms:8.2f} {total_ms / total_kb:7.3f}")
    print(
        f"mean {total_ms / total_kb:.3f} ms/KB (worst {worst:.3f}): "
        f"a 30 KB plan ≈ {30 * total_ms / total_kb:.1f} ms (target < 20 ms), "
        f"{args.repeat} runs each"
    )


if __name__ == "__main__":
    main()
