#!/usr/bin/env python3
"""Differential fuzzer for the shoal compiler.

Generates random small Python functions inside the subset shoal promises to compile (typed
expression trees over int/float/bool variables and interesting constants, loops with
accumulators, nested ifs, try/except, generator-expression reductions, recursive helpers,
closures, lambdas, tuples, strings, print; and, from gen_containers.py, programs over lists, dicts,
sets, strings, small classes and generator functions), writes each to a module file of its own (so that
inspect/linecache find its source), imports it, runs it in CPython and through shoal with random
arguments and compares the outcomes: the same type and value (floats by repr, nan equal to nan)
and the same printed output, or the same exception type and message.  shoal.UnsupportedError
means "skip".

shoal runs in a child process (``--worker``) that a crash (segfault, abort) or a hang cannot
take the fuzzer down with: the parent notices, records the offending source and starts a new
worker.  Every mismatch, crash and hang is reduced (statements deleted, expressions replaced by
their operands or by constants, arguments simplified) while it still fails the same way, and
written to the findings folder with its arguments and both outcomes.

    python3 tests/fuzz/fuzz_compiler.py --seed 1 --count 500
    python3 tests/fuzz/fuzz_compiler.py --seed 7 --time 600 --out /tmp/shoal-fuzz
    python3 tests/fuzz/fuzz_compiler.py --seed 7 --case 42 --show     # print one case's source
    python3 tests/fuzz/fuzz_compiler.py --seed 7 --container-share 1  # only gen_containers.py cases

Exit status: 0 when no mismatch, crash or hang was found, 1 otherwise, 2 for bad options.
"""

import argparse
import ast
import contextlib
import copy
import importlib.util
import io
import json
import math
import os
import random
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_containers  # noqa: E402  (cases over containers, strings, classes, generators)

#: Outcomes that are findings: a differing result, a crashed or hung shoal, and an internal
#: compiler error that shoal reports as UnsupportedError("internal: ...").
BAD = ("mismatch", "crash", "hang", "internal")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DEFAULT_BUILD = os.environ.get("SHOAL_BUILD_DIR", os.path.join(REPO, "build"))

# ======================================================================================
# generator

#: Every feature the generator can use; --disable takes a comma-separated subset.
FEATURES = {
    # constants and values
    "bigint": "big-int constants and arguments (beyond int64), INT64 boundaries",
    "specialfloat": "nan, inf, -inf, -0.0, subnormal and huge float constants/arguments",
    "hugeint": "ints beyond float range (2**1030 ...)",
    # operators
    "arith": "+ - *", "truediv": "/", "floordiv": "//", "mod": "%", "pow": "** and pow()",
    "pow3": "three-argument pow()", "bitops": "& | ^", "shift": "<< >>", "unary": "- + ~ not",
    "compare": "comparisons", "chaincmp": "chained comparisons", "boolop": "and / or",
    "mixedboolop": "and/or over operands of different types", "ifexp": "conditional expressions",
    # builtins
    "abs": "abs()", "minmax": "min()/max() of arguments", "conv": "int() float() bool()",
    "round": "round(x)", "roundnd": "round(x, n)", "roundnone": "round(x, None)",
    "strconv": "int()/float() of strings: str(x) round trips, literals valid and not", "divmod": "divmod()", "strlen": "len(str(x))",
    # math module
    "math": "math functions", "mathint": "math.floor/ceil/trunc/gcd/factorial/isqrt",
    "mathlog": "math.log/log2/log10", "mathconst": "math.pi/e/inf",
    # generator expressions
    "genexpr": "sum/min/max/any/all over a generator expression on range()",
    "bigrange": "range() over big ints",
    # statements
    "if": "if/elif/else", "for": "for over range()", "while": "while loops", "fortuple": "for over a tuple",
    "break": "break/continue", "loopelse": "for/while ... else", "try": "try/except/else/finally",
    "finallyjump": "return/break/continue inside finally", "tuplecmp": "tuple comparisons",
    "exceptas": "except ... as e, str(e)", "raise": "raise", "reraise": "bare raise in a handler",
    "tuple": "tuple locals, indexing, len, compare, unpacking", "swap": "a, b = b, a",
    "str": "string locals, concatenation, str(), indexing", "print": "print()",
    "retype": "a local rebound to a value of another type", "earlyreturn": "return inside if",
    "augassign": "augmented assignment",
    "unions": "a local rebound to another type inside an if/try (int|float, int|bool unions)",
    "none": "a local that is None or a number; str() and == None of it",
    # functions
    "helper": "module-level helper functions with defaults", "kwargs": "keyword arguments",
    "recursion": "recursive helpers", "closure": "nested functions (closures, nonlocal)",
    "nonlocal": "nonlocal counters", "lambda": "lambdas", "higherorder": "functions passed as arguments",
    "tupleret": "helpers returning tuples", "defaultparam": "a default on f's last parameter",
    "tupleparam": "a tuple parameter of f",
    "powsquare": "the literal exponent 2: x ** 2, pow(x, 2)",
    "argtypes": "some arguments of another type than the code was generated for (TypeErrors)",
}
FEATURES.update(gen_containers.FEATURES)

#: Features off unless --enable names them: shoal rejects them with UnsupportedError (allowed,
#: not a bug), so every case using them would be skipped.
#: the share of cases gen_containers.py generates (--container-share)
CONTAINER_SHARE = 0.4

DEFAULT_OFF = {
    "pow3": "pow(a, b, m) raises UnsupportedError: 'pow() with 3 arguments is not supported'",
}

SMALL_INTS = [0, 1, -1, 2, -2, 3, 5, 7, 10, 13, 100, 255, 256, 1000, 65535, -7, -100]
BOUNDARY_INTS = [2**31 - 1, -2**31, 2**32, 2**53, 2**53 + 1, 2**62, 2**63 - 1, -2**63,
                 -2**63 + 1, 2**63, -2**63 - 1, 2**64 - 1, 2**64, -2**64]
BIG_INTS = [10**18, 10**19, 10**30, -10**25, 3**40, 2**100, -(2**127), 2**127 - 1, 7**60]
HUGE_INTS = [2**1030, -(3**700), 10**400]
PLAIN_FLOATS = [0.0, 0.5, -0.5, 1.0, -1.0, 1.5, 2.5, -2.5, 3.0, 0.1, 0.3, 123456.789, 1e16,
                1e22, 2.0**63, -2.0**63, 9007199254740993.0, 4.35, 1e-7, 7.0]
SPECIAL_FLOATS = [-0.0, 5e-324, 1e-300, 1e300, 1.7976931348623157e308, -1e308,
                  math.nan, math.inf, -math.inf]
EXC_TYPES = ["ZeroDivisionError", "ValueError", "OverflowError", "ArithmeticError",
             "TypeError", "IndexError", "Exception"]

NUMERIC = ("int", "float", "bool", "intlike", "num")
INTLIKE = ("int", "bool", "intlike")


def join(a, b):
    if a == b:
        return a
    if a in INTLIKE and b in INTLIKE:
        return "intlike"
    if a in NUMERIC and b in NUMERIC:
        return "num"
    return None


def arith_type(a, b):
    if a == "float" or b == "float":
        return "float"
    if a == "num" or b == "num":
        return "num"
    return "int"


def lit(v):
    """Source text of a constant."""
    if isinstance(v, bool) or v is None:
        return repr(v)
    if isinstance(v, float):
        if math.isnan(v):
            return "float('nan')"
        if math.isinf(v):
            return "float('inf')" if v > 0 else "float('-inf')"
        if v < 0 or (v == 0 and math.copysign(1, v) < 0):
            return "(%r)" % v
        return repr(v)
    if isinstance(v, int):
        return "(%d)" % v if v < 0 else "%d" % v
    if isinstance(v, str):
        return repr(v)
    if isinstance(v, tuple):
        return "(" + "".join(lit(x) + ", " for x in v).rstrip(" ") + ")"
    raise TypeError(v)


class Fn:
    """A callable visible to generated code: params [(name, type, has_default)], return type."""

    def __init__(self, name, params, ret):
        self.name, self.params, self.ret = name, params, ret


class Scope:
    """Variables of one function being generated, with block nesting and loop discipline.

    Loops may only write their *accumulators* (chosen when the loop starts) and locals declared
    inside their own body, and never read their accumulators except in conditions: values then
    grow at most polynomially with the iteration count, so every case stays fast in CPython."""

    def __init__(self, kind, level=0):
        self.kind = kind  # "main", "helper", "closure"
        self.level = level  # nesting depth of closures
        self.blocks = [{}]
        self.frozen = set()  # captured by a closure/lambda: never written again
        self.protected = set()  # loop counters
        self.loops = []  # per enclosing loop: {"acc": set, "decl": set}
        self.returns = []

    def push(self):
        self.blocks.append({})

    def pop(self):
        self.blocks.pop()

    def declare(self, name, ty):
        self.blocks[-1][name] = ty
        if self.loops:
            self.loops[-1]["decl"].add(name)

    def visible(self):
        out = {}
        for b in self.blocks:
            out.update(b)
        return out

    def set_type(self, name, ty):
        for b in reversed(self.blocks):
            if name in b:
                b[name] = ty
                return

    def excluded(self):
        ex = set()
        for lp in self.loops:
            ex |= lp["acc"]
        return ex

    def readable(self, cond=False):
        vis = self.visible()
        if cond:
            return vis
        ex = self.excluded()
        return {k: v for k, v in vis.items() if k not in ex}

    def writable(self):
        vis = self.visible()
        ok = {k: v for k, v in vis.items()
              if k not in self.frozen and k not in self.protected and not isinstance(v, tuple)}
        if self.loops:
            lp = self.loops[-1]
            ok = {k: v for k, v in ok.items() if k in lp["acc"] or k in lp["decl"]}
        return ok


