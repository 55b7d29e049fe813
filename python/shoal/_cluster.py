"""Clusters and futures: the user-facing API over the native bridge."""

import itertools
import os
import sys
import time

import _shoal

from . import _bridge
from ._errors import UnsupportedError, remote_exception

_ids = itertools.count(1)

#: Settings of `shoal run` (set by the binary before the script starts): the embedded node's
#: workers and limits, and compiler stages to dump to stderr.
DEFAULTS = {"workers": None, "recursion_limit": None, "memory_limit": None, "dump": "", "data_dir": None,
            "progress": False}


class Future:
    """The pending result of a submitted call."""

    def __init__(self, handle, echo_dumps=False, classes=None, cluster=None, call_id=0):
        self._handle = handle
        self._cluster = cluster
        self._call_id = call_id
        self._classes = classes or []
        self._outcome = None
        self._echo_dumps = echo_dumps

    def done(self):
        return self._outcome is not None or _shoal.done(self._handle)

    def _wait(self, timeout):
        if self._outcome is None:
            if timeout is None and DEFAULTS["progress"] and self._cluster is not None and _is_tty(sys.stderr):
                self._show_progress()
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

    def _show_progress(self):
        """`shoal run` on a terminal: one live line on stderr while the call runs (a call done
        within half a second shows nothing)."""
        shown = False
        started = time.monotonic()
        last = 0.0
        while not self.done():
            now = time.monotonic()
            if now - started >= 0.5 and now - last >= 0.25:
                last = now
                try:
                    line = "shoal: %s" % self.progress()
                except (RuntimeError, ConnectionError):
                    break
                sys.stderr.write("\r\x1b[K" + line[:200])
                sys.stderr.flush()
                shown = True
            time.sleep(0.02)
        if shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()

    def progress(self):
        """While the call runs: cores busy, pieces done and queued (node-wide), seconds elapsed
        and the cost model's predicted seconds remaining (None until it has a model)."""
        st = _shoal.status(self._cluster._live(), self._call_id)
        call = st["call"]
        running = call is not None and not self.done()
        elapsed = call["elapsed"] if call else None
        remaining = None
        if call and call["predicted"] >= 0:
            remaining = max(0.0, call["predicted"] - call["elapsed"])
        return Progress(running, st["busy"], st["workers"], st["pieces_done"], st["pieces_queued"], elapsed,
                        remaining)

    def split_tree(self, timeout=None):
        """How the call ran in parallel (submit with trace=True): a SplitTree of the constructs
        that were split and their pieces, each with its worker and duration."""
        return SplitTree(self.stats(timeout).get("splits", []), self.stats(timeout).get("splits_truncated", False))

    def dumps(self, timeout=None):
        """Compiler stage dumps asked for with dump="ast,ir,llvm": {stage: text}."""
        outcome = self._wait(timeout)
        return dict(outcome[6] if outcome[0] == "error" else outcome[4])


class Decision:
    """The compiler's decision about one construct."""

    def __init__(self, file, line, construct, parallel, reason):
        self.file, self.line, self.construct, self.parallel, self.reason = file, line, construct, parallel, reason

    def __str__(self):
        where = "%s:%d" % (os.path.basename(self.file), self.line)
        return "%s: %s -- %s: %s" % (where, self.construct, "parallel" if self.parallel else "sequential",
                                     self.reason)

    __repr__ = __str__


class Explanation(list):
    """Decisions per construct, in source order; str() gives one line each."""

    def __init__(self, rows):
        super().__init__(sorted((Decision(*r) for r in rows), key=lambda d: (d.file, d.line)))

    def parallel(self):
        return [d for d in self if d.parallel]

    def sequential(self):
        return [d for d in self if not d.parallel]

    def __str__(self):
        return "\n".join(str(d) for d in self) if self else "no loops, comprehensions or calls to split"


class Split:
    """A construct that ran in parallel, or one of its pieces (what == "piece")."""

    def __init__(self, id, parent, what, line, lo, hi, worker, start, seconds):
        self.id, self.parent, self.what, self.line = id, parent, what, line
        self.lo, self.hi, self.worker, self.start, self.seconds = lo, hi, worker, start, seconds
        self.children = []

    def __repr__(self):
        if self.what == "piece":
            return "piece [%d, %d) on worker %d, %.3f ms" % (self.lo, self.hi, self.worker, self.seconds * 1e3)
        return "%s (line %d, n=%d) on worker %d, %.3f ms" % (self.what, self.line, self.hi, self.worker,
                                                            self.seconds * 1e3)


