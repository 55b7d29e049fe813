#include "actors/call_runner.hpp"
#include "actors/cluster.hpp"
#include "actors/executor.hpp"
#include "bus/codec.hpp"
#include "bus/shoal.capnp.h"
#include "compiler/programs.test.hpp"
#include "runtime/object.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <climits>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>

using namespace shoal;
namespace t = shoal::testing;

namespace {

/// The parts of an encoded CallResult a test looks at.
struct Outcome {
  bool error = false;
  std::string type, message;
  std::optional<int64_t> int_value;
  std::string big_value;
  uint64_t id = 0;
  bool deoptimised = false;
  bool cache_hit = false;
};

Outcome read_result(const bus::bytes& data) {
  bus::message_in in(data);
  REQUIRE(in.ok());
  Outcome o;
  std::string err = bus::guarded([&] {
    auto r = in.root<wire::CallResult>();
    o.id = r.getId();
    o.deoptimised = r.getStats().getDeoptimised();
    o.cache_hit = r.getStats().getCacheHit();
    if (r.isError()) {
      o.error = true;
      o.type = r.getError().getType();
      o.message = r.getError().getMessage();
    } else if (r.getValue().isInt()) {
      o.int_value = r.getValue().getInt();
    } else if (r.getValue().isBigInt()) {
      o.big_value = r.getValue().getBigInt();
    }
  });
  REQUIRE(err == "");
  return o;
}

/// Runs a job the way the call actor does: decode, compile, run, re-run wide after a deopt.
bus::bytes run_job(bus::bytes request, compiler::Compiler& c) {
  actors::CallJob job(std::move(request), actors::CallLimits{});
  if (!job.decode())
    return job.result();
  if (!job.compile(c))
    return job.result();
  if (!job.run()) {
    job.set_wide();
    REQUIRE(job.compile(c));
    REQUIRE(job.run());
  }
  return job.result();
}

/// Submits a request and waits (at most 10 s) for the callback.
std::optional<bus::bytes> submit_and_wait(actors::Cluster& cluster, bus::bytes request,
                                          std::chrono::seconds timeout = std::chrono::seconds(10)) {
  struct Slot {
    std::mutex mu;
    std::condition_variable cv;
    std::optional<bus::bytes> result;
  };
  auto slot = std::make_shared<Slot>();
  cluster.submit(std::move(request), [slot](bus::bytes r) {
    {
      std::lock_guard<std::mutex> lock(slot->mu);
      slot->result = std::move(r);
    }
    slot->cv.notify_all();
  });
  std::unique_lock<std::mutex> lock(slot->mu);
  slot->cv.wait_for(lock, timeout, [&] { return slot->result.has_value(); });
  return slot->result;
}

bus::bytes add_request(int64_t a, int64_t b, uint64_t id = 1) {
  t::Request req({t::add_fn()}, {t::wint(a), t::wint(b)}, 0, id);
  return req.bytes();
}

/// A loopback TCP port with nothing listening on it (bound, then closed).
uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
  socklen_t len = sizeof addr;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

/// Recursion with a 1 KiB frame the optimiser must keep: returns how many bytes of stack the
/// deepest call is below `top`.
[[gnu::noinline]] size_t deep(int depth, const char* top) {
  volatile char frame[1024];
  frame[0] = char(depth);
  asm volatile("" : : "r"(frame) : "memory");
  if (depth == 0)
    return size_t(top - const_cast<const char*>(frame));
  size_t r = deep(depth - 1, top);
  asm volatile("" : : "r"(frame) : "memory");
  return r + size_t(frame[0] != char(depth));
}

} // namespace

// ---- CallJob ----------------------------------------------------------------------------------

