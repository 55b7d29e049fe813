"""Conformance harness: run a case in CPython and through shoal, compare outcomes.

A *case* is a plain module-level function named ``case_*`` in a ``test_*.py``
file of this directory.  Its arguments come from the ``@given(...)`` decorator.
An *outcome* is one of::

    ('value', value, stdout)
    ('raise', exception_type_name, str(exception), stdout)

Two outcomes agree when values are ``same()`` (identical types, recursively;
floats bit-exact, NaN equal to NaN), exception type names and messages are
equal (only the type for cases named in the module's ``TYPE_ONLY`` set), and
the printed output is identical.
"""

import ast
import builtins
import contextlib
import inspect
import io
import math
import os
import sys
import textwrap
import types

CPYTHON_ONLY = os.environ.get("SHOAL_CPYTHON_ONLY", "") not in ("", "0")
RESULT_TIMEOUT = float(os.environ.get("SHOAL_CONFORMANCE_TIMEOUT", "120"))


# --------------------------------------------------------------------------
# declaring cases


def given(*args, **kwargs):
    """Record the arguments a case is called with; returns the same function."""

    def decorate(f):
        f.shoal_args = args
        f.shoal_kwargs = kwargs
        return f

    return decorate


def case_args(f):
    return getattr(f, "shoal_args", ()), getattr(f, "shoal_kwargs", {})


def collect(namespace):
    """The ``case_*`` functions of a module (or its ``globals()``), in source order.

    Raises if two cases share a name (the later ``def`` would silently hide
    the earlier one) or if ``TYPE_ONLY`` names a case that does not exist.
    """
    if isinstance(namespace, types.ModuleType):
        modname, ns = namespace.__name__, vars(namespace)
    else:
        modname, ns = namespace["__name__"], namespace
    cases = [
        v
        for k, v in ns.items()
        if k.startswith("case_") and inspect.isfunction(v) and v.__module__ == modname
    ]
    cases.sort(key=lambda f: f.__code__.co_firstlineno)
    filename = ns.get("__file__")
    if filename:
        with open(filename, encoding="utf-8") as fh:
            tree = ast.parse(fh.read(), filename)
        seen = {}
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.startswith("case_"):
                if node.name in seen:
                    raise RuntimeError(
                        "%s: case %s defined twice (lines %d and %d)"
                        % (filename, node.name, seen[node.name], node.lineno)
                    )
                seen[node.name] = node.lineno
    names = {f.__name__ for f in cases}
    for name in ns.get("TYPE_ONLY", ()):
        if name not in names:
            raise RuntimeError("TYPE_ONLY names unknown case %r" % (name,))
    return cases


# --------------------------------------------------------------------------
# running


def _exc_name(exc_type):
    if exc_type.__module__ == "builtins":
        return exc_type.__name__
    return "%s.%s" % (exc_type.__module__, exc_type.__qualname__)


def run_in_cpython(f):
    """Call the case in this interpreter, capturing what it prints."""
    args, kwargs = case_args(f)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            value = f(*args, **kwargs)
        except Exception as e:  # noqa: BLE001 - every exception is an outcome
            return ("raise", _exc_name(type(e)), str(e), buf.getvalue())
    return ("value", value, buf.getvalue())


class ShoalInfrastructureError(Exception):
    """shoal itself failed (unsupported construct, timeout, ...), not the case."""


def _is_shoal_exception(e):
    mod = type(e).__module__ or ""
    return mod == "shoal" or mod.startswith("shoal.") or mod.startswith("_shoal")


