"""The client half of the bridge: walks a submitted function and everything it references
(other functions, closures, globals, modules), takes each function's AST from its source file,
and hands the lot to the native encoder as one Cap'n Proto CallRequest."""

import ast
import builtins
import inspect
import linecache
import math
import types

import _shoal

from ._errors import UnsupportedError

#: First item of (marker, kind, payload) tuples that stand for functions, modules and builtins.
REF = object()
_shoal.set_ref_marker(REF)

_BUILTIN_NAMES = frozenset(dir(builtins))
_tree_cache = {}  # (filename, source text) -> {(line, name): FunctionDef or [Lambda]}


def _file_index(filename, lines):
    key = (filename, "".join(lines))
    index = _tree_cache.get(key)
    if index is None:
        tree = ast.parse(key[1], filename)
        index = {}
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                first = node.decorator_list[0].lineno if node.decorator_list else node.lineno
                index[(first, node.name)] = node
                index[(node.lineno, node.name)] = node
            elif isinstance(node, ast.Lambda):
                index.setdefault((node.lineno, "<lambda>"), []).append(node)
        _tree_cache[key] = index
    return index


def _pick_lambda(fn, candidates):
    if len(candidates) == 1:
        return candidates[0]
    code = fn.__code__
    params = list(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount])
    same = [c for c in candidates if [a.arg for a in c.args.args + c.args.kwonlyargs] == params]
    if len(same) == 1:
        return same[0]
    raise UnsupportedError(
        "%s, line %d: several lambdas on one line cannot be told apart; put them on separate lines"
        % (code.co_filename, code.co_firstlineno))


def function_ast(fn):
    """The FunctionDef or Lambda node of fn, with line numbers as in its file."""
    code = fn.__code__
    filename = code.co_filename
    lines = linecache.getlines(filename, fn.__globals__)
    if not lines:
        raise UnsupportedError("cannot find the source of %s (defined in %s)" % (fn.__qualname__, filename))
    try:
        index = _file_index(filename, lines)
    except SyntaxError:
        index = {}
    node = index.get((code.co_firstlineno, fn.__name__))
    if isinstance(node, list):
        node = _pick_lambda(fn, node)
    if node is None:
        raise UnsupportedError("%s, line %d: cannot find the source of %s"
                               % (filename, code.co_firstlineno, fn.__qualname__))
    if isinstance(node, ast.AsyncFunctionDef):
        raise UnsupportedError("%s, line %d: async def is not supported by shoal yet" % (filename, node.lineno))
    return node


def _names(code):
    """Global names read by a code object and the code objects nested in it."""
    names = set(code.co_names)
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            names |= _names(const)
    return names


