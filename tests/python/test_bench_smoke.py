"""Smoke test for the benchmark harness (bench/run.py).

Runs ``bench/run.py --quick --repeat 1`` as a subprocess and checks that it
exits 0 and reports every kernel.  It passes whether or not shoal is
importable: without shoal the runner prints "shoal unavailable" in the shoal
columns and still checks CPython against C++.  With shoal it fails if a
kernel raises in shoal or returns a different result.
"""

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

KERNELS = [
    "sum_squares",
    "sum_squares_gen",
    "pairwise",
    "fib",
    "monte_carlo_pi",
    "count_primes",
    "nbody",
    "mandelbrot",
]


def test_bench_quick_runs_and_reports_every_kernel():
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = f"--- stdout ---\n{proc.stdout}\n--- stderr ---\n{proc.stderr}"
    assert proc.returncode == 0, output
    for name in KERNELS:
        # a table row starts with the kernel name followed by whitespace
        # (so "sum_squares" is not satisfied by "sum_squares_gen")
        assert re.search(rf"^{re.escape(name)}\s", proc.stdout, re.MULTILINE), (
            f"kernel {name!r} missing from the table\n{output}")
    assert "PROBLEMS" not in proc.stdout, output
