#pragma once
/// The compiler's driver and its only public API: program → parse → resolve scopes → infer types
/// → lower to LLVM IR → optimise → JIT, cached by (program hash, entry, argument types, int mode).
/// No LLVM types cross this header; errors come back in the result, never as exceptions.

#include "runtime/object.hpp"

#include "compiler/program.hpp"

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace shoal::wire {
struct Program;
struct Value;
} // namespace shoal::wire

namespace shoal::compiler {

/// A compiled entry point: unboxes args (one Val per parameter), runs, boxes the result.
using EntryFn = void (*)(rt::Ctx*, const rt::Val* args, rt::Val* out);

struct CompileResult {
  EntryFn entry = nullptr;
  std::string error_type;    ///< "UnsupportedError", "TypeError"; empty on success
  std::string error_message;
  std::string error_file;
  int error_line = 0;
  bool cache_hit = false;
  double seconds = 0;
  std::vector<std::pair<std::string, std::string>> dumps; ///< stage name → text
  size_t nparams = 0;        ///< the entry's parameter count: args are bound to these in order
  /// The program's classes as compiled code lays them out (rt::ClassObj*), by wire index: the
  /// arguments' instances are built with them.
  const void* const* classes = nullptr;
  size_t nclasses = 0;
  /// What compiler/parallel.cpp decided about each construct of the program (cluster.explain).
  std::shared_ptr<const std::vector<ParDecision>> parallel;
};

class Compiler {
public:
  Compiler();
  ~Compiler();
  /// Compiles fn number `entry` of the program for these argument values (positional, then
  /// keyword arguments already bound by name). `wide` compiles ints as arbitrary-precision boxes.
  /// `dump` is a comma list of ast,ir,llvm. Thread-safe.
  /// With only_cached, returns at once: the cached entry, or no entry and no error on a miss.
  CompileResult compile(const void* program_reader, uint32_t entry, const void* args_reader,
                        const void* kwargs_reader, bool wide, const std::string& dump, bool only_cached = false);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace shoal::compiler