class Program:
    """The functions of one call, in wire order; the submitted function is number 0. deps lists
    every value read while walking (globals, closure cells, defaults), so a later call can tell
    whether the encoded program still holds."""

    def __init__(self):
        self.records = []
        self.classes = []
        self.cacheable = True  # False once a mutable value (list, dict, set, instance) is captured
        self.deps = []
        self._index = {}
        self._class_index = {}

    def class_objects(self):
        """The classes of the program, by wire index (results' instances are rebuilt from them)."""
        out = [None] * len(self.classes)
        for i, cls in self._class_index.values():
            out[i] = cls
        return out

    def add_class(self, cls):
        key = id(cls)
        if key in self._class_index:
            return self._class_index[key][0]
        i = len(self.classes)
        self._class_index[key] = (i, cls)
        self.classes.append(None)
        bases = []
        for b in cls.__bases__:
            if b is object:
                continue
            bases.append(self.value(b))
        members = []
        for name, v in cls.__dict__.items():
            if name in ("__module__", "__qualname__", "__doc__", "__dict__", "__weakref__", "__annotations__"):
                continue
            if isinstance(v, staticmethod):
                members.append((name, 2, self.value(v.__func__), None))
            elif isinstance(v, classmethod):
                members.append((name, 3, self.value(v.__func__), None))
            elif isinstance(v, property):
                members.append((name, 4, self.value(v.fget), self.value(v.fset) if v.fset else None))
            elif isinstance(v, types.FunctionType):
                members.append((name, 1, self.value(v), None))
            else:
                members.append((name, 0, self.value(v), None))
        self.deps.append((_same_members, (cls, dict(cls.__dict__))))
        try:
            line = inspect.getsourcelines(cls)[1]
            filename = inspect.getsourcefile(cls) or "<unknown>"
        except (OSError, TypeError):
            line, filename = 0, "<unknown>"
        self.classes[i] = (cls.__name__, cls.__qualname__, filename, line, bases, members)
        return i

    def add(self, fn):
        key = id(fn)
        if key in self._index:
            return self._index[key][0]
        i = len(self.records)
        self._index[key] = (i, fn)  # keep fn alive while the program is built
        self.records.append(None)
        code = fn.__code__
        if code.co_flags & (inspect.CO_GENERATOR | inspect.CO_COROUTINE | inspect.CO_ASYNC_GENERATOR):
            node = function_ast(fn)
        else:
            node = function_ast(fn)
        g = fn.__globals__
        globals_ = []
        for n in sorted(_names(code)):
            v = g.get(n, _MISSING)
            self.deps.append((g.get, n, v))
            if v is not _MISSING:
                globals_.append((n, self.value(v)))
        closure = []
        for name, cell in zip(code.co_freevars, fn.__closure__ or ()):
            try:
                v = cell.cell_contents
            except ValueError:
                v = _MISSING  # an empty cell: reading it raises NameError in the compiled code
            self.deps.append((_cell_get, cell, v))
            if v is not _MISSING:
                closure.append((name, self.value(v)))
        self.deps.append((getattr, fn, "__defaults__", fn.__defaults__))
        self.deps.append((getattr, fn, "__kwdefaults__", fn.__kwdefaults__))
        self.deps.append((getattr, fn, "__code__", code))
        defaults = tuple(self.value(d) for d in (fn.__defaults__ or ()))
        kwdefaults = [(k, self.value(v)) for k, v in (fn.__kwdefaults__ or {}).items()]
        self.records[i] = (fn.__name__, fn.__qualname__, code.co_filename, code.co_firstlineno, node,
                           globals_, closure, defaults, kwdefaults)
        return i

    def value(self, v):
        """A value as the encoder takes it: plain data, or a (REF, kind, payload) reference."""
        if v is None or isinstance(v, (bool, int, float, str)):
            return v
        if type(v) is tuple:
            return tuple(self.value(x) for x in v)
        if type(v) is list:
            self.cacheable = False  # its contents can change in place between calls
            return [self.value(x) for x in v]
        if type(v) is dict:
            self.cacheable = False
            return {self.value(k): self.value(x) for k, x in v.items()}
        if type(v) is set:
            self.cacheable = False
            return {self.value(x) for x in v}
        if type(v) is frozenset:
            return frozenset(self.value(x) for x in v)
        if isinstance(v, type) and _user_class(v):
            return (REF, "class", self.add_class(v))
        if _user_class(type(v)) and hasattr(v, "__dict__"):
            self.cacheable = False
            return (REF, "instance", (self.add_class(type(v)), [(k, self.value(x)) for k, x in vars(v).items()]))
        if isinstance(v, types.FunctionType):
            return (REF, "function", self.add(v))
        if isinstance(v, types.ModuleType):
            return (REF, "module", v.__name__)
        if isinstance(v, types.BuiltinFunctionType):
            module = getattr(v, "__module__", None)
            if module == "math":
                return (REF, "builtin", "math." + v.__name__)
            if module == "builtins":
                return (REF, "builtin", v.__name__)
        if isinstance(v, type) and issubclass(v, BaseException) and getattr(builtins, v.__name__, None) is v:
            return (REF, "builtin", v.__name__)
        if isinstance(v, type) and getattr(builtins, v.__name__, None) is v:
            return (REF, "builtin", v.__name__)
        return (REF, "unsupported", type(v).__name__)


_MISSING = object()


def _user_class(cls):
    return isinstance(cls, type) and cls.__module__ != "builtins" and getattr(builtins, cls.__name__, None) is not cls \
        and not issubclass(cls, types.ModuleType)


def _cell_get(cell, default):
    try:
        return cell.cell_contents
    except ValueError:
        return default


def _same_members(state):
    """Whether a class still has the same members (each the same object) as when walked."""
    cls, members = state
    now = cls.__dict__
    return len(now) == len(members) and all(now.get(k, _MISSING) is v for k, v in members.items())


