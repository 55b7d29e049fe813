"""pytest wiring for the conformance suite.

Every ``test_*.py`` file here defines ``test_case(case, cluster)``; this
conftest parametrizes ``case`` over the file's ``case_*`` functions, so each
case gets its own test id, e.g. ``test_ints.py::test_case[case_int_add]``.

SHOAL_CPYTHON_ONLY=1 runs only the CPython side (validating the cases
themselves); otherwise a single embedded shoal cluster serves the session.
"""

import os

import pytest

from . import harness

KNOWN_GAPS_FILE = os.path.join(os.path.dirname(__file__), "known_gaps.txt")


def known_gaps():
    """{'test_file.py::case_name': reason} for the cases shoal does not pass yet. Each one is a
    strict expected failure: a case that starts passing fails the suite until it leaves the list."""
    gaps = {}
    if os.path.exists(KNOWN_GAPS_FILE):
        with open(KNOWN_GAPS_FILE, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if line and not line.startswith("#"):
                    key, _, reason = line.partition(" ")
                    gaps[key] = reason.strip() or "not supported yet"
    return gaps


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        cases = harness.collect(metafunc.module)
        gaps = {} if harness.CPYTHON_ONLY else known_gaps()
        fname = os.path.basename(metafunc.module.__file__)
        params = []
        for c in cases:
            reason = gaps.get("%s::%s" % (fname, c.__name__))
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            params.append(pytest.param(c, id=c.__name__, marks=marks))
        metafunc.parametrize("case", params)


@pytest.fixture(scope="session")
def cluster():
    if harness.CPYTHON_ONLY:
        yield None
        return
    try:
        import shoal
    except Exception as e:  # noqa: BLE001
        yield harness.Unavailable("import shoal failed: %s: %s" % (type(e).__name__, e))
        return
    with shoal.connect(workers=2) as c:
        yield c
