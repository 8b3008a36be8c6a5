"""A bounded atheris run over the plan importer (tests/fuzz/atheris_importer.py): it stops
by itself after FUZZ_RUNS inputs or FUZZ_SECONDS, and fails on any exception other than a
refusal with a message, or on an input that takes longer than 10 s (a hang)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
RUNS = int(os.environ.get("FUZZ_RUNS", "3000"))
SECONDS = int(os.environ.get("FUZZ_SECONDS", "60"))


def test_the_importer_survives_a_bounded_fuzzing_run(tmp_path):
    try:
        import atheris  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("atheris is not installed (pip install -e '.[dev]')")
        pytest.skip("atheris is not installed")
    corpus = tmp_path / "corpus"
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tests" / "fuzz" / "atheris_importer.py"),
            str(corpus),
            f"-runs={RUNS}",
            f"-max_total_time={SECONDS}",
            "-timeout=10",
            "-rss_limit_mb=2048",
            f"-artifact_prefix={tmp_path}/",
        ],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        timeout=SECONDS + 120,
    )
    log = result.stdout + result.stderr
    assert result.returncode == 0, log[-4000:]
    done = re.search(r"Done (\d+) runs", log)
    assert done, log[-2000:]
    print(f"atheris: {done.group(1)} inputs, no crash, no hang")
    assert int(done.group(1)) > 0
