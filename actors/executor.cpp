#include "actors/executor.hpp"

#include "runtime/object.hpp"

#include <stdexcept>

namespace shoal::actors {

Executor::Executor(unsigned workers, size_t stack_bytes) {
  rt::gc_init();
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, stack_bytes);
  for (unsigned i = 0; i < (workers ? workers : 1); ++i) {
    pthread_t t;
    if (pthread_create(&t, &attr, &Executor::thread_main, this) != 0) {
      pthread_attr_destroy(&attr);
      throw std::runtime_error("cannot start worker thread");
    }
    threads_.push_back(t);
  }
  pthread_attr_destroy(&attr);
}

Executor::~Executor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  for (auto t : threads_)
    pthread_join(t, nullptr);
}

void Executor::post(std::function<void()> task) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void* Executor::thread_main(void* self) {
  rt::gc_register_thread();
  static_cast<Executor*>(self)->loop();
  return nullptr;
}

void Executor::loop() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty())
        return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

} // namespace shoal::actors
