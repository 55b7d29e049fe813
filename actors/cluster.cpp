#include "actors/cluster.hpp"

#include "actors/log.hpp"
#include "actors/status.hpp"
#include "runtime/object.hpp"
#include "runtime/pool.hpp"
#include "bus/messages.hpp"

#include <caf/io/all.hpp>

#include <atomic>
#include <stdexcept>

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<shoal::actors::CallJob>)

namespace shoal::actors {

using bus::wire_msg;

namespace {

/// The compiler actor: compiles one job at a time on its own thread.
caf::behavior compiler_actor(caf::event_based_actor*, std::shared_ptr<compiler::Compiler> c) {
  return {[c](bus::compile_atom, std::shared_ptr<CallJob> job) { return job->compile(*c); }};
}

struct call_state {
  std::shared_ptr<CallJob> job;
  caf::response_promise rp;
};

void finish(caf::stateful_actor<call_state>* self, const bus::bytes& result) {
  self->state.rp.deliver(wire_msg{result});
  self->quit();
}

/// The node's shared parts the call actors use.
struct NodeParts {
  caf::actor compiler;
  rt::Pool* pool;
  compiler::Compiler* cache;
  CallBoard* board;
  CallLimits limits;
};

void run_on_worker(caf::stateful_actor<call_state>* self, rt::Pool* ex) {
  auto job = self->state.job;
  auto me = caf::actor_cast<caf::actor>(self);
  ex->post([job, me] {
    bool done = job->run();
    caf::anon_send(me, bus::done_atom::value, done);
  });
}

/// Finds the job's code in the cache, or asks the compiler actor for it; then hands the job to a
/// worker, which reports back with done_atom.
void compile_then_run(caf::stateful_actor<call_state>* self, caf::actor compiler, rt::Pool* ex,
                      compiler::Compiler* cache) {
  auto job = self->state.job;
  if (job->cached(*cache))
    return run_on_worker(self, ex);
  self->request(compiler, caf::infinite, bus::compile_atom::value, job)
      .then(
          [=](bool ok) {
            if (!ok)
              return finish(self, job->result());
            run_on_worker(self, ex);
          },
          [=](caf::error& err) {
            finish(self, CallJob::error_result(job->id(), "RuntimeError",
                                               "shoal: compiler unavailable: " + self->system().render(err)));
          });
}

/// One submitted call: decode, compile, run on a worker, re-run with arbitrary-precision ints
/// after an int64 overflow, deliver the result.
caf::behavior call_actor(caf::stateful_actor<call_state>* self, NodeParts node) {
  caf::actor compiler = node.compiler;
  rt::Pool* ex = node.pool;
  compiler::Compiler* cache = node.cache;
  return {
      [=](bus::run_atom, const wire_msg& req) -> caf::response_promise {
        self->state.rp = self->make_response_promise();
        self->state.job = std::make_shared<CallJob>(req.data, node.limits);
        self->state.job->set_board(node.board);
        if (!self->state.job->decode()) {
          log(LogLevel::Warning, "rejected a malformed request");
          finish(self, self->state.job->result());
          return self->state.rp;
        }
        compile_then_run(self, compiler, ex, cache);
        return self->state.rp;
      },
      [=](bus::done_atom, bool done) {
        if (done)
          return finish(self, self->state.job->result());
        self->state.job->set_wide();
        compile_then_run(self, compiler, ex, cache);
      },
  };
}

/// The gateway: accepts calls from local and remote clients and gives each to a call actor.
caf::behavior gateway_actor(caf::event_based_actor* self, NodeParts node, std::string model_file) {
  self->set_default_handler([](caf::scheduled_actor*, caf::message_view& x) -> caf::result<caf::message> {
    log(LogLevel::Warning, "rejected an unexpected message: " + to_string(x.content()));
    return caf::sec::unexpected_message;
  });
  return {
      [=](bus::submit_atom, const wire_msg& req) {
        auto call = self->spawn(call_actor, node);
        return self->delegate(call, bus::run_atom::value, req);
      },
      [=](bus::status_atom, const wire_msg& req) {
        return wire_msg{node_status(*node.pool, *node.board, model_file, req.data)};
      },
      [](bus::ping_atom) { return bus::ping_atom::value; },
  };
}

/// The statistical-cost actor: writes the node's cost model (read when the node started) back to
/// its data directory every few seconds when it learned something, and once more when the node
/// stops. The model itself is the pool's (runtime/cost_model.hpp); the scheduler reads it.
caf::behavior cost_actor(caf::event_based_actor* self, rt::Pool* pool, std::string path) {
  constexpr auto every = std::chrono::seconds(5);
  auto saved = std::make_shared<uint64_t>(pool->records());
  self->delayed_send(self, every, bus::save_atom::value);
  return {[=](bus::save_atom) {
    if (pool->records() != *saved) {
      std::string err;
      if (!save_cost_model(*pool, path, &err))
        log(LogLevel::Warning, "cost model " + path + " not written: " + err);
      *saved = pool->records();
    }
    self->delayed_send(self, every, bus::save_atom::value);
  }};
}

} // namespace

struct Cluster::Impl {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::unique_ptr<rt::Pool> executor;
  std::shared_ptr<compiler::Compiler> compiler;
  caf::actor gateway;
  caf::actor compiler_actor;
  caf::actor watcher;
  caf::actor cost;
  CallBoard board;
  std::string model_file;
  unsigned workers = 0;
  /// Set when the connection to a remote node broke: CAF 0.17 then cannot finish shutting the
  /// client's actor system down (its logger stays referenced), so that system is left behind.
  std::shared_ptr<std::atomic<bool>> lost = std::make_shared<std::atomic<bool>>(false);

