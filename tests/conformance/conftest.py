"""pytest wiring for the conformance suite.

Every ``test_*.py`` file here defines ``test_case(case, cluster)``; this
conftest parametrizes ``case`` over the file's ``case_*`` functions, so each
case gets its own test id, e.g. ``test_ints.py::test_case[case_int_add]``.

SHOAL_CPYTHON_ONLY=1 runs only the CPython side (validating the cases
themselves); otherwise a single embedded shoal cluster serves the session.
"""

import pytest

from . import harness


def pytest_generate_tests(metafunc):
    if "case" in metafunc.fixturenames:
        cases = harness.collect(metafunc.module)
        metafunc.parametrize("case", cases, ids=[c.__name__ for c in cases])


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
