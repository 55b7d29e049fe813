"""Case generator for fuzz_compiler.py: programs over containers, strings, classes and generators.

A case is a function f over a few ints, a list of ints, a string (and sometimes a list of strings
or a dict), preceded by module-level helpers: a small class with __init__, methods, a property and
dunders (__eq__, __lt__, __repr__, __add__), generator functions and helpers that mutate their list
argument.  The body is a random mix of list/dict/set displays and comprehensions, indexing and
slicing (negative indices, steps), list/dict/set methods, sorted/reversed/enumerate/zip, string
methods, f-string format specs and % formatting, loops over containers and generators, aliases
that mutate a shared list, and statements that raise IndexError/KeyError/ValueError/TypeError,
caught (str(e) appended to a message) or escaping.

Determinism in CPython: no set of strings is ever built, a set of ints is never iterated, printed
or converted to a list except through sorted() (sum/min/max/len/in/== are order-free), no id() or
hash(), and every class defines __repr__.

Termination and size: a loop chooses, when it starts, the containers and strings it may grow (its
accumulators, with all their aliases); inside the loop nothing container- or string-valued is
built from an accumulator, so each iteration adds a bounded amount; a container being iterated is
never mutated; ints grow only by + and - (and * by constants).
"""

import re

#: feature -> description (merged into fuzz_compiler.FEATURES)
FEATURES = {
    "containers": "cases over lists/dicts/sets/strings/classes/generator functions (gen_containers.py)",
    "slicing": "slices with negative bounds and steps, slice assignment, del xs[i]",
    "listmethods": "append/extend/insert/pop/remove/index/count/sort/reverse/clear",
    "dictmethods": "dict get/setdefault/items/keys/values/update/pop/del, d[k] += v, d1 | d2",
    "setops": "sets of ints: | & - ^ <= add/discard/remove/update, set comprehensions",
    "strmethods": "split/join/strip/replace/find/index/count/upper/lower/startswith/center/zfill...",
    "fstring": "f-strings with format specs and !r",
    "percentfmt": "% formatting and str.format",
    "comprehension": "list/dict/set comprehensions, generator expressions in sum/any/all/join",
    "sortkey": "sorted()/list.sort() with key= and reverse=, min/max with key=",
    "enumzip": "enumerate() and zip()",
    "classes": "a small class with __init__, methods, a property, __repr__ (instances in lists)",
    "dunders": "__eq__, __lt__, __add__ on the class; sorting and comparing instances",
    "inherit": "a subclass overriding a method and calling super()",
    "objret": "instances returned to the caller",
    "genfunc": "generator functions consumed by for/list/sum/sorted/max/join",
    "aliasing": "aliases (ys = xs) and helpers mutating a list argument",
    "containerexc": "IndexError/KeyError/ValueError raised by containers and strings, caught or escaping",
    "typeerror": "operations that raise TypeError at run time (unorderable instances, bad % args)",
    "cprint": "print() of containers, strings and instances",
    "strparam": "a list of strings and a dict parameter of f",
}

CTYPES = ("li", "ls", "dsi", "dii", "si", "lo", "str")  # types whose size can grow

WORDS = ["a", "b", "ab", "Hello", "x-y", " pad ", "", "10", "-3", "é", "MiXed", "a,b", "zz", "0"]
STRS = ["a,b,c", " hello world ", "x-y-z", "", "Abc Def", "1,2,,3", "  ", "aXbXc", "naïve café",
        "one two  three", "42", "-7", "a.b.c.", "tab\tsep", "mississippi"]
SEPS = [",", "-", " ", "X", ".", "ss", "", "ab"]
SPLIT_SEPS = [",", "-", " ", "X", ".", "ss", "ab", "  "]
DICT_KEYS = ["a", "b", "c", "ab", "x", "hello", "", "10"]
INT_SPECS = ["", ":5", ":<5", ":>6", ":^7", ":05", ":+d", ":x", ":X", ":o", ":b", ":#x", ":,", ":_",
             ":*>8", ":=+6", ":.2f", ":e", ":08.3f", ":c" if False else ":d", ":-d", ": d", ":#b"]
FLOAT_SPECS = ["", ":.2f", ":10.3f", ":e", ":.3g", ":.1%", ":+.1f", ":g", ":<9.2f", ":,.2f", ":.0f", ":08.2f"]
STR_SPECS = ["", ":>6", ":<6", ":*^9", ":.2", ":10.3", "!r", "!s", "!r:>12", ":^"]
PCT_INT = ["%d", "%5d", "%-4d|", "%05d", "%x", "%X", "%o", "%s", "%r", "%+d", "%i", "%#x", "%3s"]
PCT_FLOAT = ["%.2f", "%8.3f", "%e", "%g", "%s", "%r", "%d", "%-9.1f|"]
PCT_STR = ["%s", "%r", "%10s", "%-6s|", "%.2s", "%5.1s"]
EXC_CATCH = ["IndexError", "KeyError", "ValueError", "TypeError", "LookupError", "Exception",
             "(IndexError, KeyError)", "(ValueError, TypeError)", "ZeroDivisionError"]


def fpart(expr, spec):
    """One replacement field; an expression starting or ending in a brace is padded with spaces."""
    if expr.startswith("{") or expr.endswith("}"):
        expr = " %s " % expr
    return "{%s%s}" % (expr, spec)


def q(s):
    return repr(s)


class CScope:
    """Locals of f: name -> (type, alias group), block nesting and loop discipline."""

    def __init__(self):
        self.blocks = [{}]
        self.loops = []  # {"acc": set of groups/int names, "decl": set of groups, "iter": set of groups}
        self.protected = set()
        self.ngroups = 0

    def new_group(self):
        self.ngroups += 1
        g = "g%d" % self.ngroups
        if self.loops:
            self.loops[-1]["decl"].add(g)
        return g

    def declare(self, name, ty, group=None):
        if group is None:
            group = self.new_group()
        self.blocks[-1][name] = (ty, group)

    def visible(self):
        out = {}
        for b in self.blocks:
            out.update(b)
        return out

    def frozen_groups(self):
        out = set()
        for lp in self.loops:
            out |= lp["acc"]
        return out

    def iter_groups(self):
        out = set()
        for lp in self.loops:
            out |= lp["iter"]
        return out

    def names(self, ty, sized=False):
        """Variables of type ty; sized: only those a loop does not grow (may be copied/built from)."""
        fr = self.frozen_groups() if sized else set()
        return [k for k, (t, g) in self.visible().items() if t == ty and g not in fr]

    def writable(self, name):
        t, g = self.visible()[name]
        if name in self.protected or g in self.iter_groups():
            return False
        if not self.loops:
            return True
        lp = self.loops[-1]
        return g in lp["acc"] or g in lp["decl"]

    def writable_names(self, ty):
        return [k for k, (t, g) in self.visible().items() if t == ty and self.writable(k)]