  void start() {
    bus::register_types(cfg);
    cfg.load<caf::io::middleman>();
    cfg.set("scheduler.max-threads", 2);
    cfg.set("logger.verbosity", caf::atom("quiet"));
    cfg.set("middleman.enable-automatic-connections", false);
    sys = std::make_unique<caf::actor_system>(cfg);
  }
};

Cluster::Cluster() : impl_(std::make_unique<Impl>()) {}

Cluster::~Cluster() {
  if (impl_->watcher)
    caf::anon_send_exit(impl_->watcher, caf::exit_reason::user_shutdown);
  impl_->watcher = nullptr;
  if (impl_->sys && *impl_->lost) {
    (void)impl_.release(); // the client's actor system is deliberately left behind: see Impl::lost
    return;
  }
  if (impl_->sys && impl_->compiler_actor) {
    // an embedded node: stop its actors (a remote node's gateway is never ours to stop)
    caf::anon_send_exit(impl_->gateway, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(impl_->compiler_actor, caf::exit_reason::user_shutdown);
    if (impl_->cost)
      caf::anon_send_exit(impl_->cost, caf::exit_reason::user_shutdown);
  }
  // handles keep actors alive: drop ours so the system can finish
  impl_->gateway = nullptr;
  impl_->compiler_actor = nullptr;
  impl_->cost = nullptr;
  impl_->sys.reset();
  if (impl_->executor && !impl_->model_file.empty()) {
    std::string err;
    if (!save_cost_model(*impl_->executor, impl_->model_file, &err))
      log(LogLevel::Warning, "cost model " + impl_->model_file + " not written: " + err);
  }
  impl_->executor.reset();
}

std::unique_ptr<Cluster> Cluster::embedded(const NodeOptions& opts) {
  std::unique_ptr<Cluster> c(new Cluster());
  auto& i = *c->impl_;
  i.start();
  i.workers = opts.workers ? opts.workers : 1;
  i.executor = std::make_unique<rt::Pool>(rt::PoolOptions{i.workers, opts.stack_bytes});
  if (opts.limits.memory_limit > 0)
    rt::gc_set_heap_limit(size_t(opts.limits.memory_limit));
  i.compiler = std::make_shared<compiler::Compiler>();
  i.compiler_actor = i.sys->spawn<caf::detached>(compiler_actor, i.compiler);
  i.model_file = cost_model_path(opts.data_dir);
  if (!i.model_file.empty()) {
    std::string error;
    if (!load_cost_model(*i.executor, i.model_file, &error))
      log(LogLevel::Warning, "cost model " + i.model_file + " not read (starting afresh): " + error);
    i.cost = i.sys->spawn(cost_actor, i.executor.get(), i.model_file);
  }
  NodeParts parts{i.compiler_actor, i.executor.get(), i.compiler.get(), &i.board, opts.limits};
  i.gateway = i.sys->spawn(gateway_actor, parts, i.model_file);
  return c;
}

std::unique_ptr<Cluster> Cluster::remote(const std::string& host, uint16_t port) {
  std::unique_ptr<Cluster> c(new Cluster());
  auto& i = *c->impl_;
  i.start();
  auto gw = i.sys->middleman().remote_actor(host, port);
  if (!gw)
    throw std::runtime_error("cannot connect to " + host + ":" + std::to_string(port) + ": " +
                             i.sys->render(gw.error()));
  i.gateway = *gw;
  auto lost = i.lost;
  i.watcher = i.sys->spawn([gw = i.gateway, lost](caf::event_based_actor* self) -> caf::behavior {
    self->monitor(gw);
    self->set_down_handler([=](caf::down_msg&) {
      *lost = true;
      log(LogLevel::Warning, "lost the connection to the node");
      self->quit();
    });
    return {[](bus::ping_atom) {}};
  });
  return c;
}

void Cluster::submit(bus::bytes request, std::function<void(bus::bytes)> done) {
  caf::actor gw = impl_->gateway;
  auto lost = impl_->lost;
  impl_->sys->spawn([gw, req = std::move(request), done, lost](caf::event_based_actor* self) {
    // a node that goes away (or a lost connection) answers with a ConnectionError, never silence
    auto answered = std::make_shared<bool>(false);
    auto answer = [=](bus::bytes result) {
      if (*answered)
        return;
      *answered = true;
      done(std::move(result));
      self->quit();
    };
    self->monitor(gw);
    self->set_down_handler([=](caf::down_msg& dm) {
      *lost = true;
      answer(CallJob::error_result(0, "ConnectionError",
                                   "shoal: the node went away before answering (" + self->system().render(dm.reason) +
                                       ")"));
    });
    self->request(gw, caf::infinite, bus::submit_atom::value, wire_msg{req})
        .then([=](const wire_msg& r) { answer(r.data); },
              [=](caf::error& err) {
                answer(CallJob::error_result(0, "ConnectionError",
                                             "shoal: the node did not answer: " + self->system().render(err)));
              });
  });
}

uint16_t Cluster::listen(const std::string& host, uint16_t port) {
  auto p = impl_->sys->middleman().publish(impl_->gateway, port, host.c_str(), true);
  if (!p)
    throw std::runtime_error("cannot listen on " + host + ":" + std::to_string(port) + ": " +
                             impl_->sys->render(p.error()));
  return *p;
}

bus::bytes Cluster::status(const bus::bytes& request) {
  caf::scoped_actor self{*impl_->sys};
  bus::bytes out;
  std::string error;
  self->request(impl_->gateway, std::chrono::seconds(10), bus::status_atom::value, wire_msg{request})
      .receive([&](const wire_msg& r) { out = r.data; },
               [&](caf::error& err) { error = self->system().render(err); });
  if (!error.empty())
    throw std::runtime_error("the node did not report its status: " + error);
  return out;
}

void Cluster::await() { impl_->sys->await_all_actors_done(); }

unsigned Cluster::workers() const { return impl_->workers; }

} // namespace shoal::actors
