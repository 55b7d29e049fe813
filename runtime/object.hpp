#pragma once
/// The runtime object model shared by compiled code and the C++ runtime: boxed values (Val), heap
/// objects (allocated by the Boehm collector), the per-call context (Ctx) and exceptions.
/// Compiled code passes Val in two registers and reads Ctx fields at fixed offsets: the layout
/// of Val and the first fields of Ctx are ABI and must not be reordered.

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <gmp.h>

namespace shoal::rt {

/// Type tag of a boxed value. Ints that fit int64 are always Int; Big holds only the rest.
enum class Tag : uint64_t {
  None = 0,
  Bool = 1,
  Int = 2,
  Float = 3,
  Big = 4,
  Str = 5,
  Tuple = 6,
  Func = 7,
  Exc = 8,
  Module = 9,
  Builtin = 10,
  ExcType = 11,
  List = 12,      ///< List*
  Dict = 13,      ///< Table*
  Set = 14,       ///< Table*
  FrozenSet = 15, ///< Table*
  Instance = 16,  ///< Instance* of a user class
  Class = 17,     ///< ClassObj* (a user class)
  Iter = 18,      ///< Iter* (any iterator, incl. generators and dict views' iterators)
  Range = 19,     ///< RangeObj*
  View = 20,      ///< DictView* (d.keys(), d.values(), d.items())
  Method = 21,    ///< BoundMethod* (a bound method of a built-in or user object)
  Dummy = 63,     ///< internal: a deleted hash-table entry; never a Python value
};

/// A Python value in two machine words: the tag and the payload (int64, double bits, bool, pointer).
struct Val {
  Tag tag;
  uint64_t bits;
};

/// An integer outside int64, immutable once built.
struct BigInt {
  mpz_t z;
};

/// An immutable UTF-8 string; data is NUL-terminated, len counts bytes.
struct Str {
  int64_t len;
  int64_t ncp;  ///< code points
  int64_t hash; ///< hash(s), or -1 until first asked for (see str_hash)
  char data[1];
};

/// An immutable tuple.
struct Tuple {
  int64_t n;
  Val items[1];
};

/// Built-in exception classes, in the order of exc_table (runtime/exceptions.cpp), which also
/// records each one's base so that except clauses match subclasses.
enum class ExcKind : int32_t {
  BaseException,
  Exception,
  ArithmeticError,
  ZeroDivisionError,
  OverflowError,
  FloatingPointError,
  LookupError,
  IndexError,
  KeyError,
  ValueError,
  TypeError,
  NameError,
  UnboundLocalError,
  RuntimeError,
  RecursionError,
  NotImplementedError,
  AssertionError,
  AttributeError,
  MemoryError,
  StopIteration,
  KeyboardInterrupt,
  SystemExit,
  UnsupportedError, ///< shoal.UnsupportedError, a subclass of Exception
  ImmutabilityError, ///< shoal.ImmutabilityError: a frozen (shared) value was mutated
  Deopt,            ///< internal: an int64 fast path overflowed; not catchable by user code
  Count
};

/// One traceback entry, newest first.
struct TraceFrame {
  const char* file;
  const char* function;
  int64_t line;
  TraceFrame* next;
};

/// A raised exception.
struct Instance;
struct Exc {
  ExcKind kind;
  Val args; ///< a Tuple of the constructor arguments
  TraceFrame* tb;
  Instance* inst; ///< an instance of a user exception class (its class and attributes), or null
};

/// Per-call state, passed as the first argument of every compiled function.
struct Ctx {
  Exc* exc;              ///< offset 0: pending exception, or null
  int64_t depth;         ///< offset 8: current call depth
  int64_t depth_limit;   ///< offset 16: RecursionError beyond this
  int64_t memory_limit;  ///< bytes one big value may take before MemoryError
  std::string* out;      ///< print() output of this call
  Exc* handling;         ///< the exception being handled by the innermost except block (bare raise)
  /// offset 48: how many workers of this call's pool look for work; compiled code reads it
  /// inline before it considers running pieces in parallel (never null).
  const std::atomic<int>* idle = &no_idle_workers;
  /// offset 56: parallel constructs and forks compiled code skips before it asks the run time
  /// again, after the run time declined one (a decline costs far more than the check).
  int64_t par_skip = 0;
  /// offset 64: the deepest call depth at which a recursive fork site still asks the run time;
  /// a decline by prediction moves it above that depth, for the rest of this call.
  int64_t fork_frontier = INT64_MAX / 2;
  struct Trace* trace = nullptr; ///< where parallel pieces of this call are recorded, or null
  static const std::atomic<int> no_idle_workers;
};

static_assert(offsetof(Ctx, idle) == 48, "compiled code reads Ctx::idle at offset 48");
static_assert(offsetof(Ctx, par_skip) == 56, "compiled code counts Ctx::par_skip at offset 56");
static_assert(offsetof(Ctx, fork_frontier) == 64, "compiled code reads Ctx::fork_frontier at offset 64");

/// Allocation through the collector. Objects hold no destructors; atomic memory holds no pointers.
void* gc_alloc(size_t bytes);
void* gc_alloc_atomic(size_t bytes);
/// Memory the collector scans but never frees: release it with gc_free.
void* gc_alloc_uncollectable(size_t bytes);
void gc_free(void* p);
/// Sets up the collector and routes GMP's allocations through it. Idempotent; call on the main thread.
void gc_init();
/// Registers the calling thread with the collector (needed before it touches collected memory).
void gc_register_thread();
/// Caps the collected heap; an allocation beyond it raises MemoryError on the calling thread's
/// current call (see CallScope) instead of failing. The heap is one per process: the largest
/// limit asked for wins.
void gc_set_heap_limit(size_t bytes);

/// Marks the call running on this thread, so that exhausting memory raises MemoryError in it.
class CallScope {
public:
  explicit CallScope(Ctx* c);
  ~CallScope();
  CallScope(const CallScope&) = delete;
  CallScope& operator=(const CallScope&) = delete;

private:
  Ctx* previous_;
};

// ---- boxing helpers -------------------------------------------------------------------------
inline Val none() { return {Tag::None, 0}; }
inline Val box_bool(bool b) { return {Tag::Bool, b ? 1u : 0u}; }
inline Val box_int(int64_t i) { return {Tag::Int, static_cast<uint64_t>(i)}; }
Val box_float(double d);
inline Val box_ptr(Tag t, const void* p) { return {t, reinterpret_cast<uint64_t>(p)}; }
double unbox_float(Val v);
template <class T> T* as(Val v) { return reinterpret_cast<T*>(v.bits); }

// ---- exceptions (runtime/exceptions.cpp) ----------------------------------------------------
/// Raises kind with a message (args = (message,)), or with no args when msg is null.
void raise(Ctx* c, ExcKind kind, const char* msg);
void raise(Ctx* c, ExcKind kind, const std::string& msg);
/// Whether an exception of kind `k` is caught by `except base`.
bool exc_matches(ExcKind k, ExcKind base);
const char* exc_name(ExcKind k);
/// Looks a built-in exception class up by its Python name; Count when unknown.
ExcKind exc_by_name(const std::string& name);
/// str(exc): '' for no args, str(arg) for one (repr for KeyError), repr(args) otherwise.
std::string exc_message(const Exc* e);
/// CPython's "f() takes 2 positional arguments but 3 were given" ("from 1 to 2" with defaults).
std::string too_many_positional(const std::string& fname, int64_t required, int64_t positional, int64_t given);
/// CPython's "f() missing 2 required positional arguments: 'a' and 'b'" (or keyword-only ones).
std::string missing_arguments(const std::string& fname, const std::vector<std::string>& names, bool kwonly);

// ---- strings (runtime/str.cpp) ----------------------------------------------------------------
Str* str_new(const char* data, int64_t len);
Str* str_new(const std::string& s);

} // namespace shoal::rt
