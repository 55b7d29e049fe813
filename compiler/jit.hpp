#pragma once
/// The JIT behind a narrow wrapper over LLVM's LLJIT: optimise a module for the host CPU, add it,
/// look a symbol up. Runtime entry points are resolved from rt::runtime_symbols().

#include <memory>
#include <string>

namespace llvm {
class Module;
class LLVMContext;
} // namespace llvm

namespace shoal::compiler {

class Jit {
public:
  /// Throws std::runtime_error if the host target cannot be set up.
  Jit();
  ~Jit();
  /// The data layout string modules must use.
  std::string data_layout() const;
  std::string target_triple() const;
  /// Runs the O2 pipeline over the module.
  void optimise(llvm::Module& m);
  /// Takes ownership of module and context, returns the address of symbol.
  void* add(std::unique_ptr<llvm::Module> m, std::unique_ptr<llvm::LLVMContext> ctx, const std::string& symbol);
  /// The address of a symbol of a module already added.
  void* lookup(const std::string& symbol);

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace shoal::compiler