class SplitTree:
    """The split tree of one call: roots are the constructs split at the call's own level."""

    def __init__(self, rows, truncated=False):
        nodes = {r[0]: Split(*r) for r in rows}
        self.roots = []
        for n in nodes.values():
            (nodes[n.parent].children if n.parent in nodes else self.roots).append(n)
        self.truncated = truncated
        self.all = list(nodes.values())

    def pieces(self):
        return [n for n in self.all if n.what == "piece"]

    def workers(self):
        """The workers that ran pieces."""
        return sorted({n.worker for n in self.pieces()})

    def __len__(self):
        return len(self.all)

    def __str__(self):
        lines = []

        def walk(n, depth):
            lines.append("  " * depth + repr(n))
            for c in n.children:
                walk(c, depth + 1)
        for r in self.roots:
            walk(r, 0)
        return "\n".join(lines) if lines else "nothing ran in parallel"


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

    def submit(self, fn, *args, dump=None, trace=False, **kwargs):
        """Ships fn and everything it references, compiles it for these arguments and runs it.
        dump="ast,ir,llvm" keeps those compiler stages (Future.dumps()); trace=True records how
        it ran in parallel (Future.split_tree())."""
        return self._submit(fn, args, kwargs, dump, trace, False)

    def explain(self, fn, *args, **kwargs):
        """Compiles fn for these arguments without running it and reports, per construct and
        line, whether it runs in parallel and, if not, why."""
        fut = self._submit(fn, args, kwargs, None, False, True)
        fut.result()
        return Explanation(fut.stats().get("parallel", []))

    def _submit(self, fn, args, kwargs, dump, trace, explain):
        if self._handle is None:
            raise RuntimeError("this cluster connection is closed")
        stages = DEFAULTS["dump"] if dump is None else dump
        call_id = next(_ids)
        request, classes = _bridge.encode_call(call_id, fn, args, kwargs, stages, self._recursion_limit,
                                               trace, explain)
        return Future(_shoal.submit(self._handle, request), echo_dumps=dump is None and bool(stages),
                      classes=classes, cluster=self, call_id=call_id)

    def profile(self):
        """Per function the node ran: calls, total and mean seconds, and the statistical-cost
        model fitted to its run times (persisted in the node's data directory)."""
        st = _shoal.status(self._live(), 0)
        return Profile(st["profile"], st["model_file"])

    def _live(self):
        if self._handle is None:
            raise RuntimeError("this cluster connection is closed")
        return self._handle

    def close(self):
        if self._handle is not None:
            _shoal.close(self._handle)
            self._handle = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def connect(address=None, workers=None, recursion_limit=None, memory_limit=None, data_dir=None):
    """An embedded node in this process (no address), or a connection to "host:port".
    data_dir: where the node keeps its statistical-cost model between runs (default: as
    `shoal node`, $XDG_STATE_HOME/shoal or ~/.local/state/shoal; "" keeps nothing)."""
    limit = recursion_limit or DEFAULTS["recursion_limit"] or sys.getrecursionlimit()
    if address is None:
        n = workers or DEFAULTS["workers"] or os.cpu_count() or 1
        mem = memory_limit or DEFAULTS["memory_limit"] or _default_memory_limit()
        if data_dir is None:
            data_dir = DEFAULTS["data_dir"] if DEFAULTS["data_dir"] is not None else _default_data_dir()
        return Cluster(_shoal.start_embedded(n, limit, mem, data_dir), n, limit)
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ValueError("address must be 'host:port', not %r" % address)
    return Cluster(_shoal.connect(host, int(port)), workers, limit)


def _is_tty(stream):
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _default_data_dir():
    state = os.environ.get("XDG_STATE_HOME", "")
    if state.startswith("/"):
        return os.path.join(state, "shoal")
    home = os.path.expanduser("~")
    return os.path.join(home, ".local", "state", "shoal") if home != "~" else ".shoal"


class Progress:
    """A running call's progress (Future.progress())."""

    def __init__(self, running, busy, workers, pieces_done, pieces_queued, elapsed, remaining):
        self.running, self.busy, self.workers = running, busy, workers
        self.pieces_done, self.pieces_queued = pieces_done, pieces_queued
        self.elapsed, self.remaining = elapsed, remaining

    def __str__(self):
        if not self.running:
            return "done"
        left = "" if self.remaining is None else ", ~%.1f s left" % self.remaining
        return "%d/%d cores busy, %d pieces done, %d queued, %.1f s%s" % (
            self.busy, self.workers, self.pieces_done, self.pieces_queued, self.elapsed or 0.0, left)

    __repr__ = __str__


class FunctionProfile:
    """One row of Cluster.profile()."""

    def __init__(self, key, calls, total, mean, model):
        self.key, self.calls, self.total, self.mean, self.model = key, calls, total, mean, model

    def __repr__(self):
        return "%-40s %8d calls %10.4f s total %10.6f s mean  %s" % (self.key, self.calls, self.total, self.mean,
                                                                    self.model)


class Profile(list):
    """Per function (and parallel construct): calls, times and the fitted cost model."""

    def __init__(self, rows, model_file=""):
        super().__init__(FunctionProfile(*r) for r in rows)
        self.model_file = model_file

    def get(self, key):
        """The row of a function by its qualified name (the first matching), or None."""
        for r in self:
            if r.key == key or r.key.startswith(key + ":"):
                return r
        return None

    def __str__(self):
        return "\n".join(repr(r) for r in self) if self else "no calls recorded yet"


def _default_memory_limit():
    try:
        pages = os.sysconf("SC_PHYS_PAGES")
        size = os.sysconf("SC_PAGE_SIZE")
        return pages * size * 3 // 4
    except (ValueError, OSError):
        return 4 << 30
