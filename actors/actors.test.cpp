#include "actors/call_runner.hpp"
#include "actors/cluster.hpp"
#include "actors/status.hpp"
#include "runtime/pool.hpp"
#include "bus/codec.hpp"
#include "bus/shoal.capnp.h"
#include "compiler/programs.test.hpp"
#include "runtime/object.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <poll.h>
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
    CHECK(o.big_value == "0x8000000000000000"); // 2**63, in the wire's hex form
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
  SECTION("an instance argument of a class the program does not have is rejected, not run") {
    t::Request req({t::add_fn()}, {t::wint(1), t::wint(2)});
    req.builder().getArgs()[0].initInstance().setCls(7); // a peer's malformed instance
    Outcome o = read_result(run_job(req.bytes(), c));
    CHECK(o.error);
    CHECK(o.type == "TypeError");
    CHECK(o.message.find("class index out of range") != std::string::npos);
  }
  SECTION("a run-time exception becomes an error result") {
    t::Request req({t::add_fn()}, {t::wstr("a"), t::wint(1)});
    Outcome o = read_result(run_job(req.bytes(), c));
    CHECK(o.error);
    CHECK(o.type == "TypeError");
    CHECK(o.message == "can only concatenate str (not \"int\") to str");
  }
}

// ---- Pool (runtime/pool.hpp) as the node uses it -----------------------------------------------------------------------------

