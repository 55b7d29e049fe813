"""Clusters and futures: the user-facing API over the native bridge."""

import itertools
import os
import sys

import _shoal

from . import _bridge
from ._errors import UnsupportedError, remote_exception

_ids = itertools.count(1)

#: Settings of `shoal run` (set by the binary before the script starts): the embedded node's
#: workers and limits, and compiler stages to dump to stderr.
DEFAULTS = {"workers": None, "recursion_limit": None, "memory_limit": None, "dump": ""}


class Future:
    """The pending result of a submitted call."""

    def __init__(self, handle, echo_dumps=False, classes=None):
        self._handle = handle
        self._classes = classes or []
        self._outcome = None
        self._echo_dumps = echo_dumps

    def done(self):
        return self._outcome is not None or _shoal.done(self._handle)

    def _wait(self, timeout):
        if self._outcome is None:
            outcome = _shoal.wait(self._handle, None if timeout is None else float(timeout), self._classes)
            if outcome is None:
                raise TimeoutError("the call did not finish within %s seconds" % timeout)
            self._outcome = outcome
            out = outcome[4] if outcome[0] == "error" else outcome[2]
            if out:
                sys.stdout.write(out)
            if self._echo_dumps:
                for stage, text in outcome[6] if outcome[0] == "error" else outcome[4]:
                    sys.stderr.write("--- shoal %s ---\n%s\n" % (stage, text))
        return self._outcome

    def result(self, timeout=None):
        """The call's value; a remote exception is raised as the same type and message."""
        outcome = self._wait(timeout)
        if outcome[0] == "error":
            _, type_name, message, frames, _out, _stats, _dumps = outcome
            raise remote_exception(type_name, message, frames[:-1], frames[-1], self._classes)
        value = outcome[1]
        _check_value(value)
        return value

    def stats(self, timeout=None):
        """Compile and run times of the call, and whether it re-ran with big ints."""
        outcome = self._wait(timeout)
        return outcome[5] if outcome[0] == "error" else outcome[3]

    def dumps(self, timeout=None):
        """Compiler stage dumps asked for with dump="ast,ir,llvm": {stage: text}."""
        outcome = self._wait(timeout)
        return dict(outcome[6] if outcome[0] == "error" else outcome[4])


def _check_value(v):
    if type(v) is tuple:
        if len(v) == 2 and v[0] is _bridge.REF:
            raise UnsupportedError("the call returned a %s, which cannot leave a shoal node yet" % v[1])
        for x in v:
            _check_value(x)


class Cluster:
    """A connection to a shoal node: embedded in this process, or remote."""

    def __init__(self, handle, workers, recursion_limit):
        self._handle = handle
        self.workers = workers
        self._recursion_limit = recursion_limit

    def submit(self, fn, *args, dump=None, **kwargs):
        """Ships fn and everything it references, compiles it for these arguments and runs it.
        dump="ast,ir,llvm" keeps those compiler stages (Future.dumps())."""
        if self._handle is None:
            raise RuntimeError("this cluster connection is closed")
        stages = DEFAULTS["dump"] if dump is None else dump
        request, classes = _bridge.encode_call(next(_ids), fn, args, kwargs, stages, self._recursion_limit)
        return Future(_shoal.submit(self._handle, request), echo_dumps=dump is None and bool(stages),
                      classes=classes)

    def close(self):
        if self._handle is not None:
            _shoal.close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def connect(address=None, workers=None, recursion_limit=None, memory_limit=None):
    """An embedded node in this process (no address), or a connection to "host:port"."""
    limit = recursion_limit or DEFAULTS["recursion_limit"] or sys.getrecursionlimit()
    if address is None:
        n = workers or DEFAULTS["workers"] or os.cpu_count() or 1
        mem = memory_limit or DEFAULTS["memory_limit"] or _default_memory_limit()
        return Cluster(_shoal.start_embedded(n, limit, mem), n, limit)
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError("address must be 'host:port', not %r" % address)
    return Cluster(_shoal.connect(host, int(port)), workers, limit)


def _default_memory_limit():
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
        return pages * size * 3 // 4
    except (ValueError, OSError):
        return 4 << 30
