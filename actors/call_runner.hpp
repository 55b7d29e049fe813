#pragma once
/// One submitted call, as plain steps the call actor drives: decode the request, compile it,
/// run it on a worker thread, encode the result. No actors, no sockets: unit-testable alone.

#include "bus/codec.hpp"
#include "compiler/compiler.hpp"

#include <memory>
#include <string>

namespace shoal::actors {

/// Node-wide limits applied to every call.
struct CallLimits {
  unsigned recursion_limit = 1000;
  int64_t memory_limit = int64_t(1) << 32;
  std::string dump; ///< compiler stages to dump, unless the request asks for its own
};

class CallJob {
public:
  CallJob(bus::bytes request, CallLimits limits);
  /// Whether the request decoded; if not, result() already holds the error.
  bool decode();
  /// Compiles (cached) for the arguments; with wide set, ints are arbitrary-precision boxes.
  /// Returns false when compilation failed (result() holds the error).
  bool compile(compiler::Compiler& c);
  /// Takes the compiled code from the cache without compiling; false on a miss.
  bool cached(compiler::Compiler& c);
  /// Runs the compiled entry on this thread. Returns false when an int64 fast path overflowed
  /// and the call must be compiled wide and run again; otherwise result() is ready.
  bool run();
  bool wide() const { return wide_; }
  void set_wide() { wide_ = true; }
  uint64_t id() const { return id_; }
  /// Where the running call is registered for progress reports (optional).
  void set_board(class CallBoard* board) { board_ = board; }
  const bus::bytes& result() const { return result_; }
  /// An error result for a request that could not be handled at all.
  static bus::bytes error_result(uint64_t id, const std::string& type, const std::string& message);

private:
  bus::bytes request_;
  CallLimits limits_;
  std::unique_ptr<bus::message_in> in_;
  uint64_t id_ = 0;
  bool wide_ = false;
  compiler::CompileResult compiled_;
  double compile_seconds_ = 0;
  bus::bytes result_;
  class CallBoard* board_ = nullptr;
};

} // namespace shoal::actors