TEST_CASE("Pool runs posted tasks on its own threads", "[actors]") {
  std::mutex mu;
  std::condition_variable cv;
  int done = 0;
  std::set<std::thread::id> threads;
  {
    rt::Pool ex(rt::PoolOptions{2, size_t(8) << 20});
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

TEST_CASE("Pool threads have a big stack for deep recursion", "[actors]") {
  std::atomic<size_t> used{0};
  {
    rt::Pool ex(rt::PoolOptions{1, size_t(512) << 20});
    // ~200 MiB of frames: far beyond a default 8 MiB thread stack
    ex.post([&] {
      char top;
      used = deep(200000, &top);
    });
  }
  CHECK(used > size_t(200000) * 1024);
}

TEST_CASE("Pool's destructor finishes the queued tasks", "[actors]") {
  std::atomic<int> done{0};
  {
    rt::Pool ex(rt::PoolOptions{1, size_t(8) << 20});
    for (int i = 0; i < 50; ++i)
      ex.post([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        ++done;
      });
  }
  CHECK(done == 50);
}

TEST_CASE("Pool workers can run compiled code", "[actors]") {
  rt::gc_init();
  compiler::Compiler c;
  bus::bytes result;
  {
    rt::Pool ex(rt::PoolOptions{1, size_t(64) << 20});
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
    CHECK(b.big_value == "0xfffffffffffffffe"); // 2**64 - 2, in the wire's hex form
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

// CAF 0.17 proxies drop messages once a connection is lost: Cluster::submit monitors the gateway
// so that such a call is answered with a ConnectionError instead of never.
TEST_CASE("a call to a remote node that has gone away gets an error result", "[actors]") {
  actors::NodeOptions opts;
  auto node = actors::Cluster::embedded(opts);
  uint16_t port = node->listen("127.0.0.1", 0);
  auto client = actors::Cluster::remote("127.0.0.1", port);
  auto r = submit_and_wait(*client, add_request(1, 2));
  REQUIRE(r);
  CHECK(read_result(*r).int_value == 3);
  node.reset();
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  auto lost = submit_and_wait(*client, add_request(1, 2));
  REQUIRE(lost); // an answer, not a hang
  Outcome o = read_result(*lost);
  CHECK(o.error);
  CHECK(o.type == "ConnectionError");
}

namespace {
/// def down(n):
///     if n == 0:
///         return 0
///     return down(n - 1) + 1
t::Fn down_fn() {
  return {"down",
          t::Def("down", {"n"},
                 {t::If(t::Compare(t::Name("n", 2), "Eq", t::Int(0, 2), 2), {t::Return(t::Int(0, 3), 3)}, {}, 2),
                  t::Return(t::BinOp(t::Call(t::Name("down", 4), {t::BinOp(t::Name("n", 4), "Sub", t::Int(1, 4), 4)}, 4),
                                     "Add", t::Int(1, 4), 4),
                            4)},
                 1),
          {{"down", t::wfunc(0)}}};
}
} // namespace

TEST_CASE("deep recursion of compiled code runs on a worker's big stack", "[actors]") {
  actors::NodeOptions opts;
  auto cluster = actors::Cluster::embedded(opts);
  SECTION("within the request's recursion limit") {
    t::Request req({down_fn()}, {t::wint(100000)});
    req.builder().initOptions().setRecursionLimit(200000);
    auto r = submit_and_wait(*cluster, req.bytes());
    REQUIRE(r);
    Outcome o = read_result(*r);
    CHECK(o.message == "");
    REQUIRE(o.int_value);
    CHECK(*o.int_value == 100000);
  }
  SECTION("beyond the node's default limit of 1000") {
    t::Request req({down_fn()}, {t::wint(5000)});
    auto r = submit_and_wait(*cluster, req.bytes());
    REQUIRE(r);
    Outcome o = read_result(*r);
    CHECK(o.error);
    CHECK(o.type == "RecursionError");
  }
}

namespace {

/// A loopback TCP relay for one connection: clients connect to port(), bytes are pumped to and
/// from `target`. cut() drops both sides at once, as a failing network would.
class Relay {
public:
  explicit Relay(uint16_t target) : target_(target) {
    listen_fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0);
    REQUIRE(::listen(listen_fd_, 1) == 0);
    socklen_t len = sizeof addr;
    REQUIRE(::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len) == 0);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { pump(); });
  }
  ~Relay() {
    cut();
    thread_.join();
    ::close(listen_fd_);
  }
  uint16_t port() const { return port_; }
  void cut() { cut_ = true; }

private:
  uint16_t target_, port_ = 0;
  int listen_fd_ = -1;
  std::atomic<bool> cut_{false};
  std::thread thread_;

  void pump() {
    int client = -1;
    while (!cut_ && client < 0) {
      pollfd p{listen_fd_, POLLIN, 0};
      if (::poll(&p, 1, 50) > 0)
        client = ::accept(listen_fd_, nullptr, nullptr);
    }
    if (client < 0)
      return;
    int server = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(target_);
    if (::connect(server, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0)
      cut_ = true;
    char buf[65536];
    while (!cut_) {
      pollfd p[2] = {{client, POLLIN, 0}, {server, POLLIN, 0}};
      if (::poll(p, 2, 50) <= 0)
        continue;
      for (int k = 0; k < 2; ++k) {
        if (!(p[k].revents & (POLLIN | POLLHUP | POLLERR)))
          continue;
        ssize_t n = ::read(p[k].fd, buf, sizeof buf);
        if (n <= 0) {
          cut_ = true;
          break;
        }
        int to = k == 0 ? server : client;
        for (ssize_t off = 0; off < n;) {
          ssize_t w = ::write(to, buf + off, size_t(n - off));
          if (w <= 0) {
            cut_ = true;
            break;
          }
          off += w;
        }
      }
    }
    ::shutdown(client, SHUT_RDWR);
    ::shutdown(server, SHUT_RDWR);
    ::close(client);
    ::close(server);
  }
};

} // namespace

// The connection drops while a call is in flight: the callback gets a ConnectionError and the
// client closes promptly. The destructor runs on a helper thread so that a regression shows as a
// failed check rather than a hung test.
TEST_CASE("a dropped connection during a call answers with an error and the client closes", "[actors]") {
  actors::NodeOptions opts;
  auto node = actors::Cluster::embedded(opts);
  uint16_t port = node->listen("127.0.0.1", 0);
  Relay relay(port);
  auto client = actors::Cluster::remote("127.0.0.1", relay.port());
  auto warm = submit_and_wait(*client, add_request(1, 2));
  REQUIRE(warm);
  CHECK(read_result(*warm).int_value == 3);

  // fib(40) runs for about a second on the node; the network fails meanwhile
  t::Request slow({t::fib_fn()}, {t::wint(40)});
  std::thread cutter([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    relay.cut();
  });
  auto r = submit_and_wait(*client, slow.bytes());
  cutter.join();
  CHECK(r.has_value());
  if (r) {
    Outcome o = read_result(*r);
    CHECK(o.error);
    CHECK(o.type == "ConnectionError");
  }

  auto closed = std::make_shared<std::atomic<bool>>(false);
  auto* raw = client.release();
  std::thread closer([raw, closed] {
    delete raw;
    *closed = true;
  });
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!*closed && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(closed->load());
  if (*closed)
    closer.join();
  else
    closer.detach(); // leaks the stuck client
}

// ---- status and the statistical-cost model's persistence (actors/status.hpp) -----------------

namespace {
bus::bytes status_request(uint64_t call_id) {
  capnp::MallocMessageBuilder mb;
  mb.initRoot<wire::StatusRequest>().setCallId(call_id);
  return bus::encode(mb);
}
} // namespace

TEST_CASE("node status reports running calls, counters and the cost profile", "[actors]") {
  rt::Pool pool(rt::PoolOptions{2, size_t(8) << 20});
  actors::CallBoard board;
  for (double n : {1e3, 1e4, 1e5, 1e6})
    pool.record("f", {n}, n * 1e-8);
  board.start(7, 0.5);
  bus::bytes reply = actors::node_status(pool, board, "/x/cost_model.txt", status_request(7));
  bus::message_in in(reply);
  REQUIRE(in.ok());
  auto st = in.root<wire::NodeStatus>();
  CHECK(st.getWorkers() == 2);
  CHECK(st.getBusy() == 0);
  CHECK(st.getModelFile() == "/x/cost_model.txt");
  CHECK(st.getCall().getFound());
  CHECK(st.getCall().getPredicted() == 0.5);
  REQUIRE(st.getProfile().size() == 1);
  CHECK(st.getProfile()[0].getCalls() == 4);
  CHECK(std::string(st.getProfile()[0].getModel().cStr()).find("x0") != std::string::npos);
  board.finish(7);
  bus::message_in gone(actors::node_status(pool, board, "", status_request(7)));
  CHECK_FALSE(gone.root<wire::NodeStatus>().getCall().getFound());
  bus::message_in garbage(actors::node_status(pool, board, "", bus::bytes{1, 2, 3}));
  REQUIRE(garbage.ok()); // a malformed request is answered without a call
  CHECK_FALSE(garbage.root<wire::NodeStatus>().getCall().getFound());
}

TEST_CASE("the cost model persists in the data directory and a new node reads it", "[actors]") {
  char tmpl[] = "/tmp/shoal-cost-XXXXXX";
  REQUIRE(mkdtemp(tmpl));
  std::string path = actors::cost_model_path(std::string(tmpl) + "/state");
  CHECK(actors::cost_model_path("") == "");
  std::string error;
  {
    rt::Pool pool(rt::PoolOptions{1, size_t(8) << 20});
    for (double n : {10.0, 20.0, 40.0, 80.0})
      pool.record("g", {n}, n * n * 1e-9);
    REQUIRE(actors::save_cost_model(pool, path, &error));
  }
  rt::Pool again(rt::PoolOptions{1, size_t(8) << 20});
  REQUIRE(actors::load_cost_model(again, path, &error));
  double predicted = again.predict("g", {160.0});
  CHECK(predicted == Approx(160.0 * 160.0 * 1e-9).epsilon(0.05));
  {
    std::FILE* f = std::fopen(path.c_str(), "w");
    std::fputs("not a cost model\n", f);
    std::fclose(f);
  }
  rt::Pool broken(rt::PoolOptions{1, size_t(8) << 20});
  CHECK_FALSE(actors::load_cost_model(broken, path, &error));
  CHECK_FALSE(error.empty());
  CHECK(broken.predict("g", {160.0}) < 0);
}
