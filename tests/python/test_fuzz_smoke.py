"""Smoke test of the differential fuzzer (tests/fuzz/fuzz_compiler.py).

Runs the fuzzer for a fixed seed and 150 generated functions (about 500 calls, each in CPython
and in shoal, shoal in a child process) and requires no mismatch, crash, hang or internal
compiler error. Takes about 15 seconds.

Generators that still hit known, open shoal bugs are turned off below, each with the bug it
hits; delete an entry once its bug is fixed.
"""

import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
FUZZER = os.path.join(ROOT, "tests", "fuzz", "fuzz_compiler.py")
BUILD = os.environ.get("SHOAL_BUILD_DIR", os.path.join(ROOT, "build"))

SEED = "smoke"
COUNT = 150

#: feature -> the known bug its generator runs into
KNOWN_BUGS = {}


def test_fuzzer_smoke():
    cmd = [sys.executable, FUZZER, "--seed", SEED, "--count", str(COUNT), "--build", BUILD, "--no-reduce", "--quiet"]
    if KNOWN_BUGS:
        cmd += ["--disable", ",".join(sorted(KNOWN_BUGS))]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300, cwd=ROOT)
    output = "--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.stdout, proc.stderr[-5000:])
    summary = re.search(r"shoal fuzz: .*", proc.stdout)
    assert summary, output
    counts = dict(re.findall(r"(\w[\w-]*)=(\d+)", summary.group(0)))
    assert int(counts["cases"]) == COUNT, output
    for what in ("mismatches", "crashes", "hangs", "internal-errors"):
        assert counts[what] == "0", output
    # the generated code mostly compiles: shoal.UnsupportedError is a skip, not a pass
    assert int(counts["ok"]) >= 3 * COUNT, output
    assert proc.returncode == 0, output