def run_in_shoal(cluster, f):
    """Submit the case to a shoal cluster; same outcome shape as run_in_cpython.

    shoal writes the case's printed output to ``sys.stdout`` when the result
    arrives, so it is captured by redirecting ``sys.stdout`` around the
    submit/result pair.  Exceptions raised by shoal's own machinery (its
    exception types, or a timeout) raise ShoalInfrastructureError instead of
    becoming an outcome.
    """
    args, kwargs = case_args(f)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        try:
            fut = cluster.submit(f, *args, **kwargs)
            value = fut.result(timeout=RESULT_TIMEOUT)
        except TimeoutError as e:
            raise ShoalInfrastructureError(
                "no result within %ss: %r" % (RESULT_TIMEOUT, e)
            ) from e
        except Exception as e:  # noqa: BLE001
            if _is_shoal_exception(e):
                raise ShoalInfrastructureError(
                    "%s: %s" % (_exc_name(type(e)), e)
                ) from e
            return ("raise", _exc_name(type(e)), str(e), buf.getvalue())
    return ("value", value, buf.getvalue())


# --------------------------------------------------------------------------
# comparing


def same(a, b):
    """Identical types recursively; floats bit-exact via repr; NaN == NaN."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, tuple):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def show(outcome):
    if outcome[0] == "value":
        return "value %r (type %s), stdout %r" % (
            outcome[1],
            _type_tree(outcome[1]),
            outcome[2],
        )
    return "raise %s(%r), stdout %r" % (outcome[1], outcome[2], outcome[3])


def _type_tree(v):
    if isinstance(v, tuple):
        return "(" + ", ".join(_type_tree(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return type(v).__name__


def same_outcome(expected, actual, type_only=False):
    if expected[0] != actual[0]:
        return False
    if expected[0] == "value":
        return same(expected[1], actual[1]) and expected[2] == actual[2]
    if expected[1] != actual[1]:
        return False
    if not type_only and expected[2] != actual[2]:
        return False
    return expected[3] == actual[3]


VALUE_TYPES = (int, float, bool, str, type(None))


def check_value_type(v, where="result"):
    """Cases may only return values of the supported types."""
    if isinstance(v, tuple):
        for i, x in enumerate(v):
            check_value_type(x, "%s[%d]" % (where, i))
    elif type(v) not in VALUE_TYPES:
        raise AssertionError(
            "%s has unsupported type %s: %r" % (where, type(v).__name__, v)
        )


# --------------------------------------------------------------------------
# the per-case test


class Unavailable:
    """Stands in for the cluster when shoal cannot be imported."""

    def __init__(self, reason):
        self.reason = reason


def check_case(case, cluster):
    """Body of every ``test_case[...]``: CPython first, then shoal, then compare."""
    import pytest

    module = sys.modules[case.__module__]
    try:
        lint_case(case)
    except SubsetError as e:
        pytest.fail(str(e), pytrace=False)
    args, kwargs = case_args(case)
    for i, a in enumerate(args):
        check_value_type(a, "argument %d" % i)
    for k, a in kwargs.items():
        check_value_type(a, "argument %s" % k)
    expected = run_in_cpython(case)
    if expected[0] == "value":
        check_value_type(expected[1])
    if cluster is None:  # SHOAL_CPYTHON_ONLY=1
        return
    if isinstance(cluster, Unavailable):
        pytest.fail(
            "CPython side ran (%s) but shoal is unavailable: %s "
            "(set SHOAL_CPYTHON_ONLY=1 to check only the CPython side)"
            % (show(expected), cluster.reason),
            pytrace=False,
        )
    try:
        actual = run_in_shoal(cluster, case)
    except ShoalInfrastructureError as e:
        pytest.fail(
            "%s: shoal failed: %s\n  expected (CPython): %s"
            % (case.__name__, e, show(expected)),
            pytrace=False,
        )
    type_only = case.__name__ in getattr(module, "TYPE_ONLY", ())
    if not same_outcome(expected, actual, type_only):
        pytest.fail(
            "%s differs\n  CPython: %s\n  shoal:   %s"
            % (case.__name__, show(expected), show(actual)),
            pytrace=False,
        )


# --------------------------------------------------------------------------
# subset lint: keeps the cases inside the subset shoal promises to support

ALLOWED_BUILTINS = {
    "abs", "min", "max", "int", "float", "bool", "round", "divmod", "pow",
    "str", "len", "isinstance", "print", "sum", "any", "all", "range", "tuple",
}
ALLOWED_EXCEPTIONS = {
    "Exception", "ValueError", "TypeError", "ZeroDivisionError", "IndexError",
    "KeyError", "RuntimeError", "ArithmeticError", "OverflowError",
    "AssertionError", "RecursionError",
}
ALLOWED_MATH = {
    "sqrt", "floor", "ceil", "exp", "log", "log2", "log10", "sin", "cos",
    "tan", "atan", "atan2", "hypot", "fabs", "pow", "pi", "e", "inf", "isnan",
    "isinf", "isfinite", "gcd", "factorial", "trunc", "copysign", "isqrt",
    "fmod",
}
GENEXPR_CONSUMERS = {"sum", "min", "max", "any", "all"}

_ALLOWED_NODES = (
    # statements
    ast.FunctionDef, ast.Return, ast.Assign, ast.AugAssign, ast.If, ast.While,
    ast.For, ast.Break, ast.Continue, ast.Pass, ast.Expr, ast.Nonlocal,
    ast.Raise, ast.Try, ast.ExceptHandler,
    # expressions
    ast.BinOp, ast.UnaryOp, ast.BoolOp, ast.Compare, ast.IfExp, ast.Call,
    ast.Lambda, ast.Constant, ast.Name, ast.Tuple, ast.Subscript,
    ast.GeneratorExp, ast.comprehension, ast.Attribute, ast.keyword,
    ast.arguments, ast.arg,
    # operators and contexts
    ast.operator, ast.unaryop, ast.boolop, ast.cmpop, ast.expr_context,
)
_BAD_OPS = (ast.MatMult, ast.Is, ast.IsNot, ast.In, ast.NotIn)


class SubsetError(AssertionError):
    pass


def _bound_names(tree):
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
        elif isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            names.add(node.name)
    return names


def _lint_function(f, seen):
    if f in seen:
        return
    seen.add(f)
    src = textwrap.dedent(inspect.getsource(f))
    tree = ast.parse(src)
    fdef = tree.body[0]
    first = f.__code__.co_firstlineno  # getsource() starts at the first decorator

    def bad(node, what):
        line = first + getattr(node, "lineno", 1) - 1
        raise SubsetError(
            "%s (%s:%d): %s is outside the conformance subset"
            % (f.__name__, inspect.getsourcefile(f), line, what)
        )

    if not isinstance(fdef, ast.FunctionDef):
        bad(fdef, type(fdef).__name__)
    for dec in fdef.decorator_list:
        if not (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name) and dec.func.id == "given"):
            bad(dec, "decorator other than @given")
    bound = _bound_names(fdef)
    modglobals = f.__globals__
    decorator_nodes = set()
    for dec in fdef.decorator_list:
        decorator_nodes.update(ast.walk(dec))
    genexpr_ok = set()  # generator expressions passed straight to sum/min/max/any/all
    range_ok = set()  # iterables of for loops and generator clauses
    for node in ast.walk(fdef):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in GENEXPR_CONSUMERS and len(node.args) == 1 and not node.keywords:
                if isinstance(node.args[0], ast.GeneratorExp):
                    genexpr_ok.add(node.args[0])
        if isinstance(node, (ast.For, ast.comprehension)):
            range_ok.add(node.iter)

    for node in ast.walk(fdef):
        if node in decorator_nodes:
            continue
        if not isinstance(node, _ALLOWED_NODES) or isinstance(node, _BAD_OPS):
            bad(node, type(node).__name__)
        if isinstance(node, ast.FunctionDef) and node is not fdef and node.decorator_list:
            bad(node, "decorator")
        if isinstance(node, ast.arguments):
            if node.vararg or node.kwarg or node.kwonlyargs or node.posonlyargs:
                bad(node, "*args/**kwargs/keyword-only/positional-only parameters")
        if isinstance(node, ast.Constant):
            if type(node.value) not in (int, float, bool, str, type(None)):
                bad(node, "constant of type %s" % type(node.value).__name__)
        if isinstance(node, ast.GeneratorExp) and node not in genexpr_ok:
            bad(node, "generator expression not consumed by sum/min/max/any/all")
        if isinstance(node, ast.comprehension):
            it = node.iter
            if not (isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"):
                bad(node, "generator expression not over range()")
            if not isinstance(node.target, ast.Name) or node.is_async:
                bad(node, "generator target")
        if isinstance(node, ast.For):
            it = node.iter
            ok = (
                isinstance(it, ast.Call) and isinstance(it.func, ast.Name) and it.func.id == "range"
            ) or isinstance(it, (ast.Name, ast.Tuple))
            if not ok:
                bad(node, "for loop over something other than range()/a tuple")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "range":
            if node not in range_ok or node.keywords or not 1 <= len(node.args) <= 3:
                bad(node, "range() outside a for loop / generator")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            fn = node.func.id
            if fn == "tuple":
                bad(node, "calling tuple()")
            if fn in ALLOWED_BUILTINS and fn not in bound and node.keywords:
                bad(node, "keyword arguments to builtin %s()" % fn)
            if fn == "isinstance":
                t = node.args[1] if len(node.args) == 2 else None
                if not (isinstance(t, ast.Name) and t.id in ("int", "float", "bool", "str", "tuple")):
                    bad(node, "isinstance() with a non-simple type")
        if isinstance(node, ast.Attribute):
            if not (isinstance(node.value, ast.Name) and node.value.id == "math" and node.attr in ALLOWED_MATH):
                bad(node, "attribute access %s" % ast.unparse(node))
            if not isinstance(node.ctx, ast.Load):
                bad(node, "attribute store")
        if isinstance(node, ast.Subscript):
            s = node.slice
            if isinstance(s, ast.UnaryOp) and isinstance(s.op, ast.USub):
                s = s.operand
            if not (isinstance(s, ast.Constant) and type(s.value) is int):
                bad(node, "subscript with a non-constant index")
            if not isinstance(node.ctx, ast.Load):
                bad(node, "subscript assignment")
        if isinstance(node, (ast.Assign, ast.AugAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for t in targets:
                for sub in ast.walk(t):
                    if not isinstance(sub, (ast.Name, ast.Tuple, ast.expr_context)):
                        bad(node, "assignment target %s" % ast.unparse(t))
            if isinstance(node, ast.AugAssign) and not isinstance(node.target, ast.Name):
                bad(node, "augmented assignment to a non-name")
        if isinstance(node, ast.Raise):
            if node.cause is not None:
                bad(node, "raise ... from")
            exc = node.exc
            if exc is not None:
                name = exc.func if isinstance(exc, ast.Call) else exc
                if not (isinstance(name, ast.Name) and name.id in ALLOWED_EXCEPTIONS):
                    bad(node, "raising %s" % ast.unparse(exc))
                if isinstance(exc, ast.Call) and (exc.keywords or len(exc.args) > 1):
                    bad(node, "exception with several arguments")
        if isinstance(node, ast.ExceptHandler) and node.type is not None:
            ts = node.type.elts if isinstance(node.type, ast.Tuple) else [node.type]
            for t in ts:
                if not (isinstance(t, ast.Name) and t.id in ALLOWED_EXCEPTIONS):
                    bad(node, "except clause for %s" % ast.unparse(t))
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load) and node.id not in bound:
            name = node.id
            if name in ALLOWED_BUILTINS or name in ALLOWED_EXCEPTIONS:
                continue
            if name not in modglobals:
                bad(node, "unknown global %r" % name)
            g = modglobals[name]
            if g is math:
                continue
            if name in ALLOWED_MATH and getattr(math, name, object()) is g:
                continue
            if inspect.isfunction(g) and g.__module__ == f.__module__:
                _lint_function(g, seen)
                continue
            bad(node, "reference to global %r (%s)" % (name, type(g).__name__))


def lint_case(f):
    """Raise SubsetError if the case (or a module-level helper it uses) leaves the subset."""
    _lint_function(f, set())