class Gen:
    def __init__(self, rng, disabled=()):
        self.r = rng
        self.disabled = set(disabled)
        # how often extreme values (INT64 edges, big ints, nan/inf...) appear: tame cases get
        # further before their first exception, wild ones probe the edges
        self.wild = rng.choice([0, 0.5, 1, 1, 2])
        self.n = 0
        self.helpers = []  # Fn of module-level helpers
        self.module_lines = []

    # ---------------------------------------------------------------- utilities
    def on(self, feature):
        return feature not in self.disabled

    def name(self, prefix):
        self.n += 1
        return "%s%d" % (prefix, self.n)

    def chance(self, p, feature=None):
        if feature is not None and not self.on(feature):
            return False
        return self.r.random() < p

    def pick(self, weighted):
        """weighted: list of (weight, feature or None, value)."""
        items = [(w, v) for w, f, v in weighted if w > 0 and (f is None or self.on(f))]
        if not items:
            return None
        total = sum(w for w, _ in items)
        x = self.r.random() * total
        for w, v in items:
            x -= w
            if x <= 0:
                return v
        return items[-1][1]

    # ---------------------------------------------------------------- values
    def int_value(self):
        r = self.r
        wild = self.wild
        choice = self.pick([
            (6, None, "small"), (2, None, "rand"), (2 * wild, "bigint", "boundary"),
            (1 * wild, "bigint", "big"), (1 * wild, "bigint", "bits"), (0.15 * wild, "hugeint", "huge"),
        ])
        if choice == "small":
            return r.choice(SMALL_INTS)
        if choice == "rand":
            return r.randint(-50, 50)
        if choice == "boundary":
            return r.choice(BOUNDARY_INTS)
        if choice == "big":
            return r.choice(BIG_INTS)
        if choice == "bits":  # a random int of a random width, around the int64 edge or beyond
            k = r.choice([r.randint(1, 70), r.randint(60, 66), r.randint(1, 200)])
            v = r.getrandbits(k) | (1 << (k - 1))
            return -v if r.random() < 0.4 else v
        return r.choice(HUGE_INTS)

    def float_value(self):
        r = self.r
        wild = self.wild
        choice = self.pick([(6, None, "plain"), (2, None, "rand"), (1 + wild, None, "any"),
                            (2 * wild, "specialfloat", "special")])
        if choice == "plain":
            return r.choice(PLAIN_FLOATS)
        if choice == "rand":
            return round(r.uniform(-100, 100), r.randint(0, 4))
        if choice == "any":  # any finite double: mantissa and exponent at random
            v = r.uniform(1, 2) * 2.0 ** r.choice([r.randint(-60, 70), r.randint(-1074, 1023)])
            return -v if r.random() < 0.4 else v
        return r.choice(SPECIAL_FLOATS)

    def value(self, ty):
        if ty == "bool":
            return self.r.random() < 0.5
        if ty == "float":
            return self.float_value()
        if ty == "int" or ty == "intlike":
            return self.int_value()
        return self.value(self.r.choice(["int", "float", "int", "bool"]))

    def const(self, ty=None):
        ty = ty or self.r.choice(["int", "int", "float", "bool"])
        v = self.value(ty)
        return lit(v), ("bool" if isinstance(v, bool) else "float" if isinstance(v, float) else "int")

    # ---------------------------------------------------------------- expressions
    def coerce(self, src, ty, want):
        r = self.r
        if want == "num":
            if ty in NUMERIC:
                return src, ty
            return "len(%s)" % src, "int"
        if want == "intlike" and ty in INTLIKE:
            return src, ty
        if want == "int":
            if ty == "int":
                return src, ty
            if ty in INTLIKE:
                return "int(%s)" % src, "int"
        if want in ("int", "intlike"):
            fns = ["int"]
            if self.on("round"):
                fns.append("round")
            if self.on("mathint"):
                fns += ["math.floor", "math.ceil", "math.trunc"]
            return "%s(%s)" % (r.choice(fns), src), "int"
        if want == "float":
            if ty == "float":
                return src, ty
            return "float(%s)" % src, "float"
        if want == "bool":
            if ty == "bool":
                return src, ty
            return r.choice(["bool(%s)", "(%s != 0)", "(not %s)", "(%s > 0)"]) % src, "bool"
        raise ValueError(want)

    def expr(self, sc, d, want="num", cond=False):
        src, ty = self._expr(sc, d, cond)
        return self.coerce(src, ty, want)

    def leaf(self, sc, cond=False, want=None):
        vs = [(k, v) for k, v in sc.readable(cond).items() if v in NUMERIC]
        if want is not None:
            good = [(k, v) for k, v in vs if v == want or (want == "intlike" and v in INTLIKE)]
            if good and self.r.random() < 0.8:
                return self.r.choice(good)
        if vs and self.r.random() < 0.65:
            return self.r.choice(vs)
        if self.chance(0.05, "mathconst"):
            return self.r.choice(["math.pi", "math.e", "math.inf"]), "float"
        return self.const()

    def _expr(self, sc, d, cond=False):
        r = self.r
        if d <= 0 or r.random() < 0.2:
            return self.leaf(sc, cond)
        kind = self.pick([
            (5, "arith", "arith"), (1.2, "truediv", "truediv"), (1, "floordiv", "floordiv"),
            (1, "mod", "mod"), (1, "pow", "pow"), (1.2, "bitops", "bitops"), (1, "shift", "shift"),
            (1.2, "unary", "unary"), (1.5, "compare", "compare"), (0.5, "chaincmp", "chain"),
            (1, "boolop", "boolop"), (0.8, "ifexp", "ifexp"), (0.6, "abs", "abs"),
            (0.8, "minmax", "minmax"), (0.8, "conv", "conv"), (0.4, "round", "round"),
            (0.3, "roundnd", "roundnd"), (0.4, "divmod", "divmod"), (0.3, "strlen", "strlen"),
            (2, "math", "math"), (0.8, "genexpr", "genexpr"), (1.5, None, "call"),
            (0.5, "tuple", "tupleop"), (0.3, "pow3", "pow3"), (0.3, "str", "strop"),
            (0.3, "none", "nonecmp"), (0.3, "strconv", "strconv"),
        ])
        if kind is None:
            return self.leaf(sc, cond)
        return getattr(self, "x_" + kind)(sc, d - 1, cond)

    def sub(self, sc, d, cond, want="num"):
        return self.expr(sc, d, want, cond)

    def x_arith(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond)
        b, tb = self.sub(sc, d, cond)
        return "(%s %s %s)" % (a, self.r.choice("+-*"), b), arith_type(ta, tb)

    def divisor(self, sc, d, cond):
        """Right operand of / // %: usually a non-zero constant or variable, so that most cases
        get past their divisions (a zero still turns up often enough)."""
        x = self.r.random()
        if x < 0.45:
            while True:
                src, t = self.const(self.r.choice(["int", "int", "float"]))
                if src not in ("0", "0.0", "(-0.0)"):
                    return src, t
        if x < 0.7:
            vs = [(k, v) for k, v in sc.readable(cond).items() if v in ("int", "float")]
            if vs:
                return self.r.choice(vs)
        return self.sub(sc, d, cond)

    def x_truediv(self, sc, d, cond):
        a, _ = self.sub(sc, d, cond)
        b, _ = self.divisor(sc, d, cond)
        return "(%s / %s)" % (a, b), "float"

    def x_floordiv(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond)
        b, tb = self.divisor(sc, d, cond)
        return "(%s // %s)" % (a, b), arith_type(ta, tb)

    def x_mod(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond)
        b, tb = self.divisor(sc, d, cond)
        return "(%s %% %s)" % (a, b), arith_type(ta, tb)

    def x_pow(self, sc, d, cond):
        r = self.r
        a, ta = self.sub(sc, d, cond)
        form = r.choice(["const", "const", "mod", "float", "builtin"])
        if form in ("const", "builtin"):
            k = r.choice([0, 1, 2, 2, 3, 4, 5, -1, -2] if self.on("powsquare") else [0, 1, 3, 3, 4, 5, -1, -2])
            t = arith_type(ta, "int") if k >= 0 else "float"
            if form == "builtin":
                return "pow(%s, %s)" % (a, lit(k)), t
            return "(%s ** %s)" % (a, lit(k)), t
        if form == "mod":
            b, _ = self.sub(sc, d, cond, "intlike")
            return "(%s ** (%s %% 4))" % (a, b), arith_type(ta, "int")
        b, _ = self.sub(sc, d, cond, "float")
        return "(abs(%s) ** %s)" % (a, b), "float"

    def x_pow3(self, sc, d, cond):
        a, _ = self.sub(sc, d, cond, "intlike")
        b, _ = self.sub(sc, d, cond, "intlike")
        m, _ = self.sub(sc, d, cond, "intlike")
        form = self.r.choice(["plain", "absmod", "neg"])
        if form == "plain":
            return "pow(%s, abs(%s) %% 50, %s)" % (a, b, m), "int"
        if form == "absmod":
            return "pow(%s, %s %% 64, abs(%s) + 1)" % (a, b, m), "int"
        return "pow(%s, -1, %s)" % (a, m), "int"

    def x_bitops(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond, "intlike")
        b, tb = self.sub(sc, d, cond, "intlike")
        op = self.r.choice("&|^")
        if ta == "bool" and tb == "bool":
            t = "bool"
        elif ta == "int" or tb == "int":
            t = "int"
        else:
            t = "intlike"
        return "(%s %s %s)" % (a, op, b), t

    def x_shift(self, sc, d, cond):
        r = self.r
        a, _ = self.sub(sc, d, cond, "intlike")
        op = r.choice(["<<", ">>"])
        form = r.choice(["const", "const", "mod", "neg", "big"])
        if form == "const":
            b = str(r.choice([0, 1, 2, 3, 7, 31, 32, 33, 62, 63, 64, 65, 66]))
        elif form == "mod":
            b, _ = self.sub(sc, d, cond, "intlike")
            b = "(%s %% 67)" % b
        elif form == "neg":
            b = "(-1)"
        else:
            if op == "<<":
                a = "(0 * %s)" % a  # 1 << 2**64 is a MemoryError in CPython: only shift zero
            b = r.choice(["100", "1000", str(2**63 - 1), str(2**64)])
        return "(%s %s %s)" % (a, op, b), "int"

    def x_unary(self, sc, d, cond):
        r = self.r
        op = r.choice(["-", "+", "~", "not"])
        if op == "~":
            a, _ = self.sub(sc, d, cond, "intlike")
            return "(~%s)" % a, "int"
        a, ta = self.sub(sc, d, cond)
        if op == "not":
            return "(not %s)" % a, "bool"
        return "(%s%s)" % (op, a), ("int" if ta in INTLIKE else ta)

    def x_compare(self, sc, d, cond):
        a, _ = self.sub(sc, d, cond)
        b, _ = self.sub(sc, d, cond)
        return "(%s %s %s)" % (a, self.r.choice(["<", "<=", ">", ">=", "==", "!="]), b), "bool"

    def x_nonecmp(self, sc, d, cond):
        opts = [k for k, v in sc.readable(cond).items() if v == "opt"]
        if not opts:
            return self.x_compare(sc, d, cond)
        return "(%s %s None)" % (self.r.choice(opts), self.r.choice(["==", "!="])), "bool"

    def x_chain(self, sc, d, cond):
        parts = [self.sub(sc, d, cond)[0] for _ in range(self.r.choice([3, 3, 4]))]
        out = parts[0]
        for p in parts[1:]:
            out += " %s %s" % (self.r.choice(["<", "<=", ">", ">=", "==", "!="]), p)
        return "(%s)" % out, "bool"

    def x_boolop(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond)
        if self.chance(0.3, "mixedboolop"):
            b, tb = self.sub(sc, d, cond)
        else:
            b, tb = self.sub(sc, d, cond, ta)
        t = join(ta, tb)
        return "(%s %s %s)" % (a, self.r.choice(["and", "or"]), b), t

    def x_ifexp(self, sc, d, cond):
        c, _ = self.sub(sc, d, cond, "bool")
        a, ta = self.sub(sc, d, cond)
        if self.chance(0.3, "mixedboolop"):
            b, tb = self.sub(sc, d, cond)
        else:
            b, tb = self.sub(sc, d, cond, ta)
        return "(%s if %s else %s)" % (a, c, b), join(ta, tb)

    def x_abs(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond)
        return "abs(%s)" % a, ("int" if ta in INTLIKE else ta)

    def x_minmax(self, sc, d, cond):
        args = [self.sub(sc, d, cond) for _ in range(self.r.choice([2, 2, 3]))]
        t = args[0][1]
        for _, tb in args[1:]:
            t = join(t, tb)
        return "%s(%s)" % (self.r.choice(["min", "max"]), ", ".join(a for a, _ in args)), t

    def x_conv(self, sc, d, cond):
        a, _ = self.sub(sc, d, cond)
        f = self.r.choice(["int", "float", "bool"])
        return "%s(%s)" % (f, a), f

    def x_round(self, sc, d, cond):
        a, _ = self.sub(sc, d, cond)
        return "round(%s)" % a, "int"

    def x_roundnd(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond)
        if self.chance(0.15, "roundnone"):
            return "round(%s, None)" % a, "int"
        n = self.r.choice([-3, -2, -1, 0, 1, 2, 3, 5])
        t = "float" if ta == "float" else "num" if ta == "num" else "int"
        return "round(%s, %s)" % (a, lit(n)), t

    def x_divmod(self, sc, d, cond):
        a, ta = self.sub(sc, d, cond)
        b, tb = self.divisor(sc, d, cond)
        return "divmod(%s, %s)[%d]" % (a, b, self.r.choice([0, 1, -1])), arith_type(ta, tb)

    def x_strlen(self, sc, d, cond):
        a, _ = self.sub(sc, d, cond)
        return "len(str(%s))" % a, "int"

    def x_strconv(self, sc, d, cond):
        r = self.r
        form = r.choice(["float", "int", "floatlit", "intlit"])
        if form == "float":
            return "float(%s)" % self.str_expr(sc, d, cond), "float"
        if form == "int":
            a, _ = self.sub(sc, d, cond, r.choice(["int", "intlike", "num"]))
            return "int(str(%s))" % a, "int"
        if form == "floatlit":
            return "float(%r)" % r.choice(["1e5", " -2.5 ", "inf", "-Infinity", "nan", "-NaN", "1_000.5",
                                           "abc", "", "0x10", "\u0661\u0662\u0663", "1e400", "  +0.0",
                                           "4.9e-324", "2.5e-324", ".5", "5.", "1__0", "\t7\n"]), "float"
        return "int(%r)" % r.choice(["42", " -7 ", "1_000", "0", "00", "+5", "1.5", "x", "",
                                     "\u0663", "99999999999999999999999", "-0", "0_1", "1__2", "\u00b2"]), "int"

    def x_strop(self, sc, d, cond):
        s = self.str_expr(sc, d, cond)
        form = self.r.choice(["len", "eq", "eq"])
        if form == "len":
            return "len(%s)" % s, "int"
        return "(%s %s %s)" % (s, self.r.choice(["==", "!="]), self.str_expr(sc, d, cond)), "bool"

    def x_math(self, sc, d, cond):
        r = self.r
        kind = self.pick([
            (4, None, "f1"), (2, None, "f2"), (1.5, "mathint", "int1"), (0.8, "mathint", "int2"),
            (1.2, "mathlog", "log"), (1, None, "pred"),
        ])
        if kind == "f1":
            f = r.choice(["sqrt", "exp", "sin", "cos", "tan", "atan", "fabs"])
            a, _ = self.sub(sc, d, cond)
            if f == "sqrt" and r.random() < 0.6:
                a = "abs(%s)" % a
            if f == "exp" and r.random() < 0.6:
                a = "(%s %% 50)" % a
            return "math.%s(%s)" % (f, a), "float"
        if kind == "f2":
            f = r.choice(["atan2", "hypot", "pow", "copysign", "fmod"])
            a, _ = self.sub(sc, d, cond)
            b, _ = self.sub(sc, d, cond)
            return "math.%s(%s, %s)" % (f, a, b), "float"
        if kind == "int1":
            f = r.choice(["floor", "ceil", "trunc", "factorial", "isqrt"])
            if f == "factorial":
                a, _ = self.sub(sc, d, cond, "intlike")
                return "math.factorial(abs(%s) %% 25)" % a, "int"
            if f == "isqrt":
                a, _ = self.sub(sc, d, cond, "intlike")
                return "math.isqrt(abs(%s))" % a, "int"
            a, _ = self.sub(sc, d, cond)
            return "math.%s(%s)" % (f, a), "int"
        if kind == "int2":
            a, _ = self.sub(sc, d, cond, "intlike")
            b, _ = self.sub(sc, d, cond, "intlike")
            return "math.gcd(%s, %s)" % (a, b), "int"
        if kind == "log":
            f = r.choice(["log", "log", "log2", "log10"])
            a, _ = self.sub(sc, d, cond)
            if r.random() < 0.6:
                a = "(abs(%s) + 1)" % a
            if f == "log" and r.random() < 0.3:
                b, _ = self.sub(sc, d, cond)
                return "math.log(%s, %s)" % (a, b), "float"
            return "math.%s(%s)" % (f, a), "float"
        f = r.choice(["isnan", "isinf", "isfinite"])
        a, _ = self.sub(sc, d, cond)
        return "math.%s(%s)" % (f, a), "bool"

    def range_args(self, sc, d, cond, small=9):
        r = self.r
        form = r.choice(["const", "const", "mod", "lohi", "step", "big", "stepexpr"])
        if form == "big" and not self.on("bigrange"):
            form = "const"
        if form == "const":
            return str(r.randint(0, small))
        if form == "mod":
            a, _ = self.sub(sc, min(d, 1), cond, "intlike")
            return "%s %% %d" % (a, r.randint(1, small))
        if form == "lohi":
            lo = r.randint(-4, 4)
            return "%s, %s" % (lit(lo), lit(lo + r.randint(-1, small)))
        if form == "step":
            lo = r.randint(-5, 10)
            s = r.choice([1, 2, 3, -1, -2, -3])
            return "%s, %s, %s" % (lit(lo), lit(lo + s * r.randint(-1, small)), lit(s))
        if form == "big":
            a = lit(r.choice(BOUNDARY_INTS + BIG_INTS))
            return "%s, %s + %d" % (a, a, r.randint(0, small))
        a, _ = self.sub(sc, min(d, 1), cond, "intlike")
        b, _ = self.sub(sc, min(d, 1), cond, "intlike")
        return "%s %% 5, %d, %s %% 3" % (a, r.randint(0, small), b)

    def x_genexpr(self, sc, d, cond):
        r = self.r
        var = self.name("g")
        rng = self.range_args(sc, d, cond)
        sc.push()
        sc.declare(var, "int")
        f = r.choice(["sum", "sum", "min", "max", "any", "all"])
        if f in ("any", "all"):
            body, _ = self.sub(sc, d, cond, "bool")
            t = "bool"
        else:
            body, tb = self.sub(sc, d, cond)
            if f == "sum":
                t = "int" if tb in INTLIKE else "num"
            else:
                t = tb
        if r.random() < 0.3:
            c, _ = self.sub(sc, d, cond, "bool")
            body = "%s for %s in range(%s) if %s" % (body, var, rng, c)
        else:
            body = "%s for %s in range(%s)" % (body, var, rng)
        sc.pop()
        return "%s(%s)" % (f, body), t

    def x_call(self, sc, d, cond):
        fns = [v[1] for v in sc.readable(True).values() if isinstance(v, tuple) and v[0] == "fn"]
        fns += [h for h in self.helpers if h.ret in NUMERIC]
        fns = [f for f in fns if f.ret in NUMERIC or (isinstance(f.ret, tuple) and f.ret[0] == "tuple")]
        if not self.fn_args(sc):
            fns = [f for f in fns if all(p[1] != "fn" for p in f.params)]
        if not fns:
            return self.leaf(sc, cond)
        f = self.r.choice(fns)
        src = self.call_src(sc, d, cond, f)
        if isinstance(f.ret, tuple):
            k = self.r.randrange(len(f.ret[1]))
            return "%s[%d]" % (src, k), f.ret[1][k]
        return src, f.ret

    def fn_args(self, sc):
        """Local functions that can be passed to a higher-order helper: one numeric parameter."""
        return [v[1] for v in sc.readable(True).values()
                if isinstance(v, tuple) and v[0] == "fn" and len(v[1].params) >= 1
                and v[1].params[0][1] in NUMERIC and all(p[2] for p in v[1].params[1:])
                and v[1].ret in NUMERIC]

    def call_src(self, sc, d, cond, f):
        args = []
        use_kw = False
        for i, (pname, pty, has_default) in enumerate(f.params):
            if pty == "fn":
                args.append(self.r.choice(self.fn_args(sc)).name)
                continue
            if has_default and self.r.random() < 0.4:
                use_kw = use_kw or self.chance(0.5, "kwargs")
                continue
            if pty == "int":
                pty = "intlike"
            if pty == "n":  # recursion depth
                a, _ = self.sub(sc, min(d, 1), cond, "intlike")
                a = "%s %% %d" % (a, self.r.randint(1, 9))
            else:
                a, _ = self.sub(sc, d, cond, pty)
            if use_kw or (i > 0 and self.chance(0.25, "kwargs")):
                use_kw = True
                args.append("%s=%s" % (pname, a))
            else:
                args.append(a)
        return "%s(%s)" % (f.name, ", ".join(args))

    def x_tupleop(self, sc, d, cond):
        ts = [(k, v) for k, v in sc.readable(cond).items() if isinstance(v, tuple) and v[0] == "tuple"]
        if not ts:
            return self.leaf(sc, cond)
        name, (_, elts) = self.r.choice(ts)
        form = self.r.choice(["index", "index", "len", "cmp", "oob"])
        if form == "index" and elts:
            k = self.r.randrange(-len(elts), len(elts))
            if elts[k] in NUMERIC:
                return "%s[%s]" % (name, lit(k)), elts[k]
            if isinstance(elts[k], tuple) and elts[k][1] and elts[k][1][0] in NUMERIC:
                return "%s[%s][0]" % (name, lit(k)), elts[k][1][0]
            return "len(%s[%s])" % (name, lit(k)), "int"
        if form in ("len", "index"):
            return "len(%s)" % name, "int"
        if form == "oob":
            return "(%s[%d] if %s else 0)" % (name, len(elts) + self.r.randint(0, 2),
                                               self.sub(sc, d, cond, "bool")[0]), "num"
        if not self.on("tuplecmp"):
            return "len(%s)" % name, "int"
        other, (_, elts2) = self.r.choice(ts)
        return "(%s %s %s)" % (name, self.r.choice(["<", "<=", "==", "!=", ">"]), other), "bool"

    def str_expr(self, sc, d, cond):
        r = self.r
        strs = [k for k, v in sc.readable(cond).items() if v == "str"]
        form = r.choice(["str", "str", "lit", "var", "idx", "cat"])
        if form == "var" and strs:
            return r.choice(strs)
        if form == "lit":
            return repr(r.choice(["", "a", "xy", "-", "nan", "1.5", "é", "it's", 'say "hi"', "a\nb",
                                  "tab\t", "back\\slash", "'", "\u20ac\U0001f600"]))
        if form == "idx":
            a, _ = self.sub(sc, d, cond)
            return "str(%s)[%s]" % (a, lit(r.choice([0, -1, 1, 2])))
        if form == "cat":
            return "(%s + %s)" % (self.str_expr(sc, max(d - 1, 0), cond), self.str_expr(sc, max(d - 1, 0), cond))
        opts = [k for k, v in sc.readable(cond).items() if v == "opt"]
        if opts and r.random() < 0.3:
            return "str(%s)" % r.choice(opts)
        if r.random() < 0.15:
            ts = [k for k, v in sc.readable(cond).items() if isinstance(v, tuple) and v[0] == "tuple"]
            if ts:
                return "str(%s)" % r.choice(ts)
        a, _ = self.sub(sc, d, cond)
        return "str(%s)" % a

    # ---------------------------------------------------------------- statements
    def block(self, sc, depth, n, lines, ind, loop=False, allow_defs=True):
        """Appends n statements at indentation ind; returns True when the block always returns."""
        before = len(lines)
        for _ in range(n):
            self.stmt(sc, depth, lines, ind, loop, allow_defs)
        if len(lines) == before:
            lines.append(ind + "pass")

    def stmt(self, sc, depth, lines, ind, loop, allow_defs):
        r = self.r
        nested = depth > 0
        main = sc.kind == "main"
        kind = self.pick([
            (3, None, "assign_new"), (2, None, "assign"), (3, "augassign", "aug"),
            (2 if nested else 0, "if", "if"), (1.5 if nested else 0, "for", "for"),
            (1 if nested else 0, "while", "while"), (0.6 if nested else 0, "fortuple", "fortuple"),
            (1.5 if nested else 0, "try", "try"), (0.6, "tuple", "tuple"), (0.4, "swap", "swap"),
            (0.3, "print", "print"), (0.4, "raise", "raise"), (1.2 if loop else 0, "break", "break"),
            (0.6 if (main or sc.level in (1, 2)) and allow_defs else 0, "closure", "closure"),
            (0.6 if (main or sc.level in (1, 2)) and allow_defs else 0, "lambda", "lambda"),
            (0.3 if ind.count("    ") > 1 else 0, "earlyreturn", "return"),
            (0.6, "str", "straccum"), (0.3 if main and not sc.loops and len(sc.blocks) == 1 else 0,
                                       "retype", "retype"),
            (0.5 if not sc.loops and len(sc.blocks) > 1 else 0, "unions", "retype"),
            (0.6 if any(t == "opt" for t in sc.writable().values()) else 0, "none", "optassign"),
        ])
        getattr(self, "s_" + kind)(sc, depth, lines, ind, loop)

    def expr_depth(self, sc):
        return 1 if sc.loops else self.r.choice([1, 2, 2, 3])

    def s_assign_new(self, sc, depth, lines, ind, loop):
        v = self.name("v")
        e, t = self.expr(sc, self.expr_depth(sc))
        lines.append("%s%s = %s" % (ind, v, e))
        sc.declare(v, t)

    def s_assign(self, sc, depth, lines, ind, loop):
        w = [(k, t) for k, t in sc.writable().items() if t in NUMERIC]
        if not w:
            return self.s_assign_new(sc, depth, lines, ind, loop)
        v, t = self.r.choice(w)
        if sc.loops and self.r.random() < 0.6:
            # acc = acc OP e, e free of accumulators
            e, te = self.expr(sc, 1)
            op = self.r.choice(["+", "-", "*", "//", "%", "/"] + (["&", "|", "^"] if t in INTLIKE else []))
            src = "(%s %s %s)" % (v, op, e)
            if op in "&|^":
                e2, te = self.coerce(e, te, "intlike")
                src = "(%s %s %s)" % (v, op, e2)
                rt = "bool" if (t == "bool" and te == "bool") else "int"
            else:
                rt = "float" if op == "/" else arith_type(t, te)
            src, _ = self.coerce(src, rt, t if t in ("int", "float", "bool") else "num")
        else:
            src, _ = self.expr(sc, self.expr_depth(sc), t if t in ("int", "float", "bool") else "num")
        lines.append("%s%s = %s" % (ind, v, src))

    def s_retype(self, sc, depth, lines, ind, loop):
        w = [(k, t) for k, t in sc.writable().items() if t in NUMERIC]
        if not w:
            return self.s_assign_new(sc, depth, lines, ind, loop)
        v, t = self.r.choice(w)
        e, te = self.expr(sc, 2)
        lines.append("%s%s = %s" % (ind, v, e))
        # straight-line code of f: the new type; inside a branch: either type afterwards
        sc.set_type(v, te if len(sc.blocks) == 1 else join(t, te))

    def s_optassign(self, sc, depth, lines, ind, loop):
        w = [k for k, t in sc.writable().items() if t == "opt"]
        v = self.r.choice(w)
        e = self.expr(sc, self.expr_depth(sc))[0] if self.r.random() < 0.8 else "None"
        lines.append("%s%s = %s" % (ind, v, e))

    def s_aug(self, sc, depth, lines, ind, loop):
        w = [(k, t) for k, t in sc.writable().items() if t in ("int", "float", "bool", "str")]
        if not w:
            return self.s_assign_new(sc, depth, lines, ind, loop)
        v, t = self.r.choice(w)
        if t == "str":
            lines.append("%s%s += %s" % (ind, v, self.str_expr(sc, 1, False)))
            return
        d = self.expr_depth(sc)
        if t == "bool":
            e, _ = self.expr(sc, d, "bool")
            lines.append("%s%s %s= %s" % (ind, v, self.r.choice("&|^"), e))
            return
        if t == "int":
            op = self.r.choice(["+", "-", "*", "//", "%", "&", "|", "^", "<<", ">>"])
            if op in ("<<", ">>"):
                e = str(self.r.randint(0, 40)) if self.r.random() < 0.7 else "(%s %% 40)" % self.expr(sc, d, "intlike")[0]
            else:
                e, _ = self.expr(sc, d, "intlike")
        else:
            op = self.r.choice(["+", "-", "*", "/", "//", "%"])
            e, _ = self.expr(sc, d)
        lines.append("%s%s %s= %s" % (ind, v, op, e))

    def s_if(self, sc, depth, lines, ind, loop):
        c, _ = self.expr(sc, 2, "bool", cond=True)
        lines.append("%sif %s:" % (ind, c))
        self.sub_block(sc, depth - 1, lines, ind + "    ", loop)
        for _ in range(self.r.choice([0, 0, 1, 2])):
            c, _ = self.expr(sc, 2, "bool", cond=True)
            lines.append("%selif %s:" % (ind, c))
            self.sub_block(sc, depth - 1, lines, ind + "    ", loop)
        if self.r.random() < 0.5:
            lines.append("%selse:" % ind)
            self.sub_block(sc, depth - 1, lines, ind + "    ", loop)

    def sub_block(self, sc, depth, lines, ind, loop, n=None):
        sc.push()
        self.block(sc, depth, n or self.r.randint(1, 3), lines, ind, loop)
        sc.pop()

    def start_loop(self, sc):
        w = [k for k, t in sc.writable().items() if t in ("int", "float", "bool", "str", "opt")]
        acc = set(self.r.sample(w, min(len(w), self.r.randint(1, 3)))) if w else set()
        sc.loops.append({"acc": acc, "decl": set()})

    def loop_else(self, sc, depth, lines, ind, loop):
        if self.chance(0.25, "loopelse"):
            lines.append("%selse:" % ind)
            self.sub_block(sc, 0, lines, ind + "    ", loop, n=1)

    def s_for(self, sc, depth, lines, ind, loop):
        v = self.name("i")
        rng = self.range_args(sc, 1, False)
        self.start_loop(sc)
        lines.append("%sfor %s in range(%s):" % (ind, v, rng))
        sc.push()
        sc.declare(v, "int")
        sc.protected.add(v)
        self.block(sc, depth - 1, self.r.randint(1, 4), lines, ind + "    ", True)
        sc.pop()
        sc.loops.pop()
        self.loop_else(sc, depth, lines, ind, loop)

    def s_fortuple(self, sc, depth, lines, ind, loop):
        v = self.name("e")
        ts = [(k, t) for k, t in sc.readable().items() if isinstance(t, tuple) and t[0] == "tuple"
              and t[1] and all(x in NUMERIC for x in t[1])]
        if ts and self.r.random() < 0.5:
            src, (_, elts) = self.r.choice(ts)
        else:
            items = [self.expr(sc, 1) for _ in range(self.r.randint(1, 4))]
            src = "(%s,)" % ", ".join(e for e, _ in items)
            elts = [t for _, t in items]
        t = elts[0]
        for x in elts[1:]:
            t = join(t, x)
        self.start_loop(sc)
        lines.append("%sfor %s in %s:" % (ind, v, src))
        sc.push()
        sc.declare(v, t)
        sc.protected.add(v)
        self.block(sc, depth - 1, self.r.randint(1, 3), lines, ind + "    ", True)
        sc.pop()
        sc.loops.pop()
        self.loop_else(sc, depth, lines, ind, loop)

    def s_while(self, sc, depth, lines, ind, loop):
        w = self.name("w")
        lines.append("%s%s = 0" % (ind, w))
        sc.declare(w, "int")
        sc.protected.add(w)
        c = ""
        if self.r.random() < 0.4:
            c = " and %s" % self.expr(sc, 1, "bool", cond=True)[0]
        self.start_loop(sc)
        if self.chance(0.3, "break"):
            lines.append("%swhile True:" % ind)
            lines.append("%s    %s += 1" % (ind, w))
            lines.append("%s    if %s > %d%s:" % (ind, w, self.r.randint(0, 8), c.replace(" and ", " or not ")))
            lines.append("%s        break" % ind)
        else:
            lines.append("%swhile %s < %d%s:" % (ind, w, self.r.randint(0, 8), c))
            lines.append("%s    %s += 1" % (ind, w))
        self.sub_block(sc, depth - 1, lines, ind + "    ", True, n=self.r.randint(1, 4))
        sc.loops.pop()
        self.loop_else(sc, depth, lines, ind, loop)

    def s_break(self, sc, depth, lines, ind, loop):
        c, _ = self.expr(sc, 1, "bool", cond=True)
        lines.append("%sif %s:" % (ind, c))
        lines.append("%s    %s" % (ind, self.r.choice(["break", "continue"])))

    def risky(self, sc, lines, ind, loop):
        """A statement likely to raise: a division, a conversion, a math domain error."""
        v = self.name("v")
        a, _ = self.expr(sc, 1)
        b, _ = self.expr(sc, 1)
        choices = [
            ("(%s / %s)" % (a, b), "float"), ("(%s // %s)" % (a, b), "num"), ("(%s %% %s)" % (a, b), "num"),
            ("int(%s)" % a, "int"), ("math.sqrt(%s)" % a, "float"), ("math.log(%s)" % a, "float"),
            ("float(%s)" % a, "float"), ("round(%s)" % a, "int"), ("math.exp(%s)" % a, "float"),
        ]
        if self.on("bigint"):  # leaves int64 half way through the try body
            a, ta = self.leaf(sc, want="intlike")
            if ta in INTLIKE:
                choices += [("(%s * 4611686018427387904)" % a, "int"), ("(%s + 9223372036854775807)" % a, "int"),
                            ("((-%s) - 9223372036854775807)" % a, "int"), ("(%s << 62)" % a, "int")]
        e, t = self.r.choice(choices)
        lines.append("%s%s = %s" % (ind, v, e))
        sc.declare(v, t)

    def s_try(self, sc, depth, lines, ind, loop):
        r = self.r
        lines.append("%stry:" % ind)
        sc.push()
        self.risky(sc, lines, ind + "    ", loop)
        self.block(sc, depth - 1, r.randint(0, 2), lines, ind + "    ", loop)
        sc.pop()
        nh = r.choice([0, 1, 1, 1, 2, 2])
        for _ in range(nh):
            ts = r.sample(EXC_TYPES, r.choice([1, 1, 2]))
            tsrc = ts[0] if len(ts) == 1 else "(%s)" % ", ".join(ts)
            strs = [k for k, t in sc.writable().items() if t == "str"]
            if strs and self.chance(0.6, "exceptas"):
                e = self.name("ex")
                lines.append("%sexcept %s as %s:" % (ind, tsrc, e))
                s = r.choice(strs)
                lines.append("%s    %s = %s + %s" % (ind, s, s, r.choice([
                    "str(%s)" % e, "'|' + str(%s)" % e, "str(%s)[0]" % e if False else "str(%s)" % e])))
                if self.chance(0.15, "reraise"):
                    c, _ = self.expr(sc, 1, "bool", cond=True)
                    lines.append("%s    if %s:" % (ind, c))
                    lines.append("%s        raise" % ind)
            else:
                lines.append("%sexcept %s:" % (ind, tsrc))
                self.sub_block(sc, 0, lines, ind + "    ", loop, n=r.randint(1, 2))
        if nh and r.random() < 0.3:
            lines.append("%selse:" % ind)
            self.sub_block(sc, 0, lines, ind + "    ", loop, n=1)
        if nh == 0 or r.random() < 0.3:
            lines.append("%sfinally:" % ind)
            self.sub_block(sc, 0, lines, ind + "    ", loop, n=1)
            if self.chance(0.3, "finallyjump"):  # overrides the exception (or return) in flight
                jumps = ["return"] + (["break", "continue"] if loop else [])
                j = r.choice(jumps)
                if j == "return":
                    e, t = self.expr(sc, 1, cond=True)
                    j = "return %s" % e
                    sc.returns.append(t)
                if r.random() < 0.5:
                    lines.append("%s    if %s:" % (ind, self.expr(sc, 1, "bool", cond=True)[0]))
                    lines.append("%s        %s" % (ind, j))
                else:
                    lines.append("%s    %s" % (ind, j))

    def s_raise(self, sc, depth, lines, ind, loop):
        c, _ = self.expr(sc, 1, "bool", cond=True)
        exc = self.r.choice(["ValueError", "ZeroDivisionError", "OverflowError", "ArithmeticError",
                             "RuntimeError", "Exception"])
        arg = self.r.choice(["", "'bad'", "'v=' + str(%s)" % self.expr(sc, 1)[0]])
        lines.append("%sif %s:" % (ind, c))
        lines.append("%s    raise %s(%s)" % (ind, exc, arg))

    def s_tuple(self, sc, depth, lines, ind, loop):
        r = self.r
        form = r.choice(["new", "new", "unpack", "helper"])
        if form == "unpack":
            ts = [(k, t) for k, t in sc.readable().items() if isinstance(t, tuple) and t[0] == "tuple"]
            if ts:
                name, (_, elts) = r.choice(ts)
                n = len(elts)
                if r.random() < 0.05:
                    n += r.choice([-1, 1])  # ValueError: too many / not enough values to unpack
                names = [self.name("u") for _ in range(max(n, 1))]
                targets = list(names)
                for k, t in enumerate(elts[:len(names)]):
                    if isinstance(t, tuple) and t[1] and r.random() < 0.6:  # a, (b, c) = t
                        sub = [self.name("u") for _ in t[1]]
                        targets[k] = "(%s,)" % ", ".join(sub)
                        for nm, st in zip(sub, t[1]):
                            sc.declare(nm, st)
                        names[k] = None
                lines.append("%s%s, = %s" % (ind, ", ".join(targets), name) if len(targets) == 1
                             else "%s%s = %s" % (ind, ", ".join(targets), name))
                for nm, t in zip(names, elts):
                    if nm:
                        sc.declare(nm, t)
                return
        if form == "helper":
            hs = [h for h in self.helpers if isinstance(h.ret, tuple)]
            if hs:
                h = r.choice(hs)
                names = [self.name("u") for _ in h.ret[1]]
                lines.append("%s%s = %s" % (ind, ", ".join(names), self.call_src(sc, 1, False, h)))
                for nm, t in zip(names, h.ret[1]):
                    sc.declare(nm, t)
                return
        v = self.name("t")
        items = [self.expr(sc, 1) for _ in range(r.randint(0, 4))]
        if items and r.random() < 0.25:
            inner = [self.expr(sc, 1) for _ in range(r.randint(1, 3))]
            items.insert(r.randrange(len(items) + 1),
                         ("(%s,)" % ", ".join(e for e, _ in inner), ("tuple", tuple(t for _, t in inner))))
        if items and r.random() < 0.2 and self.on("str"):
            items.append((self.str_expr(sc, 1, False), "str"))
        src = "()" if not items else "(%s,)" % ", ".join(e for e, _ in items)
        lines.append("%s%s = %s" % (ind, v, src))
        sc.declare(v, ("tuple", tuple(t for _, t in items)))

    def s_swap(self, sc, depth, lines, ind, loop):
        w = [(k, t) for k, t in sc.writable().items() if t in NUMERIC]
        if len(w) < 2:
            return self.s_assign_new(sc, depth, lines, ind, loop)
        (a, ta), (b, tb) = self.r.sample(w, 2)
        if ta == tb and self.r.random() < 0.5:
            lines.append("%s%s, %s = %s, %s" % (ind, a, b, b, a))
            return
        ea, _ = self.expr(sc, 1, ta if ta in ("int", "float", "bool") else "num")
        eb, _ = self.expr(sc, 1, tb if tb in ("int", "float", "bool") else "num")
        lines.append("%s%s, %s = %s, %s" % (ind, a, b, ea, eb))

    def s_print(self, sc, depth, lines, ind, loop):
        items = []
        for _ in range(self.r.randint(0, 3)):
            if self.r.random() < 0.2 and self.on("str"):
                items.append(self.str_expr(sc, 1, False))
            else:
                items.append(self.expr(sc, 1)[0])
        ts = [k for k, t in sc.readable().items() if (isinstance(t, tuple) and t[0] == "tuple") or t == "opt"]
        if ts and self.r.random() < 0.3:
            items.append(self.r.choice(ts))
        lines.append("%sprint(%s)" % (ind, ", ".join(items)))

    def s_straccum(self, sc, depth, lines, ind, loop):
        strs = [k for k, t in sc.writable().items() if t == "str"]
        if not strs:
            return self.s_assign_new(sc, depth, lines, ind, loop)
        s = self.r.choice(strs)
        lines.append("%s%s = %s + %s" % (ind, s, s, self.str_expr(sc, 1, False)))

    def s_return(self, sc, depth, lines, ind, loop):
        c, _ = self.expr(sc, 1, "bool", cond=True)
        e, t = self.expr(sc, 2, cond=True)
        lines.append("%sif %s:" % (ind, c))
        lines.append("%s    return %s" % (ind, e))
        sc.returns.append(t)

    def fn_params(self, n, types=("int", "int", "float", "bool")):
        params = []
        for i in range(n):
            params.append((self.name("a"), self.r.choice(types)))
        return params

    def captured(self, sc):
        """What a nested function may read: numbers and other local functions."""
        return {k: t for k, t in sc.readable().items()
                if t in NUMERIC or (isinstance(t, tuple) and t[0] == "fn")}

    def s_recclosure(self, sc, depth, lines, ind, loop):
        """A recursive nested function over captured variables."""
        r = self.r
        name = self.name("c")
        inner = Scope("closure", sc.level + 1)
        captured = self.captured(sc)
        inner.blocks = [dict(captured), {}]
        inner.frozen |= set(captured)
        t = r.choice(["int", "float"])
        base, _ = self.expr(inner, 1, t)
        inner.declare("n", "int")
        step, _ = self.expr(inner, 1, "intlike" if t == "int" else "num")
        lines += ["%sdef %s(n):" % (ind, name),
                  "%s    if n <= 0:" % ind,
                  "%s        return %s" % (ind, base),
                  "%s    return %s(n - 1) %s %s" % (ind, name, r.choice(["+", "-", "*"]) if t == "int" else "+", step)]
        sc.frozen |= {k for k, v in captured.items() if v in NUMERIC}
        sc.declare(name, ("fn", Fn(name, [("n", "n", False)], t)))

    def s_closure(self, sc, depth, lines, ind, loop):
        r = self.r
        if self.chance(0.2, "recursion"):
            return self.s_recclosure(sc, depth, lines, ind, loop)
        name = self.name("c")
        params = self.fn_params(r.randint(0, 2))
        defaults = []
        if params and self.chance(0.4, "kwargs"):
            defaults = [params[-1]]
        inner = Scope("closure", sc.level + 1)
        captured = self.captured(sc)
        inner.blocks = [dict(captured), {}]
        counter = None
        cands = [k for k, t in sc.writable().items() if t == "int"]
        if cands and self.chance(0.5, "nonlocal"):
            counter = r.choice(cands)
        for p, t in params:
            inner.declare(p, t)
        ps = []
        for p, t in params:
            if (p, t) in defaults:
                if r.random() < 0.5:  # a default evaluated when the def runs (e.g. a loop variable)
                    ps.append("%s=%s" % (p, self.expr(sc, 1, t)[0]))
                else:
                    ps.append("%s=%s" % (p, self.const(t)[0]))
            else:
                ps.append(p)
        body = ["%sdef %s(%s):" % (ind, name, ", ".join(ps))]
        if counter:
            body.append("%s    nonlocal %s" % (ind, counter))
            body.append("%s    %s += %s" % (ind, counter, r.choice(["1", "2", "-1"])))
            inner.frozen.add(counter)
        inner.frozen |= set(captured)
        sub = []
        if r.random() < 0.4:
            self.block(inner, 1, r.randint(1, 2), sub, ind + "    ", False, allow_defs=inner.level < 3)
            body += sub
        e, t = self.expr(inner, 2)
        body.append("%s    return %s" % (ind, e))
        t = t
        for rt in inner.returns:
            t = join(t, rt) or "num"
        lines.extend(body)
        # everything the closure may read is frozen from now on (keeps loops polynomial)
        sc.frozen |= {k for k, v in captured.items() if v in NUMERIC}
        if counter:
            sc.frozen.add(counter)
        sc.declare(name, ("fn", Fn(name, [(p, pt, (p, pt) in defaults) for p, pt in params], t)))

    def s_lambda(self, sc, depth, lines, ind, loop):
        r = self.r
        name = self.name("l")
        params = self.fn_params(r.randint(0, 2))
        inner = Scope("closure", sc.level + 1)
        captured = self.captured(sc)
        inner.blocks = [dict(captured), {}]
        for p, t in params:
            inner.declare(p, t)
        defaults = [params[-1]] if params and self.chance(0.3, "kwargs") else []
        ps = ["%s=%s" % (p, self.const(t)[0]) if (p, t) in defaults else p for p, t in params]
        e, t = self.expr(inner, 2)
        lines.append("%s%s = lambda %s: %s" % (ind, name, ", ".join(ps), e))
        sc.frozen |= {k for k, v in captured.items() if v in NUMERIC}
        sc.declare(name, ("fn", Fn(name, [(p, pt, (p, pt) in defaults) for p, pt in params], t)))

    # ---------------------------------------------------------------- module-level helpers
    def helper(self):
        r = self.r
        kind = self.pick([(3, "helper", "plain"), (2, "recursion", "rec"), (1, "recursion", "fib"),
                          (1, "tupleret", "tuple"), (0.8, "higherorder", "apply")])
        if kind is None:
            return
        name = self.name("h")
        lines = []
        if kind == "fib":
            k = r.choice([1, 2])
            lines += ["def %s(n):" % name,
                      "    if n < %d:" % (k + 1),
                      "        return n",
                      "    return %s(n - 1) + %s(n - %d)" % (name, name, k)]
            self.helpers.append(Fn(name, [("n", "n", False)], "int"))
        elif kind == "rec":
            t = r.choice(["int", "int", "float"])
            sc = Scope("helper")
            sc.declare("n", "int")
            sc.declare("x", t)
            base, bt = self.expr(sc, 1, t)
            step, _ = self.expr(sc, 2, t)
            lines += ["def %s(n, x):" % name,
                      "    if n <= 0:",
                      "        return %s" % base,
                      "    return %s(n - 1, %s)" % (name, step)]
            if r.random() < 0.3:
                lines[-1] = "    return %s(n - 1, %s) + %s(n - 2, x)" % (name, step, name)
            self.helpers.append(Fn(name, [("n", "n", False), ("x", t, False)], t))
        elif kind == "apply":
            lines += ["def %s(g, x):" % name,
                      "    return g(x) %s g(x)" % r.choice(["+", "-", "*"])]
            # return type decided at the call site: treated as num
            self.helpers.append(Fn(name, [("g", "fn", False), ("x", "num", False)], "num"))
        else:
            sc = Scope("helper")
            params = self.fn_params(r.randint(1, 3))
            ps = []
            ndef = r.randint(0, len(params)) if self.on("kwargs") else 0
            info = []
            for i, (p, t) in enumerate(params):
                sc.declare(p, t)
                has_default = i >= len(params) - ndef
                ps.append("%s=%s" % (p, self.const(t)[0]) if has_default else p)
                info.append((p, t, has_default))
            lines.append("def %s(%s):" % (name, ", ".join(ps)))
            if r.random() < 0.5:
                self.block(sc, 1, r.randint(1, 3), lines, "    ", False, allow_defs=False)
            if kind == "tuple":
                items = [self.expr(sc, 2) for _ in range(r.randint(2, 3))]
                lines.append("    return %s" % ", ".join(e for e, _ in items))
                ret = ("tuple", tuple(t for _, t in items))
            else:
                e, ret = self.expr(sc, 2)
                lines.append("    return %s" % e)
                for rt in sc.returns:
                    ret = join(ret, rt) or "num"
            self.helpers.append(Fn(name, info, ret))
        self.module_lines += lines + ["", ""]

    # ---------------------------------------------------------------- a whole case
    def sweep_case(self):
        """One expression over two or three parameters, run with many edge-value arguments:
        operators and builtins at INT64 boundaries, big ints, nan/inf, -0.0."""
        r = self.r
        self.wild = 2
        sc = Scope("main")
        params = self.fn_params(r.randint(1, 3), ("int", "int", "float", "float", "bool"))
        for p, t in params:
            sc.declare(p, t)
        lines = ["import math", "", "", "def f(%s):" % ", ".join(p for p, _ in params)]
        if r.random() < 0.3:
            self.block(sc, 1, r.randint(1, 2), lines, "    ", False, allow_defs=False)
        e, _ = self.expr(sc, r.choice([1, 1, 2, 2, 3]))
        lines.append("    return %s" % e)
        argsets = []
        for _ in range(10):
            args = []
            for _, t in params:
                if self.chance(0.08, "argtypes"):
                    t = r.choice(["int", "float", "bool"])
                args.append(self.value(t))
            argsets.append(tuple(args))
        return "\n".join(lines) + "\n", argsets

    def case(self):
        r = self.r
        if self.chance(CONTAINER_SHARE, "containers"):
            return gen_containers.ContainerGen(self).case()
        if r.random() < 0.25:
            return self.sweep_case()
        self.module_lines = ["import math", "", ""]
        for _ in range(r.choice([0, 0, 1, 1, 2])):
            self.helper()
        sc = Scope("main")
        params = self.fn_params(r.randint(1, 3), ("int", "int", "int", "float", "float", "bool"))
        ptypes = [t for _, t in params]
        tuple_param = None
        if self.chance(0.15, "tupleparam"):
            tuple_param = (self.name("tp"), tuple(r.choice(["int", "float"]) for _ in range(r.randint(1, 3))))
        ps = []
        for p, t in params:
            sc.declare(p, t)
            ps.append(p)
        if tuple_param:
            sc.declare(tuple_param[0], ("tuple", tuple_param[1]))
            ps.append(tuple_param[0])
        default = None
        if self.chance(0.2, "defaultparam") and not tuple_param:
            default = self.const(ptypes[-1])[0]
            ps[-1] = "%s=%s" % (ps[-1], default)
        lines = ["def f(%s):" % ", ".join(ps)]
        if self.on("str"):
            lines.append("    msg = ''")
            sc.declare("msg", "str")
        if self.chance(0.25, "none"):
            lines.append("    nv = None")
            sc.declare("nv", "opt")
        self.block(sc, 2, r.randint(3, 8), lines, "    ", False)
        vis = [k for k, t in sc.visible().items() if t in NUMERIC or t in ("str", "opt")
               or (isinstance(t, tuple) and t[0] == "tuple")]
        ret = r.sample(vis, min(len(vis), r.randint(1, 5)))
        if r.random() < 0.7:
            ret.append(self.expr(sc, 3)[0])
        lines.append("    return %s" % (", ".join(ret) if len(ret) != 1 else ret[0]))
        source = "\n".join(self.module_lines + lines) + "\n"
        # arguments: several sets of the declared types, sometimes a bool for an int
        argsets = []
        for _ in range(3):
            args = []
            for t in ptypes:
                if t == "int" and r.random() < 0.08:
                    args.append(r.random() < 0.5)  # bool is an int: no TypeError expected
                elif self.chance(0.03, "argtypes"):
                    args.append(self.value(r.choice(["int", "float"])))
                else:
                    args.append(self.value(t))
            if tuple_param:
                args.append(tuple(self.value(t) for t in tuple_param[1]))
            elif default is not None and r.random() < 0.4:
                args.pop()
            argsets.append(tuple(args))
        return source, argsets


