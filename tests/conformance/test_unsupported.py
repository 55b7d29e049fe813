"""Constructs outside the supported subset must raise shoal.UnsupportedError.

The message must name this file and the line of the offending construct.
Offending lines carry the marker comment ``# <- unsupported``; the expected
line number is looked up from the source, never hard-coded.  A construct that
could reasonably be reported on one of two lines (``global`` + assignment)
marks both, and either is accepted.

None of these functions is ever called in CPython.
"""

import inspect
import os
import re

import pytest

from . import harness

MARKER = "# <- unsupported"
COUNTER = 0


def marker_lines(*funcs):
    found = []
    for f in funcs:
        lines, start = inspect.getsourcelines(f)
        found += [start + i for i, line in enumerate(lines) if MARKER in line]
    assert found, "no %r marker in %s" % (MARKER, [f.__name__ for f in funcs])
    return found


def expect_unsupported(cluster, f, *args, where=()):
    """Submit f(*args); require UnsupportedError naming this file and a marked line."""
    if harness.CPYTHON_ONLY:
        pytest.skip("SHOAL_CPYTHON_ONLY=1: no shoal to check against")
    if isinstance(cluster, harness.Unavailable):
        pytest.fail(cluster.reason, pytrace=False)
    import shoal

    lines = marker_lines(*(where or (f,)))
    with pytest.raises(shoal.UnsupportedError) as info:
        fut = cluster.submit(f, *args)
        fut.result(timeout=harness.RESULT_TIMEOUT)
    msg = str(info.value)
    basename = os.path.basename(__file__)
    assert basename in msg, "file %s not named in %r" % (basename, msg)
    assert any(re.search(r"(?<!\d)%d(?!\d)" % n, msg) for n in lines), (
        "none of the lines %s named in %r" % (lines, msg)
    )
    return msg


# ---------------------------------------------------------------- constructs


def uses_yield_from(n):
    yield from range(n)  # <- unsupported


def uses_with(n):
    with n:  # <- unsupported
        return 1


def uses_async_def(n):
    async def inner():  # <- unsupported
        return n

    return 0


def uses_global(n):
    global COUNTER  # <- unsupported
    COUNTER = n  # <- unsupported
    return n


def uses_class(n):
    class Local:  # <- unsupported
        pass

    return n


def uses_import(n):
    import os  # <- unsupported

    return n


def uses_match(n):
    x = n + 1
    match x:  # <- unsupported
        case 1:
            return 0
    return x


def uses_bytes_literal(n):
    d = b"ab"  # <- unsupported
    return n


def uses_raise_from(n):
    raise ValueError(n) from None  # <- unsupported


def uses_ellipsis(n):
    return ...  # <- unsupported


def uses_del_of_captured(n):
    x = n
    f = lambda: x
    del x  # <- unsupported
    return n


def uses_walrus(n):
    if (y := n + 1) > 0:  # <- unsupported
        return y
    return 0


def uses_positional_only(a, /):  # <- unsupported
    return 0


def star_target(a, b):
    return a + b


class StarHolder:
    def add(self, a, b):
        return a + b


def uses_star_call(t):
    return StarHolder().add(*t)  # <- unsupported


def helper_with_with(n):
    with open("x"):  # <- unsupported
        return n


def calls_helper_with_with(n):
    return helper_with_with(n) + 1


def uses_yield_in_lambda(n):
    f = lambda: (yield n)  # <- unsupported
    return 0


# ---------------------------------------------------------------- tests


def test_unsupported_yield_from(cluster):
    expect_unsupported(cluster, uses_yield_from, 3)


def test_unsupported_with_statement(cluster):
    expect_unsupported(cluster, uses_with, 3)


def test_unsupported_async_def(cluster):
    expect_unsupported(cluster, uses_async_def, 3)


def test_unsupported_global_assignment(cluster):
    expect_unsupported(cluster, uses_global, 3)


def test_unsupported_class_definition(cluster):
    expect_unsupported(cluster, uses_class, 3)


def test_unsupported_import_in_function(cluster):
    expect_unsupported(cluster, uses_import, 3)


def test_unsupported_match(cluster):
    expect_unsupported(cluster, uses_match, 3)


def test_unsupported_bytes_literal(cluster):
    expect_unsupported(cluster, uses_bytes_literal, 3)


def test_unsupported_raise_from(cluster):
    expect_unsupported(cluster, uses_raise_from, 3)


def test_unsupported_ellipsis(cluster):
    expect_unsupported(cluster, uses_ellipsis, 3)


def test_unsupported_del_of_captured_variable(cluster):
    expect_unsupported(cluster, uses_del_of_captured, 3)


def test_unsupported_walrus(cluster):
    expect_unsupported(cluster, uses_walrus, 3)


def test_unsupported_positional_only_parameter(cluster):
    expect_unsupported(cluster, uses_positional_only, 3)


def test_unsupported_star_call_of_a_method(cluster):
    expect_unsupported(cluster, uses_star_call, (1, 2))


def test_unsupported_construct_in_referenced_helper(cluster):
    expect_unsupported(cluster, calls_helper_with_with, 3, where=(helper_with_with,))


def test_unsupported_yield_in_lambda(cluster):
    expect_unsupported(cluster, uses_yield_in_lambda, 3)


def test_markers_resolve_to_real_lines():
    """Sanity check of the marker lookup itself (runs in every mode)."""
    (line,) = marker_lines(uses_ellipsis)
    with open(__file__, encoding="utf-8") as fh:
        text = fh.read().splitlines()[line - 1]
    assert "return ..." in text

