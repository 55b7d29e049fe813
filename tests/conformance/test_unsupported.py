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


def uses_yield(n):
    for i in range(n):
        yield i  # <- unsupported


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


def uses_list_literal(n):
    x = n + 1
    xs = [1, 2]  # <- unsupported
    return x


def uses_dict_literal(n):
    d = {'a': n}  # <- unsupported
    return n


def uses_set_literal(n):
    s = {n, 1}  # <- unsupported
    return n


def uses_fstring(n):
    return f"value {n}"  # <- unsupported


def uses_del(n):
    x = n
    del x  # <- unsupported
    return n


def uses_walrus(n):
    if (y := n + 1) > 0:  # <- unsupported
        return y
    return 0


def uses_star_args(*args):  # <- unsupported
    return 0


def star_target(a, b):
    return a + b


def uses_star_call(t):
    return star_target(*t)  # <- unsupported


def helper_with_list(n):
    return len([n, n])  # <- unsupported


def calls_helper_with_list(n):
    return helper_with_list(n) + 1


def uses_list_comprehension(n):
    return sum([i for i in range(n)])  # <- unsupported


# ---------------------------------------------------------------- tests


def test_unsupported_yield(cluster):
    expect_unsupported(cluster, uses_yield, 3)


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


def test_unsupported_list_literal(cluster):
    expect_unsupported(cluster, uses_list_literal, 3)


def test_unsupported_dict_literal(cluster):
    expect_unsupported(cluster, uses_dict_literal, 3)


def test_unsupported_set_literal(cluster):
    expect_unsupported(cluster, uses_set_literal, 3)


def test_unsupported_fstring(cluster):
    expect_unsupported(cluster, uses_fstring, 3)


def test_unsupported_del(cluster):
    expect_unsupported(cluster, uses_del, 3)


def test_unsupported_walrus(cluster):
    expect_unsupported(cluster, uses_walrus, 3)


def test_unsupported_star_args_parameter(cluster):
    expect_unsupported(cluster, uses_star_args, 3)


def test_unsupported_star_args_call(cluster):
    expect_unsupported(cluster, uses_star_call, (1, 2))


def test_unsupported_construct_in_referenced_helper(cluster):
    expect_unsupported(cluster, calls_helper_with_list, 3, where=(helper_with_list,))


def test_unsupported_list_comprehension(cluster):
    expect_unsupported(cluster, uses_list_comprehension, 3)


def test_markers_resolve_to_real_lines():
    """Sanity check of the marker lookup itself (runs in every mode)."""
    (line,) = marker_lines(uses_fstring)
    with open(__file__, encoding="utf-8") as fh:
        text = fh.read().splitlines()[line - 1]
    assert 'f"value {n}"' in text