def generate(seed, index, disabled=()):
    rng = random.Random("%s:%s" % (seed, index))
    return Gen(rng, disabled).case()


# ======================================================================================
# worker: runs cases in CPython and in shoal, in a process of its own


class CPythonTimeout(BaseException):
    """Raised by SIGALRM into a slow CPython run (BaseException: generated code cannot catch it)."""


def _exc_name(t):
    return t.__name__ if t.__module__ == "builtins" else "%s.%s" % (t.__module__, t.__qualname__)


def same(a, b):
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return repr(a) == repr(b)
    if isinstance(a, (tuple, list)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):  # key order too
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, (set, frozenset)):
        return a == b
    if hasattr(a, "__dict__") and not callable(a):  # an instance of the case's own class
        return same(vars(a), vars(b))
    return a == b


def _type_tree(v):
    if isinstance(v, tuple):
        return "(" + ", ".join(_type_tree(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    if isinstance(v, list):
        return "list[%s]" % "|".join(sorted({_type_tree(x) for x in v}))
    if isinstance(v, dict):
        return "dict[%s: %s]" % ("|".join(sorted({_type_tree(x) for x in v})),
                                 "|".join(sorted({_type_tree(x) for x in v.values()})))
    if isinstance(v, (set, frozenset)):
        return "%s[%s]" % (type(v).__name__, "|".join(sorted({_type_tree(x) for x in v})))
    return type(v).__name__


def show(o):
    if o[0] == "value":
        return "value %r (type %s), stdout %r" % (o[1], _type_tree(o[1]), o[2])
    return "raise %s(%r), stdout %r" % (o[1], o[2], o[3])


def _supported_value(v):
    if isinstance(v, (tuple, list, set, frozenset)):
        return all(_supported_value(x) for x in v)
    if isinstance(v, dict):
        return all(_supported_value(x) for x in v) and all(_supported_value(x) for x in v.values())
    if type(v).__module__.startswith("shoalfuzz_"):  # an instance of the case's own class
        return all(_supported_value(x) for x in vars(v).values())
    return type(v) in (int, float, bool, str, type(None))


def _first_diff(a, b, path=""):
    """Where two values first differ: (path, a_part, b_part)."""
    if isinstance(a, dict) and isinstance(b, dict) and list(a) == list(b):
        for k in a:
            if not same(a[k], b[k]):
                return _first_diff(a[k], b[k], "%s[%r]" % (path, k))
    if type(a) is type(b) and isinstance(a, (tuple, list)) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b)):
            if not same(x, y):
                return _first_diff(x, y, "%s[%d]" % (path, i))
    return path, a, b


