#pragma once
/// The compiler's user-facing errors, in one catalogue. The compiler throws CompileError inside;
/// the driver turns it into an expected-style result at its API.

#include <stdexcept>
#include <string>

namespace shoal::compiler {

/// A construct outside the supported subset (Python type name UnsupportedError), or a program the
/// compiler cannot type (TypeError), with the user's file and line.
class CompileError : public std::runtime_error {
public:
  CompileError(std::string type, std::string file, int line, const std::string& what)
      : std::runtime_error(file + ", line " + std::to_string(line) + ": " + what),
        type_(std::move(type)), file_(std::move(file)), line_(line) {}
  const std::string& type() const { return type_; }
  const std::string& file() const { return file_; }
  int line() const { return line_; }

private:
  std::string type_;
  std::string file_;
  int line_;
};

/// "<construct> is not supported" at file:line.
[[noreturn]] inline void unsupported(const std::string& file, int line, const std::string& construct) {
  throw CompileError("UnsupportedError", file, line, construct + " is not supported by shoal yet");
}

} // namespace shoal::compiler
