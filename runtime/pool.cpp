#include "runtime/pool.hpp"

#include "runtime/cost_model.hpp"

#include <chrono>
#include <stdexcept>

namespace shoal::rt {

struct Pool::Worker {
  Pool* pool = nullptr;
  int index = 0;
  pthread_t thread{};
  std::mutex mu;
  std::deque<Task*> tasks; ///< back: newest (the owner's end); front: oldest (thieves' end)
};

namespace {
thread_local Pool::Worker* this_worker = nullptr;
thread_local bool top_level = false; ///< running a piece taken by the worker loop itself
std::atomic<int64_t> queued_tasks{0};

inline void cpu_relax() {
#if defined(__x86_64__)
  __builtin_ia32_pause();
#endif
}
} // namespace

Pool::Pool(const PoolOptions& opts) : opts_(opts), cost_(std::make_shared<CostModel>()) {
  gc_init();
  unsigned n = opts.workers ? opts.workers : 1;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, opts.stack_bytes);
  for (unsigned i = 0; i < n; ++i) {
    auto w = std::make_unique<Worker>();
    w->pool = this;
    w->index = int(i);
    workers_.push_back(std::move(w));
  }
  idle_ = int(n);
  for (auto& w : workers_)
    if (pthread_create(&w->thread, &attr, &Pool::thread_main, w.get()) != 0) {
      pthread_attr_destroy(&attr);
      throw std::runtime_error("cannot start worker thread");
    }
  pthread_attr_destroy(&attr);
}

Pool::~Pool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto& w : workers_)
    pthread_join(w->thread, nullptr);
}

void Pool::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    top_.push_back(std::move(task));
    waiting_.fetch_add(1);
  }
  cv_.notify_one();
}

Pool* Pool::current() { return this_worker ? this_worker->pool : nullptr; }
int Pool::current_worker() { return this_worker ? this_worker->index : -1; }
bool Pool::at_top_level() { return top_level; }

uint64_t Pool::queued() const {
  int64_t q = queued_tasks.load(std::memory_order_relaxed);
  return q > 0 ? uint64_t(q) : 0;
}

void* Pool::thread_main(void* arg) {
  gc_register_thread();
  auto* w = static_cast<Worker*>(arg);
  this_worker = w;
  w->pool->loop(*w);
  return nullptr;
}

bool Pool::spawn(Task* t) {
  Worker* w = this_worker;
  if (!w || w->pool != this)
    return false;
  {
    std::lock_guard<std::mutex> lock(w->mu);
    w->tasks.push_back(t);
  }
  queued_tasks.fetch_add(1); // sequentially consistent with the sleeper's check (see loop)
  if (sleepers_.load() > 0)
    wake();
  return true;
}

void Pool::wake() {
  std::lock_guard<std::mutex> lock(mu_);
  cv_.notify_one();
}

Task* Pool::find(Worker& w) {
  {
    std::lock_guard<std::mutex> lock(w.mu);
    if (!w.tasks.empty()) {
      Task* t = w.tasks.back();
      w.tasks.pop_back();
      queued_tasks.fetch_sub(1, std::memory_order_relaxed);
      return t;
    }
  }
  size_t n = workers_.size();
  for (size_t k = 1; k < n; ++k) {
    Worker& v = *workers_[(size_t(w.index) + k) % n];
    std::lock_guard<std::mutex> lock(v.mu);
    if (!v.tasks.empty()) {
      Task* t = v.tasks.front();
      v.tasks.pop_front();
      queued_tasks.fetch_sub(1, std::memory_order_relaxed);
      return t;
    }
  }
  return nullptr;
}

void Pool::execute(Worker& w, Task* t) {
  idle_.fetch_sub(1, std::memory_order_relaxed);
  if (t->detached) {
    t->run(t); // frees t
  } else {
    t->state.store(1, std::memory_order_relaxed);
    t->worker = w.index;
    t->run(t);
    t->state.store(2, std::memory_order_release);
  }
  idle_.fetch_add(1, std::memory_order_relaxed);
}

void Pool::help_until(const std::function<bool()>& done) {
  Worker& w = *this_worker;
  bool saved = top_level;
  top_level = false;
  idle_.fetch_add(1, std::memory_order_relaxed);
  while (!done()) {
    if (Task* other = find(w))
      execute(w, other);
    else
      cpu_relax();
  }
  top_level = saved;
  idle_.fetch_sub(1, std::memory_order_relaxed);
}

void Pool::join(Task* t) {
  Worker& w = *this_worker;
  {
    std::lock_guard<std::mutex> lock(w.mu);
    for (auto it = w.tasks.rbegin(); it != w.tasks.rend(); ++it)
      if (*it == t) {
        w.tasks.erase(std::next(it).base());
        queued_tasks.fetch_sub(1, std::memory_order_relaxed);
        goto run_here;
      }
  }
  // taken by another worker: help with other work until it is done
  help_until([t] { return t->state.load(std::memory_order_acquire) == 2; });
  return;
run_here:
  t->state.store(1, std::memory_order_relaxed);
  t->worker = w.index;
  t->run(t);
  t->state.store(2, std::memory_order_release);
}

void Pool::loop(Worker& w) {
  using clock = std::chrono::steady_clock;
  auto last_work = clock::now();
  for (;;) {
    // a waiting call comes before pieces of running ones: a new call gets the next free worker
    std::function<void()> call;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!top_.empty()) {
        call = std::move(top_.front());
        top_.pop_front();
        waiting_.fetch_sub(1);
      }
    }
    if (call) {
      idle_.fetch_sub(1, std::memory_order_relaxed);
      top_level = false;
      call();
      idle_.fetch_add(1, std::memory_order_relaxed);
      last_work = clock::now();
      continue;
    }
    if (Task* t = find(w)) {
      top_level = true;
      execute(w, t);
      top_level = false;
      last_work = clock::now();
      continue;
    }
    if (clock::now() - last_work > std::chrono::microseconds(200)) {
      // nothing to do for a while: sleep until a call or a split arrives
      std::unique_lock<std::mutex> lock(mu_);
      if (stopping_ && top_.empty())
        break;
      sleepers_.fetch_add(1);
      cv_.wait_for(lock, std::chrono::milliseconds(20),
                   [&] { return stopping_ || !top_.empty() || queued_tasks.load() > 0; });
      sleepers_.fetch_sub(1);
      continue;
    }
    for (int i = 0; i < 64 && queued_tasks.load(std::memory_order_relaxed) <= 0; ++i)
      cpu_relax();
  }
  idle_.fetch_sub(1, std::memory_order_relaxed);
}

double Pool::predict(const std::string& key, const std::vector<double>& features) {
  std::lock_guard<std::mutex> lock(cost_mu_);
  // a few new records are fitted at the next prediction, at most every 50 ms
  auto now = std::chrono::steady_clock::now();
  if (records_since_fit_ > 0 && now - last_fit_ > std::chrono::milliseconds(50)) {
    cost_->refit();
    records_since_fit_ = 0;
    last_fit_ = now;
  }
  auto p = cost_->predict(key, features);
  return p ? *p : -1.0;
}

void Pool::record(const std::string& key, const std::vector<double>& features, double seconds) {
  std::lock_guard<std::mutex> lock(cost_mu_);
  cost_->record(key, features, seconds);
  records_.fetch_add(1, std::memory_order_relaxed);
  // refitting is cheap but not free: batch it
  if (++records_since_fit_ >= 32) {
    cost_->refit();
    records_since_fit_ = 0;
  }
}

} // namespace shoal::rt