def worker_main(opts):
    proto = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # anything else printed to fd 1 (native code too) goes to stderr
    sys.path.insert(0, os.path.join(opts.build, "python"))
    sys.dont_write_bytecode = True
    import shoal

    def send(obj):
        proto.write(json.dumps(obj) + "\n")
        proto.flush()

    def on_alarm(*_):
        raise CPythonTimeout()

    signal.signal(signal.SIGALRM, on_alarm)
    cluster = shoal.connect(workers=2, memory_limit=opts.memory_limit << 20)
    send({"ready": True})
    modules = {}
    for line in sys.stdin:
        req = json.loads(line)
        path = req["path"]
        try:
            mod = modules.get(path)
            if mod is None:
                for old in list(modules):
                    sys.modules.pop(modules.pop(old).__name__, None)
                modname = "shoalfuzz_" + os.path.splitext(os.path.basename(path))[0]
                spec = importlib.util.spec_from_file_location(modname, path)
                mod = importlib.util.module_from_spec(spec)
                sys.modules[modname] = mod
                spec.loader.exec_module(mod)
                modules[path] = mod
            fn = mod.f
            args = eval(req["args"], {"nan": math.nan, "inf": math.inf})
        except Exception as e:  # noqa: BLE001
            send({"result": {"status": "gen-error", "reason": "%s: %s" % (type(e).__name__, e)}})
            continue
        send({"phase": "cpython"})
        buf = io.StringIO()
        t0 = time.perf_counter()
        signal.setitimer(signal.ITIMER_REAL, req["cpy_timeout"])
        try:
            with contextlib.redirect_stdout(buf):
                try:
                    expected = ("value", fn(*args), buf.getvalue())
                except CPythonTimeout:
                    raise
                except Exception as e:  # noqa: BLE001
                    expected = ("raise", _exc_name(type(e)), str(e), buf.getvalue())
        except CPythonTimeout:
            expected = None
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        elapsed = time.perf_counter() - t0
        if expected is None or elapsed > req["cpy_limit"]:
            send({"result": {"status": "skip-cpython-slow", "reason": "%.3fs" % elapsed}})
            continue
        if expected[0] == "raise" and expected[1] in ("RecursionError", "MemoryError"):
            send({"result": {"status": "skip-cpython-" + expected[1], "reason": expected[2]}})
            continue
        if expected[0] == "raise" and expected[1] in ("NameError", "UnboundLocalError", "SyntaxError",
                                                       "AttributeError"):
            send({"result": {"status": "skip-generator", "reason": show(expected)}})
            continue
        if expected[0] == "value" and not _supported_value(expected[1]):
            send({"result": {"status": "skip-cpython-type", "reason": show(expected)}})
            continue
        send({"phase": "shoal"})
        buf = io.StringIO()
        hang = False
        with contextlib.redirect_stdout(buf):
            try:
                # a fresh copy: the CPython run may have mutated list/dict arguments
                args = eval(req["args"], {"nan": math.nan, "inf": math.inf})
                fut = cluster.submit(fn, *args)
                actual = ("value", fut.result(timeout=req["shoal_timeout"]), buf.getvalue())
            except shoal.UnsupportedError as e:
                actual = ("unsupported", str(e))
            except TimeoutError as e:
                if "did not finish within" in str(e):
                    hang = True
                actual = ("raise", _exc_name(type(e)), str(e), buf.getvalue())
            except Exception as e:  # noqa: BLE001
                actual = ("raise", _exc_name(type(e)), str(e), buf.getvalue())
        if hang:
            send({"result": {"status": "hang", "cpython": show(expected),
                             "sig": ["hang"], "reason": "no result within %ss" % req["shoal_timeout"]}})
            proto.flush()
            os._exit(0)  # the node's worker threads are stuck: start afresh
        if actual[0] == "unsupported" and "internal" in actual[1]:
            why = re.sub(r"^\S+\.py, line \d+: ", "", actual[1])
            send({"result": {"status": "internal", "cpython": show(expected),
                             "shoal": "UnsupportedError(%r)" % actual[1],
                             "sig": ["internal", re.sub(r"%\d+|\d+", "N", why)[:60]]}})
            continue
        if actual[0] == "unsupported":
            send({"result": {"status": "skip-unsupported", "reason": actual[1]}})
            continue
        if expected[0] == "raise" and actual[0] == "raise" and expected[1] == actual[1] \
                and expected[2] == actual[2] and expected[3] == actual[3]:
            send({"result": {"status": "ok", "kind": "raise " + expected[1]}})
            continue
        if expected[0] == "value" and actual[0] == "value" and same(expected[1], actual[1]) \
                and expected[2] == actual[2]:
            send({"result": {"status": "ok", "kind": "value"}})
            continue
        sig = [expected[0], expected[1] if expected[0] == "raise" else _type_tree(expected[1]),
               actual[0], actual[1] if actual[0] == "raise" else _type_tree(actual[1])]
        res = {"status": "mismatch", "cpython": show(expected), "shoal": show(actual), "sig": sig}
        if expected[0] == "value" and actual[0] == "value":
            if same(expected[1], actual[1]):
                res["diff"] = "stdout differs"
                sig.append("stdout")
            else:
                p, a, b = _first_diff(expected[1], actual[1])
                res["diff"] = "at result%s: CPython %r (%s), shoal %r (%s)" % (
                    p, a, type(a).__name__, b, type(b).__name__)
        send({"result": res})


