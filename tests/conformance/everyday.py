"""Checking the "everyday Python" cases (strings, lists, dicts, sets, classes, generators, ...).

These cases use constructs outside the subset that ``harness.lint_case`` accepts today (list,
dict and set displays, methods, attribute stores, classes, generators, module-level constants)
and pass and return lists, dicts and sets, which ``harness.check_value_type`` rejects.  Until the
harness's subset grows to cover them, the files ``test_strings.py``, ``test_lists.py``,
``test_dicts.py``, ``test_sets.py``, ``test_iteration.py``, ``test_generators.py``,
``test_functions_ext.py``, ``test_classes.py``, ``test_mutation.py`` and
``test_programs_mixed.py`` call ``check_everyday_case`` instead of ``harness.check_case``.  It
differs from ``check_case`` in three ways and is otherwise the same (CPython first, then shoal,
then compare; ``TYPE_ONLY`` honoured; stdout compared):

* a small determinism lint replaces the subset lint: no imports inside cases or their helpers
  and no ``id``/``hash``/``random``/``time``/``input``/``open``;
* arguments and results may also be lists, dicts, sets and frozensets (recursively; never
  instances of user classes), and results are compared with ``same_deep``: identical types
  at every level (so ``[1]`` differs from ``[1.0]`` and ``[True]``), floats bit-exact, dicts in
  the same key order, sets element for element;
* each run gets its own deep copy of the arguments, so a case that mutates a list argument in
  CPython does not change what shoal is given.

When ``harness.check_case`` accepts these constructs, the files can switch back to it.
"""

import ast
import copy
import inspect
import sys
import textwrap

from . import harness

CONTAINER_TYPES = (list, dict, set, frozenset)
FORBIDDEN_NAMES = {"id", "hash", "random", "time", "input", "open", "globals", "locals", "vars"}


def check_value_type_deep(v, where="result"):
    """Values a case may take or return: the harness's scalars, tuples, lists, dicts, sets."""
    if isinstance(v, (tuple, list)) and type(v) in (tuple, list):
        for i, x in enumerate(v):
            check_value_type_deep(x, "%s[%d]" % (where, i))
    elif type(v) is dict:
        for k, x in v.items():
            check_value_type_deep(k, "%s key %r" % (where, k))
            check_value_type_deep(x, "%s[%r]" % (where, k))
    elif type(v) in (set, frozenset):
        for x in v:
            check_value_type_deep(x, "%s element" % where)
    elif type(v) not in harness.VALUE_TYPES:
        raise AssertionError(
            "%s has unsupported type %s: %r" % (where, type(v).__name__, v)
        )


def same_deep(a, b):
    """harness.same() extended to lists, dicts and sets: identical types at every level."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same_deep(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        if len(a) != len(b):
            return False
        if not same_deep(list(a), list(b)):
            return False
        return all(same_deep(a[k], b[k]) for k in a)
    if isinstance(a, (set, frozenset)):
        if a != b:
            return False
        in_b = {x: x for x in b}
        return all(same_deep(x, in_b[x]) for x in a)
    return a == b


def same_outcome_deep(expected, actual, type_only=False):
    if expected[0] != actual[0]:
        return False
    if expected[0] == "value":
        return same_deep(expected[1], actual[1]) and expected[2] == actual[2]
    if expected[1] != actual[1]:
        return False
    if not type_only and expected[2] != actual[2]:
        return False
    return expected[3] == actual[3]


class DeterminismError(AssertionError):
    pass


def _lint_function(f, seen):
    if f in seen:
        return
    seen.add(f)
    src = textwrap.dedent(inspect.getsource(f))
    tree = ast.parse(src)
    first = f.__code__.co_firstlineno
    for node in ast.walk(tree):
        bad = None
        if isinstance(node, (ast.Import, ast.ImportFrom, ast.Global)):
            bad = type(node).__name__
        elif isinstance(node, ast.Name) and node.id in FORBIDDEN_NAMES:
            bad = "name %r" % node.id
        if bad:
            raise DeterminismError(
                "%s (%s:%d): %s is not allowed in a conformance case"
                % (f.__name__, inspect.getsourcefile(f), first + getattr(node, "lineno", 1) - 1, bad)
            )
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            g = f.__globals__.get(node.id)
            if inspect.isfunction(g) and g.__module__ == f.__module__:
                _lint_function(g, seen)
            elif inspect.isclass(g) and g.__module__ == f.__module__:
                for member in vars(g).values():
                    fn = member
                    if isinstance(member, (staticmethod, classmethod)):
                        fn = member.__func__
                    elif isinstance(member, property):
                        fn = member.fget
                    if inspect.isfunction(fn):
                        _lint_function(fn, seen)


def lint_everyday_case(f):
    _lint_function(f, set())


def _with_fresh_args(case, run, *extra):
    """Run ``run(*extra, case)`` with a deep copy of the case's arguments."""
    had_args = hasattr(case, "shoal_args")
    had_kwargs = hasattr(case, "shoal_kwargs")
    args, kwargs = harness.case_args(case)
    case.shoal_args = copy.deepcopy(args)
    case.shoal_kwargs = copy.deepcopy(kwargs)
    try:
        return run(*extra, case)
    finally:
        if had_args:
            case.shoal_args = args
        else:
            del case.shoal_args
        if had_kwargs:
            case.shoal_kwargs = kwargs
        else:
            del case.shoal_kwargs


def check_everyday_case(case, cluster):
    """Body of ``test_case`` in the everyday files; see the module docstring."""
    import pytest

    module = sys.modules[case.__module__]
    try:
        lint_everyday_case(case)
    except DeterminismError as e:
        pytest.fail(str(e), pytrace=False)
    args, kwargs = harness.case_args(case)
    for i, a in enumerate(args):
        check_value_type_deep(a, "argument %d" % i)
    for k, a in kwargs.items():
        check_value_type_deep(a, "argument %s" % k)
    expected = _with_fresh_args(case, harness.run_in_cpython)
    if expected[0] == "value":
        check_value_type_deep(expected[1])
    if cluster is None:  # SHOAL_CPYTHON_ONLY=1
        return
    if isinstance(cluster, harness.Unavailable):
        pytest.fail(
            "CPython side ran (%s) but shoal is unavailable: %s "
            "(set SHOAL_CPYTHON_ONLY=1 to check only the CPython side)"
            % (harness.show(expected), cluster.reason),
            pytrace=False,
        )
    try:
        actual = _with_fresh_args(case, harness.run_in_shoal, cluster)
    except harness.ShoalInfrastructureError as e:
        pytest.fail(
            "%s: shoal failed: %s\n  expected (CPython): %s"
            % (case.__name__, e, harness.show(expected)),
            pytrace=False,
        )
    type_only = case.__name__ in getattr(module, "TYPE_ONLY", ())
    if not same_outcome_deep(expected, actual, type_only):
        pytest.fail(
            "%s differs\n  CPython: %s\n  shoal:   %s"
            % (case.__name__, harness.show(expected), harness.show(actual)),
            pytrace=False,
        )
