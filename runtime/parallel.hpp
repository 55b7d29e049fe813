#pragma once
/// Parallel pieces of one call: the run-time half of what the compiler parallelises
/// (compiler/parallel.hpp decides what may run in parallel and outlines each construct's body
/// into a piece function).
///
/// A parallel construct runs its piece over chunks of an index range [0, n). Chunks are split off
/// lazily: only while a worker of the pool is idle and the remaining work, predicted from the
/// cost model or measured on the chunks run so far, is worth more than a split. Results are
/// combined in index order, never in completion order, so the answer does not depend on the
/// schedule or the number of workers: exact reductions (ints, lists, any/all) combine chunks of
/// any size; inexact ones (floats, or a type only known at run time) use blocks whose bounds are
/// a function of n alone. When pieces raise, the exception of the first one in index order wins,
/// as it would have first in CPython; later pieces are skipped once an earlier one decided.

#include "runtime/object.hpp"

#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace shoal::rt {

/// What a parallel construct computes; compiled code passes it as an int.
enum class ParKind : int64_t {
  Sum, Min, Max, Any, All, List, ///< sum/min/max/any/all(... for ...) and [... for ...]
  FoldAdd, FoldIAdd, FoldMul, FoldIMul, FoldMin, FoldMax, FoldOr, FoldAnd ///< for-loop accumulators
};
/// Flags of a parallel construct.
constexpr int64_t par_exact = 1; ///< combining is exact: chunk bounds may follow the schedule
/// Or'ed into the kind by the compiler: the elements call user functions or loop (likely
/// expensive), so an inexact reduction is blocked from 64 elements on instead of 16384.
constexpr int64_t par_heavy = 256;
/// The sequence is a tuple of lists and tuples the pieces zip (views of one index range of each).
constexpr int64_t par_zip = 2;
constexpr int64_t par_heavy_min_block = 64;
/// After declining, the run time is asked again only after this many more constructs or forks
/// (counted while a worker is idle): a decline costs ~100 ns, a recursive call a few.
constexpr int64_t par_skip_after_decline = 256;
/// Smallest block of an inexact reduction: up to this many elements it adds up left to right
/// exactly as CPython does; beyond, in at most 128 blocks of ceil(n/128) elements (or this many),
/// each summed left to right, combined left to right — on any number of workers. 16384 elements
/// make the per-block call (~100 ns) cost under 1% of even the cheapest float reduction; heavy
/// elements (par_heavy) use par_heavy_min_block, decided at compile time, so the blocks are
/// still a function of n and of the source alone.
constexpr int64_t par_min_block = 16384;

/// One record of the split tree of a call: a construct run in parallel, or one of its pieces.
struct TraceEvent {
  int64_t id;        ///< this record
  int64_t parent;    ///< the piece it ran inside (0: the call itself)
  std::string what;  ///< construct ("sum(...) at line 4") or "piece"
  int64_t line = 0;
  int64_t lo = 0, hi = 0; ///< index range of a piece; a construct: 0..n
  int worker = -1;
  double start = 0, seconds = 0; ///< since the call started
};

/// The split tree of one call (bounded: the first `limit` records).
struct Trace {
  std::mutex mu;
  std::vector<TraceEvent> events;
  std::chrono::steady_clock::time_point t0 = std::chrono::steady_clock::now();
  size_t limit = 20000;
  bool truncated = false;
  int64_t next_id = 1;
  /// An id for a record made later (records of a construct are kept only if it was split).
  int64_t reserve();
  /// Adds a finished record (dropped once the trace is full).
  void record(TraceEvent e);
  double now() const;
};

/// The construct (trace id) the calling thread is running a piece of: nests the split tree.
int64_t& current_trace_parent();

} // namespace shoal::rt

extern "C" {
/// Runs a parallel construct; returns a Val tagged Dummy when it declines (no idle worker, too
/// little predicted work, not on a pool thread): the caller then runs its sequential code.
/// vals: the piece, the sequence (None for a range: start/stop/step give it), the captured values
/// (a tuple) and the accumulator's initial value (folds). Vals travel through memory: a
/// two-word struct passed by value past the sixth register is not passed alike by LLVM and C.
shoal::rt::Val shoal_rt_par(shoal::rt::Ctx* c, int64_t kind, int64_t flags, const char* key, int64_t line,
                            const shoal::rt::Val* vals, int64_t start, int64_t stop, int64_t step);
/// Runs n independent calls (entry(ctx, depth, args, nargs, env)) at once, the longest predicted
/// first; results in out[i]. Returns 0 (nothing run) when it declines, else 1 with out filled or
/// the first call's (in source order) exception pending. A recursive call site passes its call's
/// frontier (&Ctx::fork_frontier, the deepest depth worth asking at) and its depth: a decline by
/// prediction moves the frontier above the depth, a worthwhile fork at it moves it one deeper.
int64_t shoal_rt_fork(shoal::rt::Ctx* c, int64_t n, const char* const* keys, void* const* entries,
                      void* const* envs, const shoal::rt::Val* args, const int64_t* nargs, shoal::rt::Val* out,
                      int64_t line, int64_t* frontier, int64_t depth);
}
