#pragma once
/// Worker threads that run compiled code: each has a large stack (deep Python recursion) and is
/// registered with the garbage collector. Tasks are run in submission order by whichever worker
/// is free. Later issues replace the single queue with work stealing.

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <pthread.h>
#include <vector>

namespace shoal::actors {

class Executor {
public:
  /// Starts `workers` threads, each with `stack_bytes` of (lazily committed) stack.
  Executor(unsigned workers, size_t stack_bytes);
  /// Finishes queued tasks, then joins the threads.
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;
  void post(std::function<void()> task);
  unsigned workers() const { return unsigned(threads_.size()); }

private:
  static void* thread_main(void* self);
  void loop();
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<pthread_t> threads_;
};

} // namespace shoal::actors