# ======================================================================================
# parent: drives the worker, notices crashes and hangs


class Runner:
    def __init__(self, opts, tmpdir):
        self.opts = opts
        self.tmpdir = tmpdir
        self.proc = None
        self.buf = b""
        self.served = 0
        self.restarts = 0

    def start(self):
        """Starts a worker; retries for a while, since the build may be being relinked."""
        for attempt in range(12):
            try:
                return self._start()
            except RuntimeError as e:
                if attempt == 11:
                    raise
                print("the shoal worker did not start (attempt %d), retrying in 20s: %s"
                      % (attempt + 1, str(e).strip().splitlines()[-1]), file=sys.stderr, flush=True)
                time.sleep(20)

    def _start(self):
        self.stderr_path = os.path.join(self.tmpdir, "worker-stderr.txt")
        self.stderr = open(self.stderr_path, "wb")
        cmd = [sys.executable, os.path.abspath(__file__), "--worker", "--build", self.opts.build,
               "--memory-limit", str(self.opts.memory_limit)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, cwd=self.tmpdir)
        self.buf = b""
        self.served = 0
        msg = self._read(60)
        if not (isinstance(msg, dict) and msg.get("ready")):
            tail = self._stderr_tail()
            self.stop()
            raise RuntimeError("the shoal worker did not start:\n" + tail)

    def stop(self):
        if self.proc is not None:
            try:
                self.proc.kill()
            except OSError:
                pass
            self.proc.wait()
            self.proc = None
            self.stderr.close()

    def _stderr_tail(self):
        try:
            self.stderr.flush()
            with open(self.stderr_path, "rb") as fh:
                data = fh.read()
            return data[-3000:].decode("utf-8", "replace")
        except OSError:
            return ""

    def _read(self, timeout):
        """One JSON message; "eof" if the worker died, "timeout" if none came in time."""
        deadline = time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            left = deadline - time.monotonic()
            if left <= 0:
                return "timeout"
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                return "timeout"
            chunk = os.read(fd, 65536)
            if not chunk:
                return "eof"
            self.buf += chunk
        line, self.buf = self.buf.split(b"\n", 1)
        return json.loads(line)

    def run(self, path, args, shoal_timeout=None):
        """Outcome dict with "status": ok, mismatch, crash, hang or skip-*."""
        opts = self.opts
        shoal_timeout = shoal_timeout or opts.shoal_timeout
        if self.proc is None or self.served >= opts.restart_every:
            self.stop()
            self.start()
        self.served += 1
        req = {"path": path, "args": repr(args), "cpy_limit": opts.cpython_limit,
               "cpy_timeout": max(opts.cpython_limit * 4, 0.5), "shoal_timeout": shoal_timeout}
        try:
            self.proc.stdin.write((json.dumps(req) + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            pass
        phase = "load"
        while True:
            msg = self._read(shoal_timeout + 30 if phase == "shoal" else 30)
            if msg == "eof":
                self.proc.wait()
                rc = self.proc.returncode
                tail = self._stderr_tail()
                self.stop()
                self.restarts += 1
                if phase != "shoal":
                    return {"status": "skip-cpython-crash", "reason": "rc %s in phase %s" % (rc, phase)}
                what = ("signal %s (%s)" % (-rc, _signame(-rc))) if rc < 0 else "exit code %s" % rc
                return {"status": "crash", "sig": ["crash", what], "reason": what,
                        "stderr": tail}
            if msg == "timeout":
                tail = self._stderr_tail()
                self.stop()
                self.restarts += 1
                if phase != "shoal":
                    return {"status": "skip-cpython-slow", "reason": "worker silent in phase " + phase}
                return {"status": "hang", "sig": ["hang"], "reason": "worker silent", "stderr": tail}
            if "phase" in msg:
                phase = msg["phase"]
                continue
            res = msg["result"]
            if res["status"] == "hang":
                self.proc.wait()
                self.stop()
                self.restarts += 1
            return res


def _signame(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return "?"


# ======================================================================================
# reduction


def _stmt_lists(node):
    for field in ("body", "orelse", "finalbody"):
        lst = getattr(node, field, None)
        if isinstance(lst, list) and lst and isinstance(lst[0], ast.stmt):
            yield field, lst


_REPLACEMENT_CONSTANTS = [0, 1, 0.0, True]


def _expr_children(node):
    """Operands an expression may be replaced by: not a called function, not the math module."""
    out = []
    for c in ast.iter_child_nodes(node):
        if not isinstance(c, ast.expr) or (isinstance(node, ast.Call) and c is node.func):
            continue
        if isinstance(c, ast.Name) and c.id == "math":
            continue
        if isinstance(c, (ast.Lambda, ast.GeneratorExp)) or isinstance(node, (ast.Lambda, ast.GeneratorExp)):
            continue
        out.append(c)
    return out


def _edits(tree):
    """Candidate simplifications of tree, biggest first: (kind, node index, field, position, option)."""
    nodes = list(ast.walk(tree))
    stmt_edits, expr_edits = [], []
    for ni, node in enumerate(nodes):
        for field, lst in _stmt_lists(node):
            for j, st in enumerate(lst):
                if isinstance(node, ast.Module) and isinstance(st, ast.FunctionDef) and st.name == "f":
                    continue
                stmt_edits.append(("del", ni, field, j, None))
                if isinstance(st, (ast.If, ast.For, ast.While, ast.Try)):
                    stmt_edits.append(("splice", ni, field, j, "body"))
                    if getattr(st, "orelse", None):
                        stmt_edits.append(("splice", ni, field, j, "orelse"))
        if isinstance(node, ast.Try) and len(node.handlers) > 1:
            for j in range(len(node.handlers)):
                stmt_edits.append(("delhandler", ni, "handlers", j, None))
        if isinstance(node, ast.Call):
            for j in range(len(node.keywords)):
                expr_edits.append(("delkw", ni, "keywords", j, None))
        for field, value in ast.iter_fields(node):
            if isinstance(node, ast.Call) and field == "func":
                continue
            vals = [(None, value)] if isinstance(value, ast.expr) else (
                list(enumerate(value)) if isinstance(value, list) else [])
            for j, v in vals:
                if not isinstance(v, ast.expr) or isinstance(getattr(v, "ctx", None), (ast.Store, ast.Del)):
                    continue
                if isinstance(v, ast.Constant):
                    if v.value in (0, 1) and type(v.value) is int:
                        continue
                    expr_edits.append(("expr", ni, field, j, ("const", 0)))
                    continue
                for ci in range(len(_expr_children(v))):
                    expr_edits.append(("expr", ni, field, j, ("child", ci)))
                for c in _REPLACEMENT_CONSTANTS:
                    expr_edits.append(("expr", ni, field, j, ("const", c)))
    return stmt_edits + expr_edits


def _apply(tree, edit):
    kind, ni, field, j, opt = edit
    t2 = copy.deepcopy(tree)
    node = list(ast.walk(t2))[ni]
    if kind == "del":
        lst = getattr(node, field)
        del lst[j]
        if not lst and field == "body":
            lst.append(ast.Pass())
    elif kind == "splice":
        lst = getattr(node, field)
        inner = getattr(lst[j], opt) or [ast.Pass()]
        lst[j:j + 1] = inner
    elif kind == "delhandler":
        del node.handlers[j]
    elif kind == "delkw":
        del node.keywords[j]
    else:
        cur = getattr(node, field) if j is None else getattr(node, field)[j]
        if opt[0] == "child":
            children = _expr_children(cur)
            if opt[1] >= len(children):
                return None
            new = children[opt[1]]
            if isinstance(getattr(new, "ctx", None), ast.Store):
                return None
        else:
            new = ast.Constant(opt[1])
        if j is None:
            setattr(node, field, new)
        else:
            getattr(node, field)[j] = new
    ast.fix_missing_locations(t2)
    try:
        src = ast.unparse(t2) + "\n"
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # e.g. "'int' object is not subscriptable": nonsense
            compile(src, "<reduce>", "exec")
    except (SyntaxError, SyntaxWarning, ValueError, RecursionError):
        return None
    return src


def _simpler_args(args):
    out = []
    for i, a in enumerate(args):
        if isinstance(a, bool):
            opts = [False, True]
        elif isinstance(a, int):
            opts = [0, 1, -1, 2]
        elif isinstance(a, float):
            opts = [0.0, 1.0, -1.0, 0.5]
        elif isinstance(a, list):
            opts = [[], a[:len(a) // 2], a[1:]] if a else []
        elif isinstance(a, str):
            opts = ["", "a", "a,b"] if a else []
        else:
            opts = []
        for o in opts:
            if isinstance(a, (list, str)):
                if len(o) < len(a):
                    out.append(args[:i] + (o,) + args[i + 1:])
                continue
            if not same(o, a) and abs(hash(o)) < abs(hash(a)) + 2 or (isinstance(a, float) and math.isnan(a)):
                out.append(args[:i] + (o,) + args[i + 1:])
    return out


class Reducer:
    def __init__(self, runner, tmpdir, budget_s, max_attempts):
        self.runner, self.tmpdir = runner, tmpdir
        self.budget_s, self.max_attempts = budget_s, max_attempts
        self.counter = 0

    def _try(self, src, args, sig, timeout):
        self.counter += 1
        path = os.path.join(self.tmpdir, "red_%d.py" % self.counter)
        with open(path, "w") as fh:
            fh.write(src)
        res = self.runner.run(path, args, shoal_timeout=timeout)
        return res if res["status"] in BAD and res.get("sig") == sig else None

    def reduce(self, src, args, res):
        sig = res["sig"]
        timeout = min(self.runner.opts.shoal_timeout, 5) if sig == ["hang"] else None
        deadline = time.monotonic() + self.budget_s
        attempts = 0
        best = (src, args, res)
        try:
            tree = ast.parse(src)
        except SyntaxError:
            return best
        changed = True
        while changed and attempts < self.max_attempts and time.monotonic() < deadline:
            changed = False
            edits = _edits(tree)
            i = 0
            while i < len(edits) and attempts < self.max_attempts and time.monotonic() < deadline:
                cand = _apply(tree, edits[i])
                if cand is None or cand == best[0]:
                    i += 1
                    continue
                attempts += 1
                r = self._try(cand, best[1], sig, timeout)
                if r is not None:
                    best = (cand, best[1], r)
                    tree = ast.parse(cand)
                    edits = _edits(tree)
                    changed = True
                else:
                    i += 1
            for a2 in _simpler_args(best[1]):
                if attempts >= self.max_attempts or time.monotonic() >= deadline:
                    break
                attempts += 1
                r = self._try(best[0], a2, sig, timeout)
                if r is not None:
                    best = (best[0], a2, r)
                    changed = True
        return best


# ======================================================================================
# main


def parse_args(argv):
    p = argparse.ArgumentParser(description="Differential fuzzer: CPython vs shoal.")
    p.add_argument("--seed", default="0", help="base seed (any string); case i uses seed:i")
    p.add_argument("--count", type=int, default=None, help="number of generated functions (default 200, "
                   "or unlimited with --time)")
    p.add_argument("--time", type=float, default=None, help="stop after this many seconds")
    p.add_argument("--start", type=int, default=0, help="index of the first case")
    p.add_argument("--case", type=int, default=None, help="run only this case index")
    p.add_argument("--show", action="store_true", help="print the source of each case")
    p.add_argument("--out", default=None, help="folder for findings (default: a new folder in /tmp)")
    p.add_argument("--build", default=DEFAULT_BUILD, help="shoal build folder (default: %(default)s)")
    p.add_argument("--disable", default="", help="comma-separated generator features to turn off "
                   "(--list-features)")
    p.add_argument("--enable", default="", help="comma-separated features to turn on that are off "
                   "by default (%s)" % ", ".join(sorted(DEFAULT_OFF)))
    p.add_argument("--list-features", action="store_true")
    p.add_argument("--container-share", type=float, default=CONTAINER_SHARE,
                   help="share of cases over containers/strings/classes (default %(default)s)")
    p.add_argument("--no-reduce", action="store_true", help="record failures without reducing them")
    p.add_argument("--reduce-time", type=float, default=60, help="seconds spent reducing one failure")
    p.add_argument("--reduce-same", type=int, default=2, help="reduce at most this many failures "
                   "with the same signature")
    p.add_argument("--cpython-limit", type=float, default=0.05,
                   help="skip cases that run longer than this in CPython (s)")
    p.add_argument("--shoal-timeout", type=float, default=20, help="a shoal call this slow is a hang (s)")
    p.add_argument("--restart-every", type=int, default=400, help="start a fresh worker after this many calls")
    p.add_argument("--memory-limit", type=int, default=2048, help="shoal node memory limit (MiB)")
    p.add_argument("--quiet", action="store_true")
    p.add_argument("--verbose", action="store_true", help="print skip reasons")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args(argv)


def main(argv=None):
    opts = parse_args(argv)
    if opts.worker:
        worker_main(opts)
        return 0
    global CONTAINER_SHARE
    CONTAINER_SHARE = opts.container_share
    if opts.list_features:
        for k, v in FEATURES.items():
            print("%-14s %s%s" % (k, v, "  [off by default: %s]" % DEFAULT_OFF[k] if k in DEFAULT_OFF else ""))
        return 0
    enabled = [d for d in opts.enable.split(",") if d]
    disabled = [d for d in opts.disable.split(",") if d]
    unknown = [d for d in disabled + enabled if d not in FEATURES]
    disabled = sorted(set(disabled) | (set(DEFAULT_OFF) - set(enabled)))
    if unknown:
        print("unknown feature(s): %s (see --list-features)" % ", ".join(unknown), file=sys.stderr)
        return 2
    if opts.case is not None:
        indices = [opts.case]
    else:
        count = opts.count if opts.count is not None else (None if opts.time else 200)
        indices = range(opts.start, opts.start + count) if count is not None else None

    def log(*a):
        if not opts.quiet:
            print(*a, flush=True)

    tmpdir = tempfile.mkdtemp(prefix="shoal-fuzz-")
    out = opts.out or tempfile.mkdtemp(prefix="shoal-fuzz-findings-")
    os.makedirs(out, exist_ok=True)
    runner = Runner(opts, tmpdir)
    reducer = Reducer(runner, tmpdir, opts.reduce_time, 400)
    tally = {}
    reasons = {}
    kinds = {}
    findings = []
    per_sig = {}
    t_start = time.monotonic()
    n_cases = 0
    try:
        i = opts.start if indices is None else None
        it = iter(indices) if indices is not None else None
        while True:
            if opts.time is not None and time.monotonic() - t_start > opts.time:
                break
            if it is not None:
                idx = next(it, None)
                if idx is None:
                    break
            else:
                idx = i
                i += 1
            try:
                source, argsets = generate(opts.seed, idx, disabled)
            except Exception as e:  # noqa: BLE001 - a generator bug must not end the run
                tally["gen-crash"] = tally.get("gen-crash", 0) + 1
                log("case %s:%d: the generator failed: %s: %s" % (opts.seed, idx, type(e).__name__, e))
                continue
            n_cases += 1
            if opts.show:
                print("# ---- case %s:%d ----\n%s# args: %r" % (opts.seed, idx, source, argsets))
            path = os.path.join(tmpdir, "case_%d.py" % idx)
            with open(path, "w") as fh:
                fh.write(source)
            for args in argsets:
                res = runner.run(path, args)
                st = res["status"]
                tally[st] = tally.get(st, 0) + 1
                if st.startswith("skip") or st == "gen-error":
                    key = (st, re.sub(r"^\S+\.py, line \d+: ", "", res.get("reason", ""))[:90])
                    reasons[key] = reasons.get(key, 0) + 1
                    if opts.verbose:
                        log("  case %d: %s %s" % (idx, st, res.get("reason", "")[:200]))
                    if st == "skip-unsupported" or st == "gen-error":
                        break
                    continue
                if st == "ok":
                    kinds[res["kind"]] = kinds.get(res["kind"], 0) + 1
                    continue
                sigkey = json.dumps(res["sig"])
                per_sig[sigkey] = per_sig.get(sigkey, 0) + 1
                log("case %s:%d: %s %s" % (opts.seed, idx, st.upper(), " ".join(res["sig"])))
                src_r, args_r, res_r = source, args, res
                if not opts.no_reduce and per_sig[sigkey] <= opts.reduce_same:
                    src_r, args_r, res_r = reducer.reduce(source, args, res)
                finding = {"case": "%s:%d" % (opts.seed, idx), "status": st, "sig": res["sig"],
                           "source": source, "args": repr(args), "reduced_source": src_r,
                           "reduced_args": repr(args_r), "cpython": res_r.get("cpython"),
                           "shoal": res_r.get("shoal"), "diff": res_r.get("diff"),
                           "reason": res_r.get("reason"), "stderr": res_r.get("stderr", "")[-1500:],
                           "original_cpython": res.get("cpython"), "original_shoal": res.get("shoal")}
                findings.append(finding)
                fpath = os.path.join(out, "finding_%03d.py" % len(findings))
                with open(fpath, "w") as fh:
                    fh.write("# shoal fuzz finding %d: case %s, %s %s\n" % (
                        len(findings), finding["case"], st, " ".join(res["sig"])))
                    fh.write("# args:    %s\n" % finding["reduced_args"])
                    for k in ("cpython", "shoal", "diff", "reason"):
                        if finding.get(k):
                            fh.write("# %-8s %s\n" % (k + ":", str(finding[k]).replace("\n", "\n#   ")))
                    fh.write(src_r)
                    fh.write("\n\n# original (unreduced) case, args %s:\n" % finding["args"])
                    fh.write("# cpython: %s\n# shoal:   %s\n" % (res.get("cpython"), res.get("shoal")))
                    fh.write("".join("# " + ln + "\n" for ln in source.splitlines()))
                with open(os.path.join(out, "findings.jsonl"), "a") as fh:
                    fh.write(json.dumps(finding) + "\n")
                log("  -> %s\n%s  args %s\n  CPython: %s\n  shoal:   %s" % (
                    fpath, _indent(src_r), finding["reduced_args"], finding["cpython"],
                    finding["shoal"] or finding["reason"]))
                break  # one finding per case
            if not opts.quiet and n_cases % 100 == 0:
                log("... %d cases, %.0fs, %s" % (n_cases, time.monotonic() - t_start, _fmt(tally)))
    finally:
        runner.stop()
        shutil.rmtree(tmpdir, ignore_errors=True)
    bad = sum(tally.get(k, 0) for k in BAD)
    checks = sum(tally.values())
    print("shoal fuzz: seed=%s cases=%d checks=%d ok=%d mismatches=%d crashes=%d hangs=%d "
          "internal-errors=%d skipped=%d time=%.1fs" % (
              opts.seed, n_cases, checks, tally.get("ok", 0), tally.get("mismatch", 0),
              tally.get("crash", 0), tally.get("hang", 0), tally.get("internal", 0),
                          sum(v for k, v in tally.items() if k.startswith("skip")), time.monotonic() - t_start))
    if not opts.quiet:
        print("  outcomes: %s" % _fmt(tally))
        print("  agreeing outcomes: %s" % _fmt(kinds))
        for (st, why), n in sorted(reasons.items(), key=lambda kv: -kv[1])[:12]:
            print("  %5d  %s  %s" % (n, st, why))
    if findings:
        print("  findings written to %s" % out)
    elif not opts.out:
        shutil.rmtree(out, ignore_errors=True)
    return 1 if bad else 0


def _fmt(tally):
    return ", ".join("%s=%d" % kv for kv in sorted(tally.items()))


def _indent(s):
    return "".join("    " + ln + "\n" for ln in s.splitlines())


if __name__ == "__main__":
    sys.exit(main())
