"""Every examples/*.py runs under `shoal run` (one test per file, picked up by glob): exit code 0
and no traceback. Examples with a known output also have it checked."""

import glob
import os
import subprocess

import pytest

HERE = os.path.abspath(__file__)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
BUILD = os.environ.get("SHOAL_BUILD_DIR", os.path.join(ROOT, "build"))
SHOAL = os.path.join(BUILD, "shoal")
EXAMPLES = sorted(glob.glob(os.path.join(ROOT, "examples", "*.py")))

#: The exact stdout of examples whose output is fixed.
EXPECTED_STDOUT = {
    "hello.py": "hello, shoal\nsum of squares: %d\n" % sum(i * i for i in range(1000)),
}


def test_there_are_examples():
    assert "hello.py" in [os.path.basename(p) for p in EXAMPLES]


@pytest.mark.parametrize("path", EXAMPLES, ids=os.path.basename)
def test_example_runs(path):
    # from the examples folder, as a user would run them; a generous limit for larger examples
    proc = subprocess.run([SHOAL, "run", path], capture_output=True, text=True,
                          cwd=os.path.dirname(path), timeout=120)
    info = "rc=%s\n--- stdout ---\n%s\n--- stderr ---\n%s" % (proc.returncode, proc.stdout, proc.stderr)
    assert proc.returncode == 0, info
    assert "Traceback (most recent call last)" not in proc.stderr + proc.stdout, info
    assert "UnsupportedError" not in proc.stderr, info
    expected = EXPECTED_STDOUT.get(os.path.basename(path))
    if expected is not None:
        assert proc.stdout == expected, info
