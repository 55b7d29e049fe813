#include "runtime/object.hpp"

#define GC_THREADS
#include <gc/gc.h>

#include <cstdlib>
#include <cstring>
#include <mutex>

namespace shoal::rt {

namespace {
thread_local Ctx* current_call = nullptr;

/// Called by the collector when the heap limit or the machine's memory is exhausted: the call
/// running on this thread gets a MemoryError, and the allocation is served outside the collected
/// heap so that the compiled code reaches its next exception check and unwinds.
void* on_out_of_memory(size_t bytes) {
  if (current_call && !current_call->exc)
    raise(current_call, ExcKind::MemoryError, nullptr);
  void* p = std::calloc(1, bytes ? bytes : 1);
  if (!p)
    std::abort(); // the machine itself is out of memory
  return p;
}

// GMP's temporary blocks link to one another from inside themselves (its reentrant TMP_ALLOC),
// so its memory must be scanned: atomic blocks would let the collector free live temporaries.
void* gmp_alloc(size_t n) { return GC_MALLOC(n); }
void* gmp_realloc(void* p, size_t, size_t n) { return GC_REALLOC(p, n); }
void gmp_free(void*, size_t) {} // the collector reclaims limbs

/// Unregisters a thread from the collector when it exits.
struct thread_registration {
  bool registered = false;
  ~thread_registration() {
    if (registered)
      GC_unregister_my_thread();
  }
};
thread_local thread_registration registration;
} // namespace

void gc_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    GC_INIT();
    GC_allow_register_threads();
    GC_set_oom_fn(on_out_of_memory);
    GC_set_warn_proc([](char*, GC_word) {}); // out-of-memory is reported as MemoryError instead
    mp_set_memory_functions(gmp_alloc, gmp_realloc, gmp_free);
  });
}

void gc_register_thread() {
  if (registration.registered || GC_thread_is_registered())
    return;
  GC_stack_base sb;
  GC_get_stack_base(&sb);
  GC_register_my_thread(&sb);
  registration.registered = true;
}

void gc_set_heap_limit(size_t bytes) {
  // one collected heap per process: the largest limit any embedded node asked for
  static std::mutex mu;
  static size_t current = 0;
  std::lock_guard<std::mutex> lock(mu);
  if (bytes > current) {
    current = bytes;
    GC_set_max_heap_size(bytes);
  }
}

Ctx* current_ctx() { return current_call; }

CallScope::CallScope(Ctx* c) : previous_(current_call) { current_call = c; }
CallScope::~CallScope() { current_call = previous_; }

void* gc_alloc(size_t bytes) { return GC_MALLOC(bytes); }
void* gc_alloc_atomic(size_t bytes) { return GC_MALLOC_ATOMIC(bytes); }
void* gc_alloc_uncollectable(size_t bytes) { return GC_MALLOC_UNCOLLECTABLE(bytes); }
void gc_free(void* p) { GC_FREE(p); }

const std::atomic<int> Ctx::no_idle_workers{0};

Val box_float(double d) {
  Val v{Tag::Float, 0};
  std::memcpy(&v.bits, &d, sizeof d);
  return v;
}

double unbox_float(Val v) {
  double d;
  std::memcpy(&d, &v.bits, sizeof d);
  return d;
}

} // namespace shoal::rt
