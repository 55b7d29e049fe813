"""A standalone node (`shoal node`) used through shoal.connect("host:port"): calls, remote
exceptions with tracebacks, print output, config files, refused connections, and peers that
send garbage.

Every node here is a child process started on a free port (--port 0) and stopped with a signal
at the end, which must make it exit 0 without anything fatal on its stderr.
"""

import os
import re
import selectors
import signal
import socket
import struct
import subprocess
import time

import pytest

import shoal

HERE = os.path.abspath(__file__)
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))
BUILD = os.environ.get("SHOAL_BUILD_DIR", os.path.join(ROOT, "build"))
SHOAL = os.path.join(BUILD, "shoal")
TIMEOUT = 30
FATAL = re.compile(r"fatal|abort|terminate called|segmentation|core dumped|assert|panic", re.I)


class Node:
    """A `shoal node` child process; its stderr goes to a file read at the end."""

    def __init__(self, tmp_dir, *args):
        self.stderr_path = os.path.join(str(tmp_dir), "node-%d.stderr" % time.monotonic_ns())
        self._stderr = open(self.stderr_path, "wb")
        self.proc = subprocess.Popen([SHOAL, "node", *args], stdout=subprocess.PIPE, stderr=self._stderr)
        self.banner = self._read_banner(15)
        m = re.fullmatch(r"shoal node listening on (\S+):(\d+) with (\d+) workers", self.banner)
        assert m, "unexpected first line %r; stderr: %s" % (self.banner, self.stderr())
        self.host, self.port, self.workers = m.group(1), int(m.group(2)), int(m.group(3))
        self.address = "%s:%d" % (self.host, self.port)

    def _read_banner(self, timeout):
        sel = selectors.DefaultSelector()
        sel.register(self.proc.stdout, selectors.EVENT_READ)
        line = b""
        deadline = time.monotonic() + timeout
        while not line.endswith(b"\n"):
            left = deadline - time.monotonic()
            if left <= 0 or not sel.select(left):
                self.kill()
                pytest.fail("shoal node printed no banner within %ss; stderr: %s" % (timeout, self.stderr()))
            chunk = os.read(self.proc.stdout.fileno(), 1)
            if not chunk:
                pytest.fail("shoal node exited (rc=%s) before its banner; stderr: %s"
                            % (self.proc.wait(), self.stderr()))
            line += chunk
        sel.close()
        return line.decode().strip()

    def stderr(self):
        if not self._stderr.closed:
            self._stderr.flush()
        with open(self.stderr_path, "rb") as f:
            return f.read().decode(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def rss_kib(self):
        with open("/proc/%d/status" % self.proc.pid) as f:
            return int(f.read().split("VmRSS:")[1].split()[0])

    def stop(self, sig=signal.SIGTERM, timeout=15):
        """Sends sig, waits for the exit and returns the exit code (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.kill()
                return None
        self.proc.stdout.close()
        self._stderr.close()
        return self.proc.returncode

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    n = Node(tmp_path_factory.mktemp("node"), "--port", "0", "--workers", "2")
    yield n
    rc = n.stop(signal.SIGTERM)
    err = n.stderr()
    assert rc == 0, "shoal node did not exit 0 on SIGTERM (rc=%s); stderr:\n%s" % (rc, err)
    assert not FATAL.search(err), err


@pytest.fixture(scope="module")
def remote(node):
    # one connection for the whole module, closed only at its end: closing a connection
    # currently breaks the node for everyone (see test_closing_one_connection_... below)
    c = shoal.connect(node.address)
    yield c
    c.close()


@pytest.fixture(scope="module")
def extra_connections(node):
    """Connections opened by tests, kept open until the module's node is done with."""
    kept = []
    yield kept
    for c in kept:
        c.close()


# ---------------------------------------------------------------- functions submitted below

def square(x):
    return x * x


def combine(a, b=2.5, c="!"):
    return (a * b, str(a) + c, a > 3, None)


def factorial(n):
    r = 1
    for i in range(2, n + 1):
        r *= i
    return r


def greets(name, times):
    for i in range(times):
        print("hello", name, i)
    return times


def inner_fails(x):
    raise ValueError("remote failure " + str(x))  # LINE: remote-raise


def outer_calls_inner(x):
    return inner_fails(x + 1)  # LINE: remote-outer


def prints_then_fails(x):
    print("before the failure")
    return x // 0


def uses_match_statement(n):
    match n:  # LINE: remote-unsupported
        case 1:
            return 0
    return n


def marker_line(tag):
    with open(HERE, encoding="utf-8") as f:
        hits = [n for n, text in enumerate(f, 1) if text.rstrip().endswith("# LINE: " + tag)]
    assert len(hits) == 1, tag
    return hits[0]


def tb_frames(exc):
    out = []
    tb = exc.__traceback__
    while tb is not None:
        out.append((tb.tb_frame.f_code.co_filename, tb.tb_frame.f_code.co_name, tb.tb_lineno))
        tb = tb.tb_next
    return out


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- calls


def test_banner_names_the_workers(node):
    assert node.workers == 2
    assert node.host == "127.0.0.1"
    assert node.port > 0


def test_values_and_keyword_arguments(remote):
    assert remote.submit(square, 12).result(timeout=TIMEOUT) == 144
    assert remote.submit(square, 2 ** 40).result(timeout=TIMEOUT) == 2 ** 80
    assert remote.submit(combine, 4).result(timeout=TIMEOUT) == combine(4)
    assert remote.submit(combine, 1, c="?", b=3).result(timeout=TIMEOUT) == combine(1, c="?", b=3)
    fut = remote.submit(factorial, 40)
    assert fut.result(timeout=TIMEOUT) == factorial(40)
    assert fut.stats()["deoptimised"] is True


def test_many_calls_at_once(remote):
    futures = [(n, remote.submit(factorial, n)) for n in range(60)]
    for n, f in futures:
        assert f.result(timeout=TIMEOUT) == factorial(n)


def test_remote_exception_type_message_and_traceback(remote):
    with pytest.raises(ValueError) as info:
        remote.submit(outer_calls_inner, 1).result(timeout=TIMEOUT)
    assert str(info.value) == "remote failure 2"
    frames = tb_frames(info.value)
    outer = (HERE, "outer_calls_inner", marker_line("remote-outer"))
    inner = (HERE, "inner_fails", marker_line("remote-raise"))
    assert outer in frames and inner in frames, frames
    assert frames.index(outer) < frames.index(inner), frames


def test_remote_unsupported_error_names_file_and_line(remote):
    with pytest.raises(shoal.UnsupportedError) as info:
        remote.submit(uses_match_statement, 1).result(timeout=TIMEOUT)
    assert "%s, line %d" % (HERE, marker_line("remote-unsupported")) in str(info.value)


def test_remote_print_output(remote, capsys):
    assert remote.submit(greets, "node", 2).result(timeout=TIMEOUT) == 2
    assert capsys.readouterr().out == "hello node 0\nhello node 1\n"
    with pytest.raises(ZeroDivisionError):
        remote.submit(prints_then_fails, 1).result(timeout=TIMEOUT)
    assert capsys.readouterr().out == "before the failure\n"


def test_compile_cache_on_the_node(remote):
    remote.submit(square, 3.0).result(timeout=TIMEOUT)
    fut = remote.submit(square, 4.0)
    assert fut.result(timeout=TIMEOUT) == 16.0
    assert fut.stats()["cache_hit"] is True


def count_multiples(n):
    return sum(1 for k in range(n) if k % 3 == 0 or k % 5 == 0)


def test_parallel_explain_trace_and_profile_over_the_wire(remote):
    (d,) = remote.explain(count_multiples, 10)
    assert d.parallel and d.line == count_multiples.__code__.co_firstlineno + 1
    fut = remote.submit(count_multiples, 3000000, trace=True)
    assert fut.result(timeout=TIMEOUT) == count_multiples(3000000)
    assert len(fut.split_tree()) >= 0  # the tree travels (whether it split depends on the node's load)
    row = remote.profile().get("count_multiples")
    assert row is not None and row.calls >= 1
    assert not fut.progress().running


# ---------------------------------------------------------------- connecting


def test_connecting_where_nothing_listens_raises_connection_error_quickly():
    port = free_port()
    t0 = time.monotonic()
    with pytest.raises(ConnectionError, match=str(port)):
        shoal.connect("127.0.0.1:%d" % port)
    assert time.monotonic() - t0 < 5


def test_malformed_address_raises_value_error():
    for bad in ("localhost", "127.0.0.1:", ":7788", "127.0.0.1:port"):
        with pytest.raises(ValueError):
            shoal.connect(bad)


def test_node_from_a_config_file(tmp_path):
    ini = tmp_path / "node.ini"
    ini.write_text("# a node for one test\nworkers = 1\nport = 0   ; any free port\n"
                   "host = 127.0.0.1\nlog-level = warning\n")
    n = Node(tmp_path, "--config", str(ini))
    try:
        assert n.workers == 1
        c = shoal.connect(n.address)
        assert c.submit(square, 9).result(timeout=TIMEOUT) == 81
        with pytest.raises(ValueError, match="remote failure 5"):
            c.submit(inner_fails, 5).result(timeout=TIMEOUT)
    finally:
        rc = n.stop(signal.SIGINT)
    assert rc == 0, n.stderr()
    assert not FATAL.search(n.stderr()), n.stderr()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_stops_the_node_with_exit_code_0(tmp_path, sig):
    n = Node(tmp_path, "--port", "0", "--workers", "1")
    try:
        c = shoal.connect(n.address)
        assert c.submit(square, 5).result(timeout=TIMEOUT) == 25
    finally:
        rc = n.stop(sig, timeout=10)
    assert rc == 0, n.stderr()
    assert not FATAL.search(n.stderr()), n.stderr()


def test_command_line_wins_over_the_config_file(tmp_path):
    ini = tmp_path / "node.ini"
    ini.write_text("workers = 1\nport = 0\n")
    n = Node(tmp_path, "--config", str(ini), "--workers", "3")
    try:
        assert n.workers == 3
    finally:
        assert n.stop() == 0, n.stderr()


def test_closing_one_connection_leaves_the_node_serving_others(tmp_path):
    n = Node(tmp_path, "--port", "0", "--workers", "1")
    try:
        first = shoal.connect(n.address)
        assert first.submit(square, 2).result(timeout=TIMEOUT) == 4
        first.close()
        time.sleep(0.2)
        second = shoal.connect(n.address)
        assert second.submit(square, 3).result(timeout=10) == 9
    finally:
        n.stop()


# ---------------------------------------------------------------- malformed peers

# A BASP frame (CAF 0.17) starts with a 32-byte header: operation (1 byte), 2 padding bytes,
# flags (1), payload length (4, big-endian), operation data (8), source and destination actor
# ids (8 + 8); the payload follows.
def basp_header(payload_len, operation=0):
    return bytes([operation, 0, 0, 0]) + struct.pack(">IQ", payload_len, 3) + b"\x00" * 16


def send_raw(port, data, linger=0.1):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        if data:
            s.sendall(data)
        time.sleep(linger)


def check_node_answers(node, remote, kept, n):
    """The node process is up, and answers on the old connection and on a new one."""
    assert node.alive(), node.stderr()
    assert remote.submit(square, n).result(timeout=10) == n * n
    fresh = shoal.connect(node.address)
    kept.append(fresh)  # not closed before the module ends: see the xfail test above
    assert fresh.submit(square, n + 1).result(timeout=10) == (n + 1) ** 2


@pytest.mark.parametrize("data", [
    b"garbage\x00\xff" * 100,
    b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"\xff" * 4096,
    b"\x00" * 64,
    b"",
], ids=["binary-garbage", "http-request", "all-ones", "zeros", "connect-and-close"])
def test_garbage_bytes_do_not_hurt_the_node(node, remote, extra_connections, data):
    send_raw(node.port, data)
    check_node_answers(node, remote, extra_connections, 5)


@pytest.mark.parametrize("data", [
    basp_header(1000) + b"only ten b",                  # payload cut short
    basp_header(16)[:20],                                # header cut short
    basp_header(64, operation=1) + os.urandom(64),       # handshake with a random payload
    basp_header(64, operation=5) + os.urandom(64),       # a message frame with a random payload
    bytes([0xEE, 0, 0, 0]) + struct.pack(">I", 8) + b"\x00" * 24 + b"12345678",  # bad operation
], ids=["short-payload", "short-header", "bad-handshake", "bad-message", "bad-operation"])
def test_truncated_or_garbage_frames_do_not_hurt_the_node(node, remote, extra_connections, data):
    send_raw(node.port, data)
    check_node_answers(node, remote, extra_connections, 7)


@pytest.mark.xfail(strict=True, reason="bug: a 32-byte frame header claiming a huge payload makes "
                   "the node allocate (and zero) the claimed size before any of it arrives: 1 GiB "
                   "claimed -> ~1 GiB RSS and calls of other clients stall ~1 s; 4 GiB -> ~3.7 GiB "
                   "and a stall of >9 s (unauthenticated memory/CPU exhaustion)")
def test_a_frame_claiming_a_huge_payload_does_not_make_the_node_allocate_it(node, remote, extra_connections):
    before = node.rss_kib()
    peak = before
    with socket.create_connection(("127.0.0.1", node.port), timeout=5) as s:
        s.sendall(basp_header(0x20000000))  # claims 512 MiB, sends nothing more
        t0 = time.monotonic()
        while time.monotonic() - t0 < 1.0:
            peak = max(peak, node.rss_kib())
            time.sleep(0.02)
    check_node_answers(node, remote, extra_connections, 9)
    assert peak - before < 128 * 1024, "node RSS grew by %d MiB" % ((peak - before) // 1024)


def test_node_is_still_healthy_after_all_of_the_above(node, remote, extra_connections):
    check_node_answers(node, remote, extra_connections, 11)
    assert not FATAL.search(node.stderr()), node.stderr()