class ContainerGen:
    def __init__(self, gen):
        self.g = gen  # the fuzz_compiler.Gen: rng, disabled features, name counter
        self.r = gen.r
        self.cls = None  # {"name", "eq", "lt", "add", "prop", "sub"}
        self.genfns = []  # (name, params, yield type)
        self.mutators = []  # (name, kind)
        self.module = []
        # how often an operation that may raise is left unguarded: tame cases get further
        self.risk = gen.r.choice([0.05, 0.15, 0.3, 0.6])

    # ------------------------------------------------------------ utilities
    def on(self, f):
        return self.g.on(f)

    def chance(self, p, f=None):
        return self.g.chance(p, f)

    def pick(self, weighted):
        return self.g.pick(weighted)

    def name(self, p):
        return self.g.name(p)

    def small(self, lo=-3, hi=9):
        return self.r.randint(lo, hi)

    def ilit(self, v=None):
        v = self.small(-5, 12) if v is None else v
        return "(%d)" % v if v < 0 else str(v)

    def unguarded(self):
        return self.on("containerexc") and self.r.random() < self.risk

    def var(self, sc, ty, sized=False):
        ns = sc.names(ty, sized)
        return self.r.choice(ns) if ns else None

    # ------------------------------------------------------------ int / bool / float
    def e_int(self, sc, d):
        r = self.r
        if d <= 0 or r.random() < 0.2:
            v = self.var(sc, "int")
            if v and r.random() < 0.7:
                return v
            return self.ilit()
        have = lambda ty: bool(sc.names(ty))
        form = self.pick([
            (3, None, "arith"), (2.5, None, "len"), (2, None, "index"), (1.2, None, "safeidx"),
            (1.5, None, "sum"), (1, None, "minmax"), (1.5 if have("dsi") or have("dii") else 0, "dictmethods", "dget"),
            (1, "listmethods", "count"), (1, "strmethods", "find"), (0.7, "containerexc", "listindex"),
            (1.5 if self.cls and have("obj") else 0, "classes", "attr"), (0.6, None, "intstr"),
            (0.8, None, "ifexp"), (1.2 if self.genfns else 0, "genfunc", "gensum"),
            (0.8, "comprehension", "countif"), (0.5, "setops", "setlen"), (0.6, "sortkey", "keyminmax"),
            (0.4 if self.cls and have("lo") else 0, "classes", "objsum"),
        ])
        if form is None:
            return self.ilit()
        return getattr(self, "i_" + form)(sc, d - 1)

    def i_arith(self, sc, d):
        r = self.r
        a = self.e_int(sc, d)
        op = r.choice(["+", "-", "*", "//", "%", "+", "-"])
        if op in ("*", "//", "%"):
            k = r.choice([2, 3, -2, 5, 7, 10])
            if op != "*" and r.random() < 0.03:
                k = 0  # ZeroDivisionError
            return "(%s %s %s)" % (a, op, self.ilit(k))
        return "(%s %s %s)" % (a, op, self.e_int(sc, d))

    def i_len(self, sc, d):
        ty = self.r.choice(["li", "ls", "str", "dsi", "dii", "si", "lo"])
        return "len(%s)" % self.e_sized(sc, ty, d)

    def i_index(self, sc, d):
        r = self.r
        xs = self.var(sc, "li") or self.e_li(sc, d)
        k = r.choice([0, 1, -1, 2, -2, 3, 5, -6]) if r.random() < 0.8 else None
        idx = self.ilit(k) if k is not None else self.e_int(sc, d)
        if not self.unguarded():
            return "(%s[%s %% len(%s)] if %s else 0)" % (xs, idx, xs, xs)
        return "%s[%s]" % (xs, idx)

    def i_safeidx(self, sc, d):
        xs = self.var(sc, "li") or self.e_li(sc, d)
        return "(%s[%s %% len(%s)] if %s else %s)" % (xs, self.e_int(sc, d), xs, xs, self.ilit())

    def i_sum(self, sc, d):
        r = self.r
        if r.random() < 0.5 or not self.on("comprehension"):
            return "sum(%s)" % self.e_sized(sc, "li", d)
        x = self.name("x")
        src = self.iter_src(sc, d)
        sc.blocks.append({})
        sc.declare(x, "int")
        body = self.e_int(sc, 1)
        cond = " if %s" % self.e_bool(sc, 1) if r.random() < 0.4 else ""
        sc.blocks.pop()
        return "sum(%s for %s in %s%s)" % (body, x, src, cond)

    def i_minmax(self, sc, d):
        r = self.r
        f = r.choice(["min", "max"])
        form = r.choice(["list", "list", "default", "args"])
        if form == "args":
            return "%s(%s, %s)" % (f, self.e_int(sc, d), self.e_int(sc, d))
        src = self.e_sized(sc, r.choice(["li", "li", "si"]), d)
        if form == "default" or not self.unguarded():
            return "%s(%s, default=%s)" % (f, src, self.ilit())
        return "%s(%s)" % (f, src)

    def i_dget(self, sc, d):
        r = self.r
        ty = r.choice([t for t in ("dsi", "dii") if sc.names(t)])
        dv = self.var(sc, ty)
        k = self.key(sc, ty, d)
        form = r.choice(["get", "get", "getd", "sub", "in"])
        if form == "sub" and self.unguarded():
            return "%s[%s]" % (dv, k)
        if form == "in":
            return "(%s[%s] if %s in %s else %s)" % (dv, k, k, dv, self.ilit())
        if form == "get" and r.random() < 0.3:
            return "(%s.get(%s) or 0)" % (dv, k)
        return "%s.get(%s, %s)" % (dv, k, self.ilit())

    def key(self, sc, ty, d):
        if ty == "dsi":
            return self.e_str(sc, 0) if self.r.random() < 0.3 else q(self.r.choice(DICT_KEYS))
        return self.e_int(sc, min(d, 1))

    def i_count(self, sc, d):
        if self.r.random() < 0.5:
            return "%s.count(%s)" % (self.e_sized(sc, "li", d), self.e_int(sc, d))
        return "%s.count(%s)" % (self.e_sized(sc, "ls", d), self.e_str(sc, 0))

    def i_find(self, sc, d):
        r = self.r
        s = self.e_sized(sc, "str", d)
        sub = q(r.choice(SEPS + ["a", "l", "world", "z"]))
        f = r.choice(["find", "rfind", "count", "index", "rindex"] if self.unguarded() else ["find", "rfind", "count"])
        if r.random() < 0.2:
            return "%s.%s(%s, %s)" % (s, f, sub, self.ilit(r.randint(-3, 4)))
        return "%s.%s(%s)" % (s, f, sub)

    def i_listindex(self, sc, d):
        if not self.unguarded():
            xs = self.e_sized(sc, "li", d)
            v = self.e_int(sc, 0)
            return "(%s.index(%s) if %s in %s else -1)" % (xs, v, v, xs)
        if self.r.random() < 0.6:
            return "%s.index(%s)" % (self.e_sized(sc, "li", d), self.e_int(sc, 0))
        return "%s.index(%s)" % (self.e_sized(sc, "ls", d), self.e_str(sc, 0))

    def i_attr(self, sc, d):
        r = self.r
        o = self.e_obj(sc, d)
        opts = ["%s.x" % o, "%s.y" % o, "%s.total()" % o]
        if self.cls["prop"]:
            opts.append("%s.size" % o)
        return r.choice(opts)

    def i_intstr(self, sc, d):
        r = self.r
        form = r.choice(["roundtrip", "strip", "word"])
        if form == "roundtrip":
            return "int(str(%s))" % self.e_int(sc, d)
        if form == "strip" or not self.unguarded():
            return "int(%s)" % q(r.choice(["42", " -7 ", "0", "+5", "1_000"]))
        return "int(%s)" % self.e_str(sc, d)  # ValueError when not a number

    def i_ifexp(self, sc, d):
        return "(%s if %s else %s)" % (self.e_int(sc, d), self.e_bool(sc, d), self.e_int(sc, d))

    def i_gensum(self, sc, d):
        r = self.r
        gname, params, yt = r.choice(self.genfns)
        call = self.gen_call(sc, gname, params, d)
        if yt == "str":
            return r.choice(["len(list(%s))", "len(''.join(%s))", "sum(len(w) for w in %s)"]) % call
        return r.choice(["sum(%s)", "max(%s, default=-1)", "min(%s, default=99)", "len(list(%s))",
                         "sum(1 for _ in %s)"]) % call

    def i_countif(self, sc, d):
        x = self.name("x")
        src = self.iter_src(sc, d)
        sc.blocks.append({})
        sc.declare(x, "int")
        c = self.e_bool(sc, 1)
        sc.blocks.pop()
        return "sum(1 for %s in %s if %s)" % (x, src, c)

    def i_setlen(self, sc, d):
        return "len(%s)" % self.e_si(sc, d)

    def i_keyminmax(self, sc, d):
        r = self.r
        f = r.choice(["min", "max"])
        if r.random() < 0.5:
            key = r.choice(["abs", "lambda v: (v % 3, v)", "lambda v: -v"])
            return "%s(%s, key=%s, default=0)" % (f, self.e_sized(sc, "li", d), key)
        key = r.choice(["len", "str.lower", "lambda w: w[::-1]"])
        return "len(%s(%s, key=%s, default=''))" % (f, self.e_sized(sc, "ls", d), key)

    def i_objsum(self, sc, d):
        return "sum(%s for p in %s)" % (self.r.choice(["p.x", "p.total()", "p.x * p.y"]), self.e_sized(sc, "lo", d))

    def e_bool(self, sc, d):
        r = self.r
        form = self.pick([
            (3, None, "cmp"), (1.5, None, "in"), (1, "strmethods", "startswith"), (1, None, "listeq"),
            (1 if self.cls else 0, "dunders", "objcmp"), (0.6, "setops", "setcmp"), (0.8, "comprehension", "anyall"),
            (0.6, None, "truth"), (0.6, None, "strcmp"), (0.4, "strmethods", "isx"),
        ])
        d = max(d - 1, 0)
        if form == "cmp" or form is None:
            return "(%s %s %s)" % (self.e_int(sc, d), r.choice(["<", "<=", ">", ">=", "==", "!="]), self.e_int(sc, d))
        if form == "in":
            ty = r.choice(["li", "si", "dii", "dsi", "ls", "str"])
            if ty in ("li", "si", "dii"):
                return "(%s %s %s)" % (self.e_int(sc, d), r.choice(["in", "not in"]), self.e_sized(sc, ty, d))
            return "(%s %s %s)" % (self.e_str(sc, 0), r.choice(["in", "not in"]), self.e_sized(sc, ty, d))
        if form == "startswith":
            f = r.choice(["startswith", "endswith"])
            arg = q(r.choice(SEPS + ["a", "h", " ", "c."]))
            if r.random() < 0.2:
                arg = "(%s, %s)" % (arg, q(r.choice(WORDS)))
            return "%s.%s(%s)" % (self.e_sized(sc, "str", d), f, arg)
        if form == "listeq":
            ty = r.choice(["li", "ls", "dsi"])
            return "(%s %s %s)" % (self.e_sized(sc, ty, d), r.choice(["==", "!="] + (["<", ">="] if ty != "dsi" else [])),
                                   self.e_sized(sc, ty, d))
        if form == "objcmp":
            ops = ["==", "!="] + (["<", ">"] if self.cls["lt"] or (self.on("typeerror") and self.unguarded()) else [])
            return "(%s %s %s)" % (self.e_obj(sc, d), r.choice(ops), self.e_obj(sc, d))
        if form == "setcmp":
            return "(%s %s %s)" % (self.e_si(sc, d), r.choice(["<=", "<", "==", ">=", "!="]), self.e_si(sc, d))
        if form == "anyall":
            x = self.name("x")
            src = self.iter_src(sc, d)
            sc.blocks.append({})
            sc.declare(x, "int")
            c = self.e_bool(sc, 0)
            sc.blocks.pop()
            return "%s(%s for %s in %s)" % (r.choice(["any", "all"]), c, x, src)
        if form == "truth":
            return "(%s%s)" % (r.choice(["not ", "", "bool"]) if False else r.choice(["not ", ""]),
                               self.e_sized(sc, r.choice(["li", "str", "dsi", "si", "ls"]), d))
        if form == "strcmp":
            return "(%s %s %s)" % (self.e_str(sc, d), r.choice(["<", "==", ">=", "!="]), self.e_str(sc, d))
        return "%s.%s()" % (self.e_sized(sc, "str", d), r.choice(["isdigit", "isalpha", "isupper", "islower", "isspace"]))

    def e_float(self, sc, d):
        r = self.r
        form = r.choice(["div", "div", "mean", "lit"])
        if form == "div":
            return "(%s / %s)" % (self.e_int(sc, d), self.ilit(r.choice([3, 7, -4, 2, 10])))
        if form == "mean":
            xs = self.e_sized(sc, "li", d)
            return "(sum(%s) / max(len(%s), 1))" % (xs, xs)
        return r.choice(["0.5", "(-2.25)", "1e-05", "123456.789", "3.0", "(1 / 3)", "2.5e+20"])

    # ------------------------------------------------------------ sized values
    def e_sized(self, sc, ty, d):
        if ty in ("lo", "obj") and not self.cls:
            ty = "li"
        return getattr(self, "e_" + ty)(sc, d)

    def iter_src(self, sc, d):
        """Something to iterate that yields ints, never a set directly."""
        r = self.r
        form = r.choice(["li", "li", "range", "sorted_set", "gen"] if self.genfns else ["li", "li", "range", "sorted_set"])
        if form == "range":
            return "range(%s)" % r.choice(["%d" % r.randint(0, 8), "%d, %d" % (r.randint(-3, 3), r.randint(0, 9)),
                                          "%d, %d, %d" % (r.randint(5, 9), r.randint(-3, 2), r.choice([-1, -2, -3])),
                                          "len(%s)" % self.e_sized(sc, "li", 0)])
        if form == "sorted_set":
            return "sorted(%s)" % self.e_si(sc, max(d - 1, 0))
        if form == "gen":
            cands = [g for g in self.genfns if g[2] == "int"]
            if cands:
                gname, params, _ = r.choice(cands)
                return self.gen_call(sc, gname, params, d)
        return self.e_li(sc, max(d - 1, 0))

    def slice_src(self):
        r = self.r
        parts = [r.choice(["", "1", "-1", "2", "-3", "0", "10", "-10"]), r.choice(["", "3", "-1", "-2", "5", "0", "100"])]
        s = ":".join(parts)
        if r.random() < 0.5:
            step = r.choice(["-1", "2", "-2", "3", "1", "-3"] + (["0"] if self.unguarded() and r.random() < 0.1 else []))
            s += ":" + step
        return s

    def e_li(self, sc, d):
        r = self.r
        v = self.var(sc, "li", sized=True)
        if d <= 0 or r.random() < 0.15:
            if v and r.random() < 0.8:
                return v
            return "[%s]" % ", ".join(self.ilit() for _ in range(r.randint(0, 5)))
        form = self.pick([
            (2 if v else 0, None, "var"), (1.2, None, "display"), (2, "comprehension", "comp"), (1.5, None, "sorted"),
            (1.5 if v else 0, "slicing", "slice"), (0.7, None, "reversed"), (0.5, None, "range"), (0.7, None, "concat"),
            (1 if self.genfns else 0, "genfunc", "gen"), (1, "enumzip", "enumerate"), (1, "enumzip", "zip"),
            (0.8 if sc.names("dii") or sc.names("dsi") else 0, "dictmethods", "dictview"), (0.6, "setops", "sortedset"),
            (0.4, None, "repeat"), (0.5, None, "mapfilter"), (0.6, None, "lens"),
            (0.6 if self.cls else 0, "classes", "attrs"), (0.3, "comprehension", "nested"),
        ])
        if form is None or form == "var":
            return v or "[%s]" % ", ".join(self.ilit() for _ in range(r.randint(0, 5)))
        d -= 1
        if form == "display":
            return "[%s]" % ", ".join(self.e_int(sc, min(d, 1)) for _ in range(r.randint(0, 4)))
        if form == "comp":
            x = self.name("x")
            src = self.iter_src(sc, d)
            sc.blocks.append({})
            sc.declare(x, "int")
            body = self.e_int(sc, 1)
            cond = " if %s" % self.e_bool(sc, 1) if r.random() < 0.5 else ""
            sc.blocks.pop()
            return "[%s for %s in %s%s]" % (body, x, src, cond)
        if form == "sorted":
            src = r.choice([self.e_li(sc, d), self.e_si(sc, d)]) if self.on("setops") else self.e_li(sc, d)
            return "sorted(%s%s)" % (src, self.sort_args("int"))
        if form == "slice":
            return "%s[%s]" % (v, self.slice_src())
        if form == "reversed":
            return "list(reversed(%s))" % self.e_li(sc, d)
        if form == "range":
            return "list(range(%s))" % r.choice(["%d" % r.randint(0, 6), "%d, %d, %d" % (r.randint(-5, 9), r.randint(-5, 9), r.choice([1, 2, -1, -2, 3]))])
        if form == "concat":
            return "(%s + %s)" % (self.e_li(sc, d), self.e_li(sc, d))
        if form == "gen":
            cands = [g for g in self.genfns if g[2] == "int"]
            if cands:
                gname, params, _ = r.choice(cands)
                call = self.gen_call(sc, gname, params, d)
                return r.choice(["list(%s)", "sorted(%s)", "[v * 2 for v in %s]"]) % call
            return self.e_li(sc, 0)
        if form == "enumerate":
            src = self.e_li(sc, d) if r.random() < 0.7 else self.e_ls(sc, d)
            start = ", %d" % r.randint(-2, 3) if r.random() < 0.3 else ""
            op = r.choice(["i", "i * 10 + len(str(v))", "i + len(str(v))"])
            return "[%s for i, v in enumerate(%s%s) if %s]" % (op, src, start, r.choice(["i % 2 == 0", "v", "True", "i < 3"]))
        if form == "zip":
            a, b = self.e_li(sc, d), self.e_li(sc, d)
            return "[%s for a, b in zip(%s, %s)]" % (r.choice(["a + b", "a * b", "a - b", "max(a, b)"]), a, b)
        if form == "dictview":
            ty = r.choice([t for t in ("dii", "dsi") if sc.names(t)])
            dv = self.e_sized(sc, ty, d)
            if ty == "dii":
                return r.choice(["list(%s)", "list(%s.keys())", "list(%s.values())", "[k + v for k, v in %s.items()]",
                                 "sorted(%s, reverse=True)"]) % dv
            return r.choice(["list(%s.values())", "sorted(%s.values())", "[v for k, v in %s.items() if k]"]) % dv
        if form == "sortedset":
            return "sorted(%s)" % self.e_si(sc, d)
        if form == "repeat":
            return "(%s * %d)" % (self.e_li(sc, d), r.choice([0, 1, 2, 3, -1]))
        if form == "mapfilter":
            src = self.e_li(sc, d)
            return r.choice(["list(map(lambda v: v * 3 - 1, %s))", "list(filter(lambda v: v %% 2, %s))",
                             "list(map(abs, %s))", "list(map(str, %s))" if False else "list(map(abs, %s))"]) % src
        if form == "lens":
            return "[len(w) for w in %s]" % self.e_ls(sc, d)
        if form == "attrs":
            return "[%s for p in %s]" % (r.choice(["p.x", "p.y", "p.total()"]), self.e_lo(sc, d))
        return "[a * b for a in %s for b in %s]" % (self.e_li(sc, 0), self.e_li(sc, 0))

    def sort_args(self, ty):
        r = self.r
        out = ""
        if self.on("sortkey") and r.random() < 0.6:
            keys = {"int": ["abs", "lambda v: (v % 3, -v)", "lambda v: -v", "str", "lambda v: v // 2"],
                    "str": ["len", "str.lower", "lambda w: w[::-1]", "lambda w: (len(w), w)", "str.strip"],
                    "obj": ["lambda p: p.y", "lambda p: (p.y, -p.x)", "lambda p: p.total()", "repr"]}[ty]
            out += ", key=%s" % r.choice(keys)
        if self.on("sortkey") and r.random() < 0.4:
            out += ", reverse=%s" % r.choice(["True", "False"])
        return out

    def e_ls(self, sc, d):
        r = self.r
        v = self.var(sc, "ls", sized=True)
        if d <= 0 or r.random() < 0.15:
            if v and r.random() < 0.8:
                return v
            return "[%s]" % ", ".join(q(r.choice(WORDS)) for _ in range(r.randint(0, 4)))
        form = self.pick([
            (2 if v else 0, None, "var"), (1, None, "display"), (2, "strmethods", "split"), (1.2, None, "sorted"),
            (1.2, "comprehension", "comp"), (1 if v else 0, "slicing", "slice"), (0.8, "comprehension", "strs"),
            (0.8 if sc.names("dsi") else 0, "dictmethods", "keys"), (0.4, None, "chars"), (0.5, None, "concat"),
        ])
        d -= 1
        if form is None or form == "var":
            return v or "[%s]" % ", ".join(q(r.choice(WORDS)) for _ in range(r.randint(0, 4)))
        if form == "display":
            return "[%s]" % ", ".join(self.e_str(sc, min(d, 1)) for _ in range(r.randint(0, 4)))
        if form == "split":
            s = self.e_str(sc, d)
            return r.choice(["%s.split()", "%s.split(%s)" % ("%s", q(r.choice(SPLIT_SEPS))),
                             "%s.split(%s, 1)" % ("%s", q(r.choice(SPLIT_SEPS))), "%s.rsplit(None, 1)",
                             "%s.splitlines()" if False else "%s.split(' ')"]) % s
        if form == "sorted":
            return "sorted(%s%s)" % (self.e_ls(sc, d), self.sort_args("str"))
        if form == "comp":
            w = self.name("w")
            src = self.e_ls(sc, d)
            body = r.choice(["%s.upper()", "%s.strip()", "%s * 2", "%s[::-1]", "%s[:2]", "%s.replace('a', '_')",
                             "%s.lower()", "%s + '!'"]) % w
            cond = r.choice(["", " if %s" % w, " if len(%s) > 1" % w, " if not %s.startswith('a')" % w])
            return "[%s for %s in %s%s]" % (body, w, src, cond)
        if form == "slice":
            return "%s[%s]" % (v, self.slice_src())
        if form == "strs":
            return "[%s for x in %s]" % (r.choice(["str(x)", "f'{x:03}'", "'%d!' % x", "str(x) * 2", "hex(x)" if False else "repr(x)"]),
                                        self.e_li(sc, d))
        if form == "keys":
            dv = self.e_sized(sc, "dsi", d)
            return r.choice(["list(%s)", "list(%s.keys())", "sorted(%s)", "[k for k, v in %s.items() if v > 0]",
                             "[f'{k}={v}' for k, v in %s.items()]"]) % dv
        if form == "chars":
            return "list(%s)" % self.e_str(sc, d)
        return "(%s + %s)" % (self.e_ls(sc, d), self.e_ls(sc, d))

    def e_str(self, sc, d):
        r = self.r
        v = self.var(sc, "str", sized=True)
        if d <= 0 or r.random() < 0.15:
            if v and r.random() < 0.6:
                return v
            return q(r.choice(WORDS + STRS))
        form = self.pick([
            (2 if v else 0, None, "var"), (1, None, "lit"), (2, "strmethods", "method"), (1.5, "strmethods", "join"),
            (2, "fstring", "fstring"), (1.5, "percentfmt", "percent"), (1, "slicing", "slice"), (0.8, None, "conv"),
            (0.8, None, "concat"), (0.6 if self.unguarded() else 0, "containerexc", "charidx"),
            (0.5 if self.unguarded() else 0, "strmethods", "splitidx"),
            (0.6 if self.cls else 0, "classes", "objrepr"), (0.5, "percentfmt", "format"), (0.3, None, "repeat"),
            (0.4 if any(g[2] == "str" for g in self.genfns) else 0, "genfunc", "genjoin"),
        ])
        d -= 1
        if form is None or form == "var":
            return v or q(r.choice(WORDS))
        if form == "lit":
            return q(r.choice(WORDS + STRS))
        if form == "method":
            s = self.e_str(sc, d)
            m = r.choice(["upper()", "lower()", "strip()", "lstrip()", "rstrip()", "strip('a ')", "strip('-x')",
                          "replace('a', 'AA')", "replace(' ', '')", "replace('', '.')", "replace('s', 'S', 2)",
                          "title()", "capitalize()", "swapcase()", "center(9, '*')", "ljust(6, '.')",
                          "rjust(6)", "zfill(5)", "casefold()", "removeprefix('a')", "removesuffix('c')",
                          "partition(',')[2]", "rpartition(' ')[0]", "expandtabs(4)"])
            return "%s.%s" % (s, m)
        if form == "join":
            sep = q(r.choice(SEPS))
            if r.random() < 0.5 or not self.on("comprehension"):
                return "%s.join(%s)" % (sep, self.e_ls(sc, d))
            return "%s.join(%s for x in %s)" % (sep, r.choice(["str(x)", "f'{x:+}'", "repr(x)"]), self.e_li(sc, d))
        if form == "fstring":
            return self.fstring(sc, d)
        if form == "percent":
            return self.percent(sc, d)
        if form == "slice":
            return "%s[%s]" % (v or self.e_str(sc, d), self.slice_src())
        if form == "conv":
            ty = r.choice(["int", "li", "ls", "dsi", "dii", "float", "str"])
            if ty == "int":
                return "str(%s)" % self.e_int(sc, d)
            if ty == "float":
                return "str(%s)" % self.e_float(sc, d)
            return "%s(%s)" % (r.choice(["str", "repr"]), self.e_sized(sc, ty, d))
        if form == "concat":
            return "(%s + %s)" % (self.e_str(sc, d), self.e_str(sc, d))
        if form == "charidx":
            return "%s[%s]" % (self.e_str(sc, d), self.ilit(r.choice([0, -1, 1, 2, 5, -3])))
        if form == "splitidx":
            return "%s.split(%s)[%s]" % (self.e_str(sc, d), q(r.choice(SPLIT_SEPS)), self.ilit(r.choice([0, -1, 1, 2])))
        if form == "objrepr":
            return "%s(%s)" % (r.choice(["repr", "str"]), self.e_obj(sc, d) if r.random() < 0.7 else self.e_lo(sc, d))
        if form == "format":
            fmt = r.choice(["{}-{}", "{0}/{1}/{0}", "{:>4}|{!r}", "{1:^6}{0}", "{:}|{:5}"])
            return "%s.format(%s, %s)" % (q(fmt), self.e_int(sc, d), self.e_str(sc, d))
        if form == "genjoin":
            gname, params, _ = r.choice([g for g in self.genfns if g[2] == "str"])
            return "%s.join(%s)" % (q(r.choice(SEPS)), self.gen_call(sc, gname, params, d))
        return "(%s * %d)" % (self.e_str(sc, d), r.choice([0, 2, 3, -1]))

    def fstring(self, sc, d):
        r = self.r
        parts = []
        for _ in range(r.randint(1, 3)):
            kind = r.choice(["int", "int", "float", "str", "list"])
            if kind == "int":
                parts.append(fpart(self.e_int(sc, min(d, 1)), r.choice(INT_SPECS)))
            elif kind == "float":
                parts.append(fpart(self.e_float(sc, min(d, 1)), r.choice(FLOAT_SPECS)))
            elif kind == "str":
                parts.append(fpart(self.e_str(sc, min(d, 1)), r.choice(STR_SPECS)))
            else:
                parts.append(fpart(self.e_sized(sc, r.choice(["li", "ls", "dsi"]), min(d, 1)), r.choice(["", "!r", "!s"])))
            if r.random() < 0.6:
                parts.append(r.choice(["-", " ", ": ", "|", "x=", "{{", "}}", "\\t"]))
        body = "".join(parts)
        if "\\" in "".join(p for p in parts if p.startswith("{") and not p.startswith("{{")):
            return "str(%s)" % self.e_int(sc, 0)  # no backslash inside an f-string expression (3.11)
        # nested quotes: the expressions use single quotes, the f-string double ones
        src = 'f"%s"' % body.replace('"', "'")
        try:
            compile(src, "<fstring>", "eval")
        except SyntaxError:  # a nested f-string or quote clash: not valid before 3.12
            return "str(%s)" % self.e_int(sc, 0)
        return src

    def percent(self, sc, d):
        r = self.r
        items, fmt = [], []
        for _ in range(r.randint(1, 3)):
            kind = r.choice(["int", "int", "float", "str"])
            if kind == "int":
                fmt.append(r.choice(PCT_INT))
                items.append(self.e_int(sc, min(d, 1)))
            elif kind == "float":
                fmt.append(r.choice(PCT_FLOAT))
                items.append(self.e_float(sc, min(d, 1)))
            else:
                fmt.append(r.choice(PCT_STR))
                items.append(self.e_str(sc, min(d, 1)))
            if r.random() < 0.5:
                fmt.append(r.choice(["-", " ", "%%", ", "]))
        f = "".join(fmt)
        if self.chance(0.04, "typeerror"):
            items = items[:-1] if len(items) > 1 else items + ["1"]  # not enough / not all arguments converted
        if len(items) == 1 and r.random() < 0.5:
            return "(%s %% %s)" % (q(f), items[0])
        return "(%s %% (%s,))" % (q(f), ", ".join(items))

    def e_dsi(self, sc, d):
        r = self.r
        v = self.var(sc, "dsi", sized=True)
        if d <= 0 or r.random() < 0.15:
            if v and r.random() < 0.8:
                return v
            return "{%s}" % ", ".join("%s: %s" % (q(r.choice(DICT_KEYS)), self.ilit()) for _ in range(r.randint(0, 4)))
        form = r.choice(["var", "var", "display", "comp", "zip", "filter", "copy", "merge"] if self.on("comprehension")
                        else ["var", "display", "zip", "copy"])
        d -= 1
        if form == "var" and v:
            return v
        if form == "comp":
            return "{w: %s for w in %s}" % (r.choice(["len(w)", "w.count('a')", "-len(w)"]), self.e_ls(sc, d))
        if form == "zip":
            return "dict(zip(%s, %s))" % (self.e_ls(sc, d), self.e_li(sc, d))
        if form == "filter":
            return "{k: v %s for k, v in %s.items() if %s}" % (r.choice(["* 2", "+ 1", ""]), self.e_dsi(sc, d),
                                                                r.choice(["v", "k", "v > 1", "len(k) < 2"]))
        if form == "copy":
            return r.choice(["dict(%s)", "%s.copy()"]) % self.e_dsi(sc, d)
        if form == "merge" and self.on("dictmethods"):
            return r.choice(["(%s | %s)", "{**%s, **%s}"]) % (self.e_dsi(sc, d), self.e_dsi(sc, d))
        return "{%s}" % ", ".join("%s: %s" % (self.e_str(sc, 0) if r.random() < 0.3 else q(r.choice(DICT_KEYS)),
                                              self.e_int(sc, min(d, 1))) for _ in range(r.randint(0, 4)))

    def e_dii(self, sc, d):
        r = self.r
        v = self.var(sc, "dii", sized=True)
        if d <= 0 or r.random() < 0.15:
            if v and r.random() < 0.8:
                return v
            return "{%s}" % ", ".join("%s: %s" % (self.ilit(), self.ilit()) for _ in range(r.randint(0, 4)))
        form = r.choice(["var", "display", "comp", "enum", "zip", "copy", "fromkeys"] if self.on("comprehension")
                        else ["var", "display", "enum", "zip", "copy"])
        d -= 1
        if form == "var" and v:
            return v
        if form == "comp":
            return "{x: %s for x in %s}" % (r.choice(["x * x", "x % 3", "-x", "1"]), self.iter_src(sc, d))
        if form == "enum":
            return "dict(enumerate(%s))" % self.e_li(sc, d)
        if form == "zip":
            return "dict(zip(%s, %s))" % (self.e_li(sc, d), self.e_li(sc, d))
        if form == "copy":
            return "dict(%s)" % self.e_dii(sc, d)
        if form == "fromkeys":
            return "dict.fromkeys(%s, %s)" % (self.e_li(sc, d), self.ilit())
        return "{%s}" % ", ".join("%s: %s" % (self.e_int(sc, min(d, 1)), self.e_int(sc, min(d, 1))) for _ in range(r.randint(0, 4)))

    def e_si(self, sc, d):
        r = self.r
        v = self.var(sc, "si", sized=True)
        if d <= 0 or r.random() < 0.2 or not self.on("setops"):
            if v and r.random() < 0.8:
                return v
            if r.random() < 0.5:
                return "set(%s)" % self.e_li(sc, 0)
            return "{%s}" % ", ".join(self.ilit() for _ in range(r.randint(1, 4)))
        form = r.choice(["var", "set", "comp", "op", "op", "method", "keys"])
        d -= 1
        if form == "var" and v:
            return v
        if form == "set":
            return "set(%s)" % self.e_li(sc, d)
        if form == "comp":
            return "{x %% %d for x in %s}" % (r.randint(2, 5), self.iter_src(sc, d))
        if form == "op":
            return "(%s %s %s)" % (self.e_si(sc, d), r.choice(["|", "&", "-", "^"]), self.e_si(sc, d))
        if form == "method":
            return "%s.%s(%s)" % (self.e_si(sc, d), r.choice(["union", "intersection", "difference", "symmetric_difference"]),
                                  self.e_li(sc, d))
        if sc.names("dii"):
            return "set(%s)" % self.e_dii(sc, d)
        return "set(range(%d))" % r.randint(0, 6)

    def e_obj(self, sc, d):
        r = self.r
        v = self.var(sc, "obj")
        if v and r.random() < 0.6:
            return v
        cls = self.cls
        form = r.choice(["new", "new", "listidx", "max", "add"])
        if form == "max" and not cls["lt"] and not (self.on("typeerror") and self.unguarded()):
            form = "new"
        if form == "listidx":
            lo = self.var(sc, "lo")
            if lo and self.unguarded():
                return "%s[%s]" % (lo, self.ilit(r.choice([0, -1, 1])))
            if lo:
                return "(%s[0] if %s else %s(0, 0))" % (lo, lo, cls["name"])
        if form == "max" and (cls["lt"] or self.on("typeerror")):
            lo = self.var(sc, "lo", sized=True)
            if lo:
                return "%s(%s, default=%s(0, 0))" % (r.choice(["max", "min"]), lo, cls["name"])
        if form == "add" and cls["add"]:
            return "(%s + %s)" % (self.e_obj(sc, max(d - 1, 0)), self.e_obj(sc, max(d - 1, 0)))
        c = cls["sub"] if cls["sub"] and r.random() < 0.3 else cls["name"]
        if r.random() < 0.3:
            return "%s(%s)" % (c, self.e_int(sc, min(d, 1)))  # y defaults to 0
        return "%s(%s, %s)" % (c, self.e_int(sc, min(d, 1)), self.e_int(sc, min(d, 1)))

    def e_lo(self, sc, d):
        r = self.r
        v = self.var(sc, "lo", sized=True)
        if v and r.random() < 0.5:
            return v
        form = r.choice(["comp", "enum", "sorted", "display", "slice"])
        cls = self.cls["name"]
        if form == "comp":
            return "[%s(a, b) for a, b in zip(%s, %s)]" % (cls, self.e_li(sc, max(d - 1, 0)), self.e_li(sc, max(d - 1, 0)))
        if form == "enum":
            return "[%s(i, v) for i, v in enumerate(%s)]" % (cls, self.e_li(sc, max(d - 1, 0)))
        if form == "sorted" and (self.cls["lt"] or (self.on("typeerror") and self.unguarded())):
            return "sorted(%s%s)" % (self.e_lo(sc, max(d - 1, 0)), self.sort_args("obj") if r.random() < 0.7 else "")
        if form == "sorted":
            return "sorted(%s, key=lambda p: (p.x, p.y))" % self.e_lo(sc, max(d - 1, 0))
        if form == "slice" and v:
            return "%s[%s]" % (v, self.slice_src())
        return "[%s]" % ", ".join(self.e_obj(sc, 0) for _ in range(r.randint(0, 3)))

    def gen_call(self, sc, gname, params, d):
        args = []
        for p in params:
            if p == "li":
                args.append(self.e_li(sc, max(d - 1, 0)))
            elif p == "str":
                args.append(self.e_str(sc, max(d - 1, 0)))
            else:
                args.append("%s %% 9" % self.e_int(sc, 0) if self.r.random() < 0.5 else str(self.r.randint(0, 8)))
        return "%s(%s)" % (gname, ", ".join(args))

    def e_any(self, sc, ty, d):
        if ty == "int":
            return self.e_int(sc, d)
        if ty == "bool":
            return self.e_bool(sc, d)
        if ty == "float":
            return self.e_float(sc, d)
        if ty == "obj":
            return self.e_obj(sc, d)
        return self.e_sized(sc, ty, d)

    # ------------------------------------------------------------ module-level definitions
    def make_class(self):
        r = self.r
        name = self.name("P")
        cls = {"name": name, "eq": self.chance(0.8, "dunders"), "lt": self.chance(0.7, "dunders"),
               "add": self.chance(0.3, "dunders"), "prop": r.random() < 0.5, "sub": None}
        L = ["class %s:" % name,
             "    def __init__(self, x, y=0):",
             "        self.x = x",
             "        self.y = y",
             "",
             "    def total(self):",
             "        return self.x %s self.y" % r.choice(["+", "-", "*"]),
             "",
             "    def move(self, k):",
             "        self.x += k",
             "        return self.x",
             ""]
        if cls["prop"]:
            L += ["    @property", "    def size(self):", "        return abs(self.x) + abs(self.y)", ""]
        if cls["eq"]:
            L += ["    def __eq__(self, other):", "        return self.x == other.x and self.y == other.y", ""]
        if cls["lt"]:
            L += ["    def __lt__(self, other):",
                  "        return %s" % r.choice(["(self.x, self.y) < (other.x, other.y)", "self.total() < other.total()",
                                                  "self.y < other.y"]), ""]
        if cls["add"]:
            L += ["    def __add__(self, other):", "        return %s(self.x + other.x, self.y + other.y)" % name, ""]
        rep = r.choice(["f'%s({self.x}, {self.y})'" % name, "'%s(%%d, %%d)' %% (self.x, self.y)" % name,
                        "'%s(' + str(self.x) + ', ' + repr(self.y) + ')'" % name, "'%s({}, {!r})'.format(self.x, self.y)" % name,
                        "f'<{self.x!r}:{self.y:>3}>'"])
        L += ["    def __repr__(self):", "        return %s" % rep, ""]
        self.module += L + [""]
        if self.chance(0.4, "inherit"):
            sub = self.name("Q")
            self.module += ["class %s(%s):" % (sub, name),
                            "    def total(self):",
                            "        return super().total() * %d" % r.choice([2, 3, -1]),
                            "", ""]
            cls["sub"] = sub
        self.cls = cls

    def make_genfn(self):
        r = self.r
        name = self.name("gen")
        form = r.choice(["filter", "fib", "pairs", "words", "early", "countdown"])
        if form == "filter":
            L = ["def %s(xs, k):" % name,
                 "    for x in xs:",
                 "        if %s:" % r.choice(["x % 2 == k % 2", "x > k", "x != k"]),
                 "            yield x %s" % r.choice(["* 2", "+ k", "", "- 1"]),
                 "    yield k"]
            params, yt = ["li", "int"], "int"
        elif form == "fib":
            L = ["def %s(n):" % name, "    a, b = 0, 1", "    for _ in range(n):", "        yield a",
                 "        a, b = b, a + b"]
            params, yt = ["int"], "int"
        elif form == "pairs":
            L = ["def %s(xs):" % name, "    prev = None", "    for x in xs:", "        if prev is not None:",
                 "            yield x - prev", "        prev = x"]
            params, yt = ["li"], "int"
        elif form == "words":
            L = ["def %s(s):" % name, "    for w in s.split(%s):" % r.choice(["", "','", "' '"]),
                 "        if w:", "            yield w.%s()" % r.choice(["upper", "strip", "title", "lower"])]
            params, yt = ["str"], "str"
        elif form == "early":
            L = ["def %s(xs, k):" % name, "    total = 0", "    for x in xs:", "        total += x",
                 "        if total > k:", "            return", "        yield total"]
            params, yt = ["li", "int"], "int"
        else:
            L = ["def %s(n):" % name, "    while n > 0:", "        yield n", "        n -= %d" % r.choice([1, 2, 3])]
            params, yt = ["int"], "int"
        self.module += L + ["", ""]
        self.genfns.append((name, params, yt))

    def make_mutator(self):
        r = self.r
        name = self.name("m")
        form = r.choice(["pushall", "tally", "dedupe"])
        if form == "pushall":
            self.module += ["def %s(dst, src, k):" % name,
                            "    for v in src:",
                            "        if v %s k:" % r.choice(["<", ">", "!="]),
                            "            dst.append(v)",
                            "    return len(dst)", "", ""]
        elif form == "tally":
            self.module += ["def %s(words):" % name,
                            "    counts = {}",
                            "    for w in words:",
                            "        counts[w] = counts.get(w, 0) + 1",
                            "    return counts", "", ""]
        else:
            self.module += ["def %s(xs):" % name,
                            "    seen = set()",
                            "    out = []",
                            "    for x in xs:",
                            "        if x not in seen:",
                            "            seen.add(x)",
                            "            out.append(x)",
                            "    xs[:] = out" if r.random() < 0.5 else "    xs.clear()\n    xs.extend(out)",
                            "    return out", "", ""]
        self.mutators.append((name, form))

    # ------------------------------------------------------------ statements
    def block(self, sc, depth, n, lines, ind):
        before = len(lines)
        for _ in range(n):
            self.stmt(sc, depth, lines, ind)
        if len(lines) == before:
            lines.append(ind + "pass")

    def sub_block(self, sc, depth, n, lines, ind):
        sc.blocks.append({})
        self.block(sc, depth, n, lines, ind)
        sc.blocks.pop()

    def stmt(self, sc, depth, lines, ind):
        nested = depth > 0
        w = lambda ty: bool(sc.writable_names(ty))
        kind = self.pick([
            (4, None, "new"), (2.5 if w("li") else 0, "listmethods", "listmut"),
            (2 if w("dsi") or w("dii") else 0, "dictmethods", "dictmut"), (1 if w("si") else 0, "setops", "setmut"),
            (1.5 if w("str") else 0, None, "straccum"), (1.5 if w("int") else 0, None, "intaccum"),
            (1 if w("li") or w("ls") else 0, "slicing", "slicemut"),
            (2 if nested else 0, None, "for"), (1 if nested else 0, None, "if"), (1.2 if nested else 0, "containerexc", "try"),
            (0.4 if nested else 0, None, "while"), (0.8, "aliasing", "alias"), (0.5, "cprint", "print"),
            (0.8 if self.cls and (sc.names("obj") or sc.names("lo")) else 0, "classes", "objmut"),
            (0.6 if self.mutators else 0, "aliasing", "mutcall"), (0.5 if self.genfns and nested else 0, "genfunc", "forgen"),
            (0.3 * self.risk, "containerexc", "raise"), (0.3 if w("li") or w("ls") else 0, "sortkey", "sort"),
        ])
        getattr(self, "s_" + (kind or "new"))(sc, depth, lines, ind)

    def new_type(self):
        return self.pick([(3, None, "int"), (3, None, "li"), (2, None, "str"), (1.2, None, "ls"), (1.2, None, "dsi"),
                          (0.8, None, "dii"), (0.8, "setops", "si"), (0.8 if self.cls else 0, "classes", "obj"),
                          (0.8 if self.cls else 0, "classes", "lo"), (0.3, None, "float"), (0.3, None, "bool")])

    def s_new(self, sc, depth, lines, ind):
        ty = self.new_type()
        v = self.name("v")
        e = self.e_any(sc, ty, self.r.choice([1, 2, 2, 3]))
        lines.append("%s%s = %s" % (ind, v, e))
        vis = sc.visible()
        sc.declare(v, ty, vis[e][1] if e in vis else None)  # v = xs: the same object

    def s_listmut(self, sc, depth, lines, ind):
        r = self.r
        xs = r.choice(sc.writable_names("li"))
        form = r.choice(["append", "append", "extend", "insert", "pop", "popi", "remove", "setitem", "delitem",
                         "augitem", "reverse", "clear" if r.random() < 0.3 else "append", "iadd"])
        exc = self.unguarded()
        if form == "append":
            lines.append("%s%s.append(%s)" % (ind, xs, self.e_int(sc, 1)))
        elif form == "extend":
            lines.append("%s%s.extend(%s)" % (ind, xs, self.e_li(sc, 1) if r.random() < 0.7 else "range(%d)" % r.randint(0, 4)))
        elif form == "iadd":
            lines.append("%s%s += %s" % (ind, xs, self.e_li(sc, 1)))
        elif form == "insert":
            lines.append("%s%s.insert(%s, %s)" % (ind, xs, self.ilit(r.choice([0, 1, -1, 100, -100, 2])), self.e_int(sc, 1)))
        elif form in ("pop", "popi"):
            v = self.name("v")
            arg = "" if form == "pop" else self.ilit(r.choice([0, -1, 1, 5, -2]))
            if exc:
                lines.append("%s%s = %s.pop(%s)" % (ind, v, xs, arg))
            else:
                lines.append("%s%s = %s.pop(%s) if len(%s) > %d else 0" % (ind, v, xs, arg, xs, 5 if arg else 0))
            sc.declare(v, "int")
        elif form == "remove":
            x = self.e_int(sc, 0)
            if exc:
                lines.append("%s%s.remove(%s)" % (ind, xs, x))
            else:
                lines.append("%sif %s in %s:\n%s    %s.remove(%s)" % (ind, x, xs, ind, xs, x))
        elif form in ("setitem", "delitem", "augitem"):
            k = r.choice([0, -1, 1, -2, 3])
            stmt = {"setitem": "%s[%s] = %s" % (xs, self.ilit(k), self.e_int(sc, 1)),
                    "delitem": "del %s[%s]" % (xs, self.ilit(k)),
                    "augitem": "%s[%s] %s= %s" % (xs, self.ilit(k), r.choice(["+", "-", "*"]), self.ilit())}[form]
            if exc:
                lines.append(ind + stmt)
            else:
                lines.append("%sif len(%s) > %d:\n%s    %s" % (ind, xs, k if k >= 0 else -k - 1, ind, stmt))
        elif form == "reverse":
            lines.append("%s%s.reverse()" % (ind, xs))
        elif form == "clear":
            lines.append("%s%s.clear()" % (ind, xs))
        else:
            lines.append("%s%s.append(%s)" % (ind, xs, self.e_int(sc, 1)))

    def s_sort(self, sc, depth, lines, ind):
        ty = self.r.choice([t for t in ("li", "ls") if sc.writable_names(t)])
        xs = self.r.choice(sc.writable_names(ty))
        lines.append("%s%s.sort(%s)" % (ind, xs, self.sort_args("int" if ty == "li" else "str").lstrip(", ")))

    def s_slicemut(self, sc, depth, lines, ind):
        r = self.r
        ty = r.choice([t for t in ("li", "ls") if sc.writable_names(t)])
        xs = r.choice(sc.writable_names(ty))
        form = r.choice(["assign", "assign", "del", "step"])
        src = self.e_li(sc, 1) if ty == "li" else self.e_ls(sc, 1)
        if form == "assign":
            lines.append("%s%s[%s:%s] = %s" % (ind, xs, r.choice(["", "1", "-2", "0"]), r.choice(["", "2", "-1"]), src))
        elif form == "del":
            lines.append("%sdel %s[%s]" % (ind, xs, self.slice_src()))
        else:
            # extended slice assignment: ValueError unless the sizes agree
            step = r.choice(["2", "-1", "-2"])
            lines.append("%s%s[::%s] = %s" % (ind, xs, step, src if self.unguarded()
                                              else "%s[::%s]" % (xs, r.choice([step, "-" + step]).replace("--", ""))))

    def s_dictmut(self, sc, depth, lines, ind):
        r = self.r
        ty = r.choice([t for t in ("dsi", "dii") if sc.writable_names(t)])
        dv = r.choice(sc.writable_names(ty))
        k = self.key(sc, ty, 1)
        exc = self.unguarded()
        form = r.choice(["set", "set", "count", "setdefault", "update", "pop", "popd", "del", "aug", "popitem"])
        if form == "set":
            lines.append("%s%s[%s] = %s" % (ind, dv, k, self.e_int(sc, 1)))
        elif form == "count":
            lines.append("%s%s[%s] = %s.get(%s, 0) + 1" % (ind, dv, k, dv, k))
        elif form == "setdefault":
            v = self.name("v")
            lines.append("%s%s = %s.setdefault(%s, %s)" % (ind, v, dv, k, self.e_int(sc, 0)))
            sc.declare(v, "int")
        elif form == "update":
            src = self.e_sized(sc, ty, 1) if r.random() < 0.7 else (
                "zip(%s, %s)" % (self.e_ls(sc, 0), self.e_li(sc, 0)) if ty == "dsi" else "enumerate(%s)" % self.e_li(sc, 0))
            lines.append("%s%s.update(%s)" % (ind, dv, src))
        elif form in ("pop", "del", "aug", "popitem") and exc:
            if form == "pop":
                v = self.name("v")
                lines.append("%s%s = %s.pop(%s)" % (ind, v, dv, k))
                sc.declare(v, "int")
            elif form == "del":
                lines.append("%sdel %s[%s]" % (ind, dv, k))
            elif form == "popitem":
                v = self.name("v")
                lines.append("%s%s = %s.popitem()" % (ind, v, dv))
                sc.declare(v, "tuple")
            else:
                lines.append("%s%s[%s] %s= %s" % (ind, dv, k, r.choice(["+", "-", "*"]), self.ilit()))
        else:
            v = self.name("v")
            lines.append("%s%s = %s.pop(%s, %s)" % (ind, v, dv, k, self.ilit()))
            sc.declare(v, "int")

    def s_setmut(self, sc, depth, lines, ind):
        r = self.r
        s = r.choice(sc.writable_names("si"))
        form = r.choice(["add", "add", "discard", "remove", "update", "ior", "iand", "isub"])
        if form == "add":
            lines.append("%s%s.add(%s)" % (ind, s, self.e_int(sc, 1)))
        elif form == "discard" or (form == "remove" and not self.on("containerexc")):
            lines.append("%s%s.discard(%s)" % (ind, s, self.e_int(sc, 1)))
        elif form == "remove":
            x = self.e_int(sc, 1)
            if self.unguarded():
                lines.append("%s%s.remove(%s)" % (ind, s, x))
            else:
                lines.append("%sif %s in %s:\n%s    %s.remove(%s)" % (ind, x, s, ind, s, x))
        elif form == "update":
            lines.append("%s%s.update(%s)" % (ind, s, self.e_li(sc, 1)))
        else:
            op = {"ior": "|=", "iand": "&=", "isub": "-="}[form]
            lines.append("%s%s %s %s" % (ind, s, op, self.e_si(sc, 1)))

    def s_straccum(self, sc, depth, lines, ind):
        r = self.r
        s = r.choice(sc.writable_names("str"))
        if r.random() < 0.6:
            lines.append("%s%s += %s" % (ind, s, self.e_str(sc, 1)))
        else:
            lines.append("%s%s = %s" % (ind, s, self.e_str(sc, 2)))

    def s_intaccum(self, sc, depth, lines, ind):
        r = self.r
        v = r.choice(sc.writable_names("int"))
        op = r.choice(["+=", "-=", "=", "+="] + (["*=", "//=", "%="] if not sc.loops else []))
        e = self.e_int(sc, 2)
        if op in ("*=", "//=", "%="):
            e = self.ilit(r.choice([2, 3, -3, 7]))
        lines.append("%s%s %s %s" % (ind, v, op, e))

    def start_loop(self, sc, src=""):
        """Picks the accumulators of a new loop: containers/strings/ints it may mutate.  Whatever
        the loop's iterable src names is iterated live (a list, a dict's items, a generator over a
        list): never mutated inside."""
        r = self.r
        vis = sc.visible()
        iters = {vis[n][1] for n in re.findall(r"[A-Za-z_]\w*", src) if n in vis}
        cands = [(k, t, g) for k, (t, g) in vis.items()
                 if sc.writable(k) and t in ("li", "ls", "dsi", "dii", "si", "str", "int") and g not in iters]
        acc = set()
        for k, t, g in r.sample(cands, min(len(cands), r.randint(1, 3))):
            acc.add(g)
        sc.loops.append({"acc": acc, "decl": set(), "iter": iters})

    def s_for(self, sc, depth, lines, ind):
        r = self.r
        form = r.choice(["list", "list", "range", "enumerate", "items", "zip", "str", "sorted", "lo", "split"])
        # the iterable is chosen before the accumulators, among what no enclosing loop grows
        if form == "list":
            xs = self.var(sc, "li", sized=True)
            if not xs or r.random() >= 0.7:
                xs = self.e_li(sc, 1)
            head, targets = "for %s in %s:", [("x", "int")]
            src = xs
        elif form == "range":
            head, targets, src = "for %s in %s:", [("i", "int")], self.iter_src(sc, 1)
        elif form == "enumerate":
            head, targets, src = "for %s, %s in enumerate(%s):", [("i", "int"), ("x", "int")], self.e_li(sc, 1)
        elif form == "items":
            ty = r.choice(["dsi", "dii"])
            dv = self.var(sc, ty, sized=True)
            if not dv:
                dv = self.e_sized(sc, ty, 1)
            head, targets, src = "for %s, %s in %s.items():", [("k", "str" if ty == "dsi" else "int"), ("x", "int")], dv
        elif form == "zip":
            head, targets, src = "for %s, %s in zip(%s):", [("w", "str"), ("x", "int")], "%s, %s" % (self.e_ls(sc, 1), self.e_li(sc, 1))
        elif form == "str":
            head, targets, src = "for %s in %s:", [("c", "str")], self.e_str(sc, 1)
        elif form == "sorted":
            head, targets, src = "for %s in sorted(%s):", [("x", "int")], self.e_si(sc, 1)
        elif form == "lo" and self.cls:
            head, targets, src = "for %s in %s:", [("p", "obj")], self.e_lo(sc, 1)
        else:
            head, targets, src = "for %s in %s:", [("w", "str")], self.e_ls(sc, 1)
        names = [(self.name(p), t) for p, t in targets]
        lines.append(ind + head % tuple([n for n, _ in names] + [src]))
        self.start_loop(sc, src)
        sc.blocks.append({})
        for n, t in names:
            sc.declare(n, t)
            sc.protected.add(n)
        self.block(sc, depth - 1, r.randint(1, 4), lines, ind + "    ")
        if r.random() < 0.2:
            lines.append("%s    if %s:" % (ind, self.e_bool(sc, 1)))
            lines.append("%s        %s" % (ind, r.choice(["break", "continue"])))
        sc.blocks.pop()
        sc.loops.pop()
        if r.random() < 0.1:
            lines.append(ind + "else:")
            self.sub_block(sc, 0, 1, lines, ind + "    ")

    def s_forgen(self, sc, depth, lines, ind):
        r = self.r
        gname, params, yt = r.choice(self.genfns)
        x = self.name("y")
        call = self.gen_call(sc, gname, params, 1)
        lines.append("%sfor %s in %s:" % (ind, x, call))
        self.start_loop(sc, call)
        sc.blocks.append({})
        sc.declare(x, yt)
        sc.protected.add(x)
        self.block(sc, depth - 1, r.randint(1, 3), lines, ind + "    ")
        sc.blocks.pop()
        sc.loops.pop()

    def s_while(self, sc, depth, lines, ind):
        r = self.r
        xs = [k for k in sc.writable_names("li")]
        if xs and r.random() < 0.6 and self.on("listmethods"):
            # drain a list: while xs: v = xs.pop()
            x = r.choice(xs)
            v = self.name("v")
            lines.append("%swhile %s:" % (ind, x))
            lines.append("%s    %s = %s.pop(%s)" % (ind, v, x, r.choice(["", "0", "-1"])))
            self.start_loop(sc, x)  # the drained list is not grown inside
            sc.blocks.append({})
            sc.declare(v, "int")
            self.block(sc, depth - 1, r.randint(1, 3), lines, ind + "    ")
            sc.blocks.pop()
            sc.loops.pop()
            return
        w = self.name("w")
        lines.append("%s%s = 0" % (ind, w))
        sc.declare(w, "int")
        sc.protected.add(w)
        lines.append("%swhile %s < %d:" % (ind, w, r.randint(0, 6)))
        lines.append("%s    %s += 1" % (ind, w))
        self.start_loop(sc)
        self.sub_block(sc, depth - 1, r.randint(1, 3), lines, ind + "    ")
        sc.loops.pop()

    def s_if(self, sc, depth, lines, ind):
        r = self.r
        lines.append("%sif %s:" % (ind, self.e_bool(sc, 2)))
        self.sub_block(sc, depth - 1, r.randint(1, 3), lines, ind + "    ")
        if r.random() < 0.3:
            lines.append("%selif %s:" % (ind, self.e_bool(sc, 2)))
            self.sub_block(sc, depth - 1, r.randint(1, 2), lines, ind + "    ")
        if r.random() < 0.5:
            lines.append("%selse:" % ind)
            self.sub_block(sc, depth - 1, r.randint(1, 2), lines, ind + "    ")

    def risky(self, sc, lines, ind):
        r = self.r
        v = self.name("v")
        form = r.choice(["idx", "key", "pop", "index", "int", "split", "obj", "fmt", "remove", "strindex", "minmax"])
        if form == "idx":
            e, t = "%s[%s]" % (self.e_li(sc, 1), self.ilit(r.choice([3, -4, 5, 10]))), "int"
        elif form == "key":
            e, t = "%s[%s]" % (self.e_dsi(sc, 1), q(r.choice(DICT_KEYS + ["zz"]))), "int"
        elif form == "pop":
            e, t = "%s.pop(%s)" % (self.e_li(sc, 1), r.choice(["", "7", "-5"])), "int"
        elif form == "index":
            e, t = "%s.index(%s)" % (self.e_li(sc, 1), self.e_int(sc, 0)), "int"
        elif form == "int":
            e, t = "int(%s)" % self.e_str(sc, 1), "int"
        elif form == "split":
            e, t = "%s.split(%s)[%d]" % (self.e_str(sc, 1), q(r.choice(SEPS)), r.randint(1, 3)), "str"
        elif form == "obj" and self.cls and self.on("typeerror"):
            e, t = "sorted(%s)" % self.e_lo(sc, 1), "lo"
        elif form == "fmt" and self.on("typeerror"):
            e, t = r.choice(["'%%d' %% %s" % self.e_str(sc, 0), "'%s' % ()", "'%s %s' % (1,)", "'%d' % (1, 2)",
                             "'a' + str(%s) + %s" % (self.e_int(sc, 0), self.e_int(sc, 0)) if False else "len(%s) + int(%s)" % (self.e_str(sc, 0), self.e_str(sc, 0))]), None
        elif form == "remove":
            e, t = "%s.remove(%s)" % (self.e_ls(sc, 1), self.e_str(sc, 0)), None
        elif form == "strindex":
            e, t = "%s.index(%s)" % (self.e_str(sc, 1), q(r.choice(SEPS + ["q"]))), "int"
        else:
            e, t = "%s(%s)" % (r.choice(["min", "max"]), self.e_li(sc, 1)), "int"
        lines.append("%s%s = %s" % (ind, v, e))
        if t is not None:
            sc.declare(v, t)

    def s_try(self, sc, depth, lines, ind):
        r = self.r
        lines.append(ind + "try:")
        sc.blocks.append({})
        self.risky(sc, lines, ind + "    ")
        self.block(sc, depth - 1, r.randint(0, 2), lines, ind + "    ")
        sc.blocks.pop()
        nh = r.choice([1, 1, 1, 2, 0])
        msgs = sc.writable_names("str")
        for _ in range(nh):
            exc = r.choice(EXC_CATCH)
            if msgs and r.random() < 0.7:
                e = self.name("ex")
                lines.append("%sexcept %s as %s:" % (ind, exc, e))
                m = r.choice(msgs)
                lines.append("%s    %s += %s" % (ind, m, r.choice(["str(%s)" % e, "repr(%s)" % e, "'|' + str(%s)" % e,
                                                                     "f'{%s!r}'" % e, "type(%s).__name__" % e,
                                                                     "str(%s.args)" % e])))
            else:
                lines.append("%sexcept %s:" % (ind, exc))
                self.sub_block(sc, 0, 1, lines, ind + "    ")
        if nh == 0 or r.random() < 0.2:
            lines.append(ind + "finally:")
            self.sub_block(sc, 0, 1, lines, ind + "    ")

    def s_raise(self, sc, depth, lines, ind):
        r = self.r
        exc = r.choice(["ValueError", "KeyError", "IndexError", "TypeError"])
        lines.append("%sif %s:" % (ind, self.e_bool(sc, 1)))
        lines.append("%s    raise %s(%s)" % (ind, exc, r.choice(["", self.e_str(sc, 1), self.e_int(sc, 0)])))

    def s_alias(self, sc, depth, lines, ind):
        r = self.r
        ty = r.choice(["li", "li", "dsi", "ls", "si", "lo"])
        cands = [k for k in sc.names(ty, sized=True)]
        if not cands:
            return self.s_new(sc, depth, lines, ind)
        src = r.choice(cands)
        v = self.name("al")
        if r.random() < 0.6:
            lines.append("%s%s = %s" % (ind, v, src))
            sc.declare(v, ty, sc.visible()[src][1])  # same object
        else:
            lines.append("%s%s = %s" % (ind, v, r.choice(["%s.copy()", "%s[:]" if ty in ("li", "ls", "lo") else "%s.copy()",
                                                          {"li": "list(%s)", "ls": "list(%s)", "lo": "list(%s)",
                                                           "dsi": "dict(%s)", "si": "set(%s)"}[ty]]) % src))
            sc.declare(v, ty)

    def s_mutcall(self, sc, depth, lines, ind):
        r = self.r
        name, form = r.choice(self.mutators)
        v = self.name("v")
        if form == "tally":
            if r.random() < 0.7:
                lines.append("%s%s = %s(%s)" % (ind, v, name, self.e_ls(sc, 1)))
                sc.declare(v, "dsi")
            else:
                lines.append("%s%s = %s(%s)" % (ind, v, name, self.e_li(sc, 1)))
                sc.declare(v, "dii")
            return
        dsts = sc.writable_names("li")
        if not dsts:
            return self.s_new(sc, depth, lines, ind)
        dst = r.choice(dsts)
        g = sc.visible()[dst][1]
        if form == "pushall":
            srcs = [k for k in sc.names("li", sized=True) if sc.visible()[k][1] != g]
            src = r.choice(srcs) if srcs and r.random() < 0.6 else self.e_li(sc, 1)
            if src in sc.visible() and sc.visible()[src][1] == g:
                src = "[1, 2]"
            lines.append("%s%s = %s(%s, %s, %s)" % (ind, v, name, dst, src, self.e_int(sc, 0)))
            sc.declare(v, "int")
        else:
            lines.append("%s%s = %s(%s)" % (ind, v, name, dst))
            sc.declare(v, "li")

    def s_objmut(self, sc, depth, lines, ind):
        r = self.r
        objs = sc.names("obj")
        if objs and r.random() < 0.6:
            o = r.choice(objs)
        else:
            lo = self.var(sc, "lo")
            if not lo:
                return self.s_new(sc, depth, lines, ind)
            exc = self.unguarded()
            o = "%s[%s]" % (lo, "0" if not exc else self.ilit(r.choice([0, -1, 1])))
            if not exc:
                lines.append("%sif %s:" % (ind, lo))
                ind += "    "
        form = r.choice(["setattr", "move", "aug"])
        if form == "setattr":
            lines.append("%s%s.%s = %s" % (ind, o, r.choice(["x", "y"]), self.e_int(sc, 1)))
        elif form == "move":
            v = self.name("v")
            lines.append("%s%s = %s.move(%s)" % (ind, v, o, self.e_int(sc, 1)))
        else:
            lines.append("%s%s.%s %s= %s" % (ind, o, r.choice(["x", "y"]), r.choice(["+", "-"]), self.e_int(sc, 0)))

    def s_print(self, sc, depth, lines, ind):
        r = self.r
        items = []
        for _ in range(r.randint(1, 3)):
            ty = r.choice(["int", "str", "li", "ls", "dsi", "dii", "obj" if self.cls else "str", "lo" if self.cls else "li"])
            items.append(self.e_any(sc, ty, 1))
        extra = r.choice(["", "", ", sep=%s" % q(r.choice(["", "|", ", "])), ", end=%s" % q(r.choice(["", "!\\n", ";"]))])
        lines.append("%sprint(%s%s)" % (ind, ", ".join(items), extra))

    # ------------------------------------------------------------ a whole case
    def case(self):
        r = self.r
        if self.chance(0.6, "classes"):
            self.make_class()
        if self.on("genfunc"):
            for _ in range(r.choice([0, 1, 1, 2])):
                self.make_genfn()
        if self.on("aliasing") and r.random() < 0.4:
            self.make_mutator()
        sc = CScope()
        params = [("a", "int"), ("xs", "li"), ("s", "str")]
        if r.random() < 0.5:
            params.insert(1, ("b", "int"))
        if self.chance(0.4, "strparam"):
            params.append((r.choice(["words", "ws"]), "ls"))
        if self.chance(0.3, "strparam"):
            params.append(("d", "dsi"))
        for p, t in params:
            sc.declare(p, t)
        lines = ["def f(%s):" % ", ".join(p for p, _ in params)]
        lines.append("    msg = ''")
        sc.declare("msg", "str")
        self.block(sc, 2, r.randint(4, 10), lines, "    ")
        vis = [k for k, (t, g) in sc.visible().items() if t in ("int", "str", "li", "ls", "dsi", "dii", "si", "float", "bool")
               or (t in ("obj", "lo") and self.on("objret"))]
        ret = r.sample(vis, min(len(vis), r.randint(1, 5)))
        if self.cls and r.random() < 0.5:
            objs = sc.names("obj") + sc.names("lo")
            if objs:
                ret.append("repr(%s)" % r.choice(objs))
        if r.random() < 0.5:
            ret.append(self.e_any(sc, r.choice(["int", "str", "li", "ls", "dsi", "bool"]), 2))
        lines.append("    return %s" % (", ".join(ret) if len(ret) != 1 else ret[0]))
        source = "\n".join(self.module + lines) + "\n"
        argsets = []
        for _ in range(3):
            args = []
            for p, t in params:
                if t == "int":
                    args.append(r.choice([0, 1, 2, 3, -1, 5, 7, 10, -4, r.randint(-20, 40)]))
                elif t == "li":
                    args.append([r.randint(-5, 12) for _ in range(r.choice([0, 1, 3, 4, 5, 6, 8]))])
                elif t == "str":
                    args.append(r.choice(STRS))
                elif t == "ls":
                    args.append([r.choice(WORDS) for _ in range(r.randint(0, 5))])
                else:
                    args.append({r.choice(DICT_KEYS): r.randint(-3, 9) for _ in range(r.randint(0, 4))})
            argsets.append(tuple(args))
        return source, argsets
