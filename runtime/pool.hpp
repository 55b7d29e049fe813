#pragma once
/// The node's worker threads: one per configured core, each with a large stack (deep Python
/// recursion), registered with the garbage collector. Top-level calls enter through one FIFO
/// queue; the pieces a running call splits off go onto the splitting worker's own deque, from
/// which idle workers steal (oldest first) and the owner takes back (newest first) when nobody
/// did. A split is a push under an uncontended lock: well under a microsecond.

#include "runtime/object.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <pthread.h>
#include <vector>

namespace shoal::rt {

class Pool;
class CostModel;

/// A piece of work that may run on another worker. Allocate with gc_alloc_uncollectable (the
/// collector must see what it points to) and free after join().
struct Task {
  void (*run)(Task*) = nullptr;
  bool detached = false;     ///< nobody joins it: run() frees it, the pool does not touch it after
  std::atomic<int> state{0}; ///< 0 queued, 1 running, 2 done
  int worker = -1;           ///< who ran it
};

/// Scheduling settings of a node (config keys of `shoal node`).
struct PoolOptions {
  unsigned workers = 1;
  size_t stack_bytes = size_t(1) << 30; ///< per worker, committed lazily
  /// Work predicted to take less than this runs sequentially instead of being split: a split
  /// and a steal cost a few microseconds on this machine (bench/README.md), so 50 µs keeps the
  /// overhead near 5% of the smallest piece worth moving.
  double split_threshold_seconds = 50e-6;
  /// Target duration of one chunk of a parallel loop between two checks for idle workers.
  double chunk_seconds = 20e-6;
};

class Pool {
public:
  explicit Pool(const PoolOptions& opts);
  /// Finishes the queued top-level tasks, then joins the threads.
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// Queues a top-level task (a call); workers take them in order.
  void post(std::function<void()> task);
  unsigned workers() const { return unsigned(workers_.size()); }
  const PoolOptions& options() const { return opts_; }
  /// Workers currently looking for work (what compiled code reads through Ctx::idle).
  const std::atomic<int>* idle() const { return &idle_; }

  /// The pool and index of the calling thread, or null/-1 off the pool.
  static Pool* current();
  static int current_worker();
  /// Offers t to idle workers (pushes it on this worker's deque). False off the pool.
  bool spawn(Task* t);
  /// Returns when t has run: runs it here if nobody took it, else helps with other work.
  void join(Task* t);
  /// Runs other work (pieces only) until done() holds.
  void help_until(const std::function<bool()>& done);
  /// Whether a top-level call waits for a worker (a worker running a piece of another call then
  /// hands the rest of its piece back and takes the call).
  bool calls_waiting() const { return waiting_.load(std::memory_order_relaxed) > 0; }
  /// Whether this thread runs a piece straight from its worker loop (not while it waits for
  /// pieces of a call of its own): only then does handing work back free it for a new call.
  static bool at_top_level();

  /// Predicted seconds of the work named key with these features, from the node's cost model.
  double predict(const std::string& key, const std::vector<double>& features);
  /// How many runs were recorded so far (to know when the model changed).
  uint64_t records() const { return records_.load(std::memory_order_relaxed); }
  /// Records an observed run for the cost model.
  void record(const std::string& key, const std::vector<double>& features, double seconds);
  /// The node's cost model (shared with the statistical-cost actor); lock cost_mutex() to use it.
  std::shared_ptr<CostModel> cost_model() const { return cost_; }
  std::mutex& cost_mutex() { return cost_mu_; }

  /// Counters for progress reports: pieces (chunks of parallel constructs, forked calls) run,
  /// and ranges or calls waiting on deques.
  std::atomic<uint64_t> pieces_done{0};
  uint64_t queued() const;

  struct Worker;

private:
  static void* thread_main(void* self);
  void loop(Worker& w);
  Task* find(Worker& w);
  void execute(Worker& w, Task* t);
  void wake();

  PoolOptions opts_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::atomic<int> idle_{0};
  std::atomic<int> sleepers_{0};
  std::mutex mu_; ///< guards top_, stopping_ and the sleep condition
  std::condition_variable cv_;
  std::deque<std::function<void()>> top_;
  std::atomic<bool> stopping_{false};
  std::atomic<int> waiting_{0};
  std::shared_ptr<CostModel> cost_;
  std::mutex cost_mu_;
  uint64_t records_since_fit_ = 0;
  std::chrono::steady_clock::time_point last_fit_{};
  std::atomic<uint64_t> records_{0};
};

} // namespace shoal::rt