TEST_CASE("CallJob rejects malformed requests with a RuntimeError result", "[actors]") {
  rt::gc_init();
  auto check_rejected = [](bus::bytes request) {
    actors::CallJob job(std::move(request), actors::CallLimits{});
    CHECK_FALSE(job.decode());
    Outcome o = read_result(job.result());
    CHECK(o.error);
    CHECK(o.type == "RuntimeError");
    CHECK(o.message.find("rejected") != std::string::npos);
    return o;
  };
  SECTION("odd length") {
    Outcome o = check_rejected(bus::bytes{1, 2, 3});
    CHECK(o.message.find("whole number of words") != std::string::npos);
  }
  SECTION("empty") { check_rejected(bus::bytes{}); }
  SECTION("garbage bytes") { check_rejected(bus::bytes(64, 0xff)); }
  SECTION("valid framing, wrong content") {
    // a message whose root is an Ast: its first pointer is Text where CallRequest has a struct
    capnp::MallocMessageBuilder mb;
    auto ast = mb.initRoot<wire::Ast>();
    ast.setKind("not a request");
    ast.initFields(2);
    Outcome o = check_rejected(bus::encode(mb));
    CHECK(o.message.find("malformed") != std::string::npos);
  }
}

TEST_CASE("CallJob compiles and runs a valid request", "[actors]") {
  rt::gc_init();
  compiler::Compiler c;
  SECTION("a value") {
    Outcome o = read_result(run_job(add_request(40, 2, 77), c));
    CHECK_FALSE(o.error);
    CHECK(o.id == 77);
    REQUIRE(o.int_value);
    CHECK(*o.int_value == 42);
    CHECK_FALSE(o.deoptimised);
  }
  SECTION("the second call of the same program is a cache hit") {
    read_result(run_job(add_request(1, 2), c));
    Outcome o = read_result(run_job(add_request(3, 4), c));
    CHECK(o.cache_hit);
    CHECK(*o.int_value == 7);
  }
  SECTION("int64 overflow re-runs wide with the exact result") {
    actors::CallJob job(add_request(INT64_MAX, 1), actors::CallLimits{});
    REQUIRE(job.decode());
    REQUIRE(job.compile(c));
    CHECK_FALSE(job.run()); // the narrow run overflowed
    job.set_wide();
    REQUIRE(job.compile(c));
    REQUIRE(job.run());
    Outcome o = read_result(job.result());
    CHECK_FALSE(o.error);
    CHECK(o.big_value == "9223372036854775808");
    CHECK(o.deoptimised);
  }
  SECTION("a compile error becomes an error result") {
    t::Fn fn{"f", t::Def("f", {}, {t::node("With", 2, {{"items", t::list({})}, {"body", t::list({t::Pass(3)})}})}, 1)};
    t::Request req({fn}, {});
    Outcome o = read_result(run_job(req.bytes(), c));
    CHECK(o.error);
    CHECK(o.type == "UnsupportedError");
    CHECK(o.message.find("prog.py, line 2") != std::string::npos);
  }
  SECTION("a run-time exception becomes an error result") {
    t::Request req({t::add_fn()}, {t::wstr("a"), t::wint(1)});
    Outcome o = read_result(run_job(req.bytes(), c));
    CHECK(o.error);
    CHECK(o.type == "TypeError");
    CHECK(o.message == "can only concatenate str (not \"int\") to str");
  }
}

// ---- Executor ---------------------------------------------------------------------------------

TEST_CASE("Executor runs posted tasks on its own threads", "[actors]") {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::set<std::thread::id> threads;
  {
    actors::Executor ex(2, size_t(8) << 20);
    CHECK(ex.workers() == 2);
    for (int i = 0; i < 20; ++i)
      ex.post([&] {
        int r = fib(15);
        std::lock_guard<std::mutex> lock(mu);
        threads.insert(std::this_thread::get_id());
        done += r == 610;
        cv.notify_all();
      });
    std::unique_lock<std::mutex> lock(mu);
    CHECK(cv.wait_for(lock, std::chrono::seconds(10), [&] { return done == 20; }));
  }
  CHECK(done == 20);
  CHECK(threads.count(std::this_thread::get_id()) == 0);
  CHECK(threads.size() <= 2);
}

TEST_CASE("Executor threads have a big stack for deep recursion", "[actors]") {
  std::atomic<size_t> used{0};
  {
    actors::Executor ex(1, size_t(512) << 20);
    // ~200 MiB of frames: far beyond a default 8 MiB thread stack
    ex.post([&] {
      char top;
      used = deep(200000, &top);
    });
  }
  CHECK(used > size_t(200000) * 1024);
}