def _still_valid(deps):
    for dep in deps:
        if len(dep) == 2:
            check, state = dep
            if not check(state):
                return False
        elif len(dep) == 3:
            get, key, value = dep
            if get(key, _MISSING) is not value:
                return False
        else:
            get, obj, attr, value = dep
            if get(obj, attr) is not value:
                return False
    return True


_programs = {}  # id(fn) -> (fn, deps, encoded program): reused while every dependency is unchanged
_signatures = {}  # id(fn) -> (fn, defaults, kwdefaults, signature)
_CACHE_SIZE = 512


def encoded_program(fn):
    """The encoded Program for fn, from the cache when nothing it read has changed."""
    hit = _programs.get(id(fn))
    if hit is not None and hit[0] is fn and _still_valid(hit[1]):
        return hit[2], hit[3]
    program = Program()
    program.add(fn)
    encoded = _shoal.encode_program(program.records, program.classes)
    if len(_programs) >= _CACHE_SIZE:
        _programs.clear()
    classes = program.class_objects()
    if program.cacheable:
        _programs[id(fn)] = (fn, program.deps, encoded, classes)
    return encoded, classes


def _signature(fn):
    hit = _signatures.get(id(fn))
    if hit is not None and hit[0] is fn and hit[1] is fn.__defaults__ and hit[2] is fn.__kwdefaults__:
        return hit[3]
    sig = inspect.signature(fn)
    if len(_signatures) >= _CACHE_SIZE:
        _signatures.clear()
    _signatures[id(fn)] = (fn, fn.__defaults__, fn.__kwdefaults__, sig)
    return sig


def bind_arguments(fn, args, kwargs):
    """The call's arguments in parameter order, defaults applied, as CPython would bind them."""
    code = fn.__code__
    if not kwargs and len(args) == code.co_argcount and not code.co_kwonlyargcount \
            and not code.co_flags & (inspect.CO_VARARGS | inspect.CO_VARKEYWORDS):
        return args  # the common case: every parameter given by position
    sig = _signature(fn)
    try:
        bound = sig.bind(*args, **kwargs)
    except TypeError as e:
        raise TypeError("%s() %s" % (fn.__name__, e)) from None
    bound.apply_defaults()
    # shoal's parameter order: positional-or-keyword, keyword-only, then *args and **kwargs
    kinds = {name: p.kind for name, p in sig.parameters.items()}
    order = {inspect.Parameter.POSITIONAL_OR_KEYWORD: 0, inspect.Parameter.POSITIONAL_ONLY: 0,
             inspect.Parameter.KEYWORD_ONLY: 1, inspect.Parameter.VAR_POSITIONAL: 2,
             inspect.Parameter.VAR_KEYWORD: 3}
    names = sorted(bound.arguments, key=lambda n: order[kinds[n]])
    return tuple(bound.arguments[n] for n in names)


def encode_call(call_id, fn, args, kwargs, dump="", recursion_limit=0, trace=False, explain=False):
    if not isinstance(fn, types.FunctionType):
        raise UnsupportedError("shoal can submit Python functions, not %s" % type(fn).__name__)
    bound = bind_arguments(fn, args, kwargs)
    try:
        values = tuple(_plain(a) for a in bound)
        program, classes = encoded_program(fn)
    except _NeedsProgram:
        # functions, classes or instances among the arguments join the program: no reuse
        walked = Program()
        walked.add(fn)
        values = tuple(walked.value(a) for a in bound)
        program = _shoal.encode_program(walked.records, walked.classes)
        classes = walked.class_objects()
    return _shoal.encode_request(call_id, program, 0, values, dump, recursion_limit, trace, explain), classes


def _plain(v):
    """An argument that is plain data, as the encoder takes it; raises _NeedsProgram otherwise."""
    if v is None or isinstance(v, (bool, int, float, str)):
        return v
    if type(v) is tuple:
        return tuple(_plain(x) for x in v)
    if type(v) is list:
        return [_plain(x) for x in v]
    if type(v) is dict:
        return {_plain(k): _plain(x) for k, x in v.items()}
    if type(v) is set:
        return {_plain(x) for x in v}
    if type(v) is frozenset:
        return frozenset(_plain(x) for x in v)
    raise _NeedsProgram()


class _NeedsProgram(Exception):
    pass