TEST_CASE("Executor's destructor finishes the queued tasks", "[actors]") {
  std::atomic<int> done{0};
  {
    actors::Executor ex(1, size_t(8) << 20);
    for (int i = 0; i < 50; ++i)
      ex.post([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ++done;
      });
  }
  CHECK(done == 50);
}

TEST_CASE("Executor workers can run compiled code", "[actors]") {
  rt::gc_init();
  compiler::Compiler c;
  bus::bytes result;
  {
    actors::Executor ex(1, size_t(64) << 20);
    ex.post([&] { result = run_job(add_request(20, 22), c); });
  }
  Outcome o = read_result(result);
  REQUIRE(o.int_value);
  CHECK(*o.int_value == 42);
}

// ---- Cluster ----------------------------------------------------------------------------------

TEST_CASE("an embedded cluster answers a submitted call through the callback", "[actors]") {
  actors::NodeOptions opts;
  opts.workers = 2;
  auto cluster = actors::Cluster::embedded(opts);
  CHECK(cluster->workers() == 2);
  auto r = submit_and_wait(*cluster, add_request(40, 2, 9));
  REQUIRE(r);
  Outcome o = read_result(*r);
  CHECK_FALSE(o.error);
  CHECK(o.id == 9);
  REQUIRE(o.int_value);
  CHECK(*o.int_value == 42);

  SECTION("overflow is re-run wide by the node") {
    auto big = submit_and_wait(*cluster, add_request(INT64_MAX, INT64_MAX));
    REQUIRE(big);
    Outcome b = read_result(*big);
    CHECK(b.big_value == "18446744073709551614");
    CHECK(b.deoptimised);
  }
  SECTION("a malformed request gets an error result") {
    auto bad = submit_and_wait(*cluster, bus::bytes(64, 0xff));
    REQUIRE(bad);
    Outcome b = read_result(*bad);
    CHECK(b.error);
    CHECK(b.type == "RuntimeError");
    CHECK(b.message.find("rejected") != std::string::npos);
  }
  SECTION("several calls in flight") {
    std::vector<std::optional<bus::bytes>> results(6);
    std::vector<std::thread> clients;
    for (int i = 0; i < 6; ++i)
      clients.emplace_back([&, i] { results[size_t(i)] = submit_and_wait(*cluster, add_request(i, 100)); });
    for (auto& th : clients)
      th.join();
    for (int i = 0; i < 6; ++i) {
      REQUIRE(results[size_t(i)]);
      CHECK(read_result(*results[size_t(i)]).int_value == 100 + i);
    }
  }
}

TEST_CASE("two embedded clusters live in one process", "[actors]") {
  actors::NodeOptions opts;
  auto a = actors::Cluster::embedded(opts);
  auto b = actors::Cluster::embedded(opts);
  auto ra = submit_and_wait(*a, add_request(1, 2));
  auto rb = submit_and_wait(*b, add_request(3, 4));
  REQUIRE(ra);
  REQUIRE(rb);
  CHECK(read_result(*ra).int_value == 3);
  CHECK(read_result(*rb).int_value == 7);
  a.reset();
  auto rb2 = submit_and_wait(*b, add_request(5, 6));
  REQUIRE(rb2);
  CHECK(read_result(*rb2).int_value == 11);
}

TEST_CASE("connecting to a closed port fails quickly with std::runtime_error", "[actors]") {
  uint16_t port = closed_port();
  auto start = std::chrono::steady_clock::now();
  CHECK_THROWS_AS(actors::Cluster::remote("127.0.0.1", port), std::runtime_error);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("a remote cluster reaches an embedded node over loopback", "[actors]") {
  actors::NodeOptions opts;
  auto node = actors::Cluster::embedded(opts);
  uint16_t port = node->listen("127.0.0.1", 0);
  CHECK(port != 0);
  auto client = actors::Cluster::remote("127.0.0.1", port);
  auto r = submit_and_wait(*client, add_request(40, 2, 5));
  REQUIRE(r);
  Outcome o = read_result(*r);
  CHECK_FALSE(o.error);
  CHECK(o.id == 5);
  REQUIRE(o.int_value);
  CHECK(*o.int_value == 42);
  // and again, now that the program is cached on the node
  auto r2 = submit_and_wait(*client, add_request(1, 1));
  REQUIRE(r2);
  CHECK(read_result(*r2).cache_hit);
}
