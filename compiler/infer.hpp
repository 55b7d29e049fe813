#pragma once
/// Type inference: specialises each called function on the types of its arguments and finds the
/// type of every variable and expression by iterating to a fixed point (recursion included).
/// The annotated tree (Spec) is the typed IR that codegen lowers to LLVM.

#include "compiler/program.hpp"
#include "compiler/types.hpp"

#include <memory>
#include <optional>
#include <unordered_map>

namespace llvm {
class Function;
}

namespace shoal::compiler {

/// One specialisation of a function on argument types: the typed IR of that function.
struct Spec {
  FuncInfo* fn = nullptr;
  std::vector<const Type*> args; ///< one per parameter (positional then keyword-only)
  const Spec* env = nullptr;     ///< the enclosing function's instance (nested functions)
  const Type* ret = nullptr;
  std::map<std::string, const Type*> vars;
  std::unordered_map<const Node*, const Type*> types;
  std::unordered_map<const Node*, Spec*> calls; ///< call sites of user functions
  std::unordered_map<const Node*, Spec*> calls2; ///< a second callee at a site (a constructor's __init__)
  /// How a call site is compiled when it is not a plain call of a known function.
  enum class CallKind { RuntimeBuiltin, Method, RuntimeMethod, Construct, Super, ClassMethod, StarCall };
  std::unordered_map<const Node*, CallKind> call_kinds;
  llvm::Function* llfn = nullptr;
  int id = 0;
  std::string str() const;
};

/// How one parameter gets its value at a call site.
struct ArgSource {
  enum class K { Positional, Keyword, Default, SourceDefault, Missing, Implicit, VarArgs, KwArgs } k = K::Missing;
  Node* node = nullptr;          ///< the argument (Positional/Keyword) or default expression
  const PyConst* value = nullptr; ///< bridge-supplied default
  int slot = 0;                   ///< SourceDefault: index of the value saved in the closure env; Implicit: which
  std::vector<Node*> rest;        ///< VarArgs: the extra positional arguments; KwArgs: the extra Keyword nodes
};

/// Every parameter of a function in spec order: positional-or-keyword, keyword-only, then *args
/// and **kwargs when present.
std::vector<std::string> param_names(const Params& p);

/// Matches a call's arguments to fn's parameters; the first `implicit` parameters (self, cls) are
/// supplied by the caller. Sets error to CPython's TypeError message when they do not fit.
std::vector<ArgSource> bind_args(const FuncInfo* fn, const Node* call, std::string& error, size_t implicit = 0);

/// The type of a compile-time value.
const Type* const_type(Types& types, const PyConst& c, const std::string& file, int line);

class Infer {
public:
  Infer(Program& prog, Types& types) : prog_(prog), types_(types) {}
  /// Infers everything reachable from calling fn with args. Throws CompileError.
  Spec* run(FuncInfo* fn, const std::vector<const Type*>& args);
  const std::vector<std::unique_ptr<Spec>>& specs() const { return specs_; }
  /// The type of a variable seen from s (local, or free through the enclosing instances).
  const Type* var_type(const Spec* s, const std::string& name) const;
  /// The instance owning a free variable of s.
  const Spec* owner(const Spec* s, const std::string& name) const;
  /// The all-boxed specialisation behind a function value that was boxed, or nullptr.
  Spec* generic(const Type* func) const;
  const std::map<const Type*, Spec*>& generics() const { return generic_; }
  /// Specs the run time calls with boxed arguments besides the generics: the pieces of parallel
  /// constructs and the calls a fork runs at once (each gets a generic-style entry).
  const std::set<Spec*>& entries() const { return entries_; }
  const Program& program() const { return prog_; }

private:
  Program& prog_;
  Types& types_;
  std::vector<std::unique_ptr<Spec>> specs_;
  std::map<const Type*, Spec*> generic_;
  std::set<Spec*> entries_;
  /// __shoal_par / __shoal_fork / __shoal_empty (compiler/parallel.hpp).
  const Type* parallel_call(Spec* s, Node* n);
  bool changed_ = false;
  void add_generic_specs();

  Spec* spec_for(FuncInfo* fn, std::vector<const Type*> args, const Spec* env);
  void infer(Spec* s);
  void body(Spec* s, const std::vector<Node*>& stmts);
  void stmt(Spec* s, Node* n);
  const Type* expr(Spec* s, Node* n);
  const Type* expr_impl(Spec* s, Node* n);
  void assign(Spec* s, Node* target, const Type* t);
  void set_var(Spec* s, const std::string& name, const Type* t);
  const Type* name(Spec* s, Node* n);
  const Type* call(Spec* s, Node* n);
  const Type* user_call(Spec* s, Node* n, const Type* f);
  const Type* builtin_call(Spec* s, Node* n, const std::string& name);
  const Type* genexp(Spec* s, Node* g);
  const Type* iter_elem(Spec* s, Node* iter);
  const Type* attribute(Spec* s, Node* n);
  const Type* subscript(Spec* s, Node* n);
  const Type* binop(int op, const Type* l, const Type* r, const Node* right);
  const Type* aggregate(Spec* s, Node* n, const std::string& name, const std::vector<const Type*>& args);
  /// Specialises a method (or property accessor) called with these argument types.
  Spec* method_spec(Spec* s, Node* site, FuncInfo* fn, std::vector<const Type*> args);
  /// A call of fn where the first implicit.size() parameters are given (self, cls).
  const Type* bound_call(Spec* s, Node* n, FuncInfo* fn, const Spec* env, std::vector<const Type*> implicit);
  const Type* method_call(Spec* s, Node* n);
  const Type* construct(Spec* s, Node* n, ClassInfo* cls);
  const Type* comprehension(Spec* s, Node* g);
  /// A value that reaches code that only knows it boxed (a container, the run time): functions
  /// in it need their generic entries.
  void escape(const Type* t) { types_.join(t, types_.dyn()); }
  /// Whether a built-in call goes to the run time's implementation over boxed values.
  bool runtime_builtin(Spec* s, Node* n, const std::string& name);
};

/// Result type of `l op r` for rt::BinOp op (Dyn where only the runtime knows).
const Type* binop_type(Types& types, int op, const Type* l, const Type* r, const Node* right);
/// Whether control can run off the end of these statements (true when unsure): a function whose
/// body cannot returns no implicit None.
bool falls_through(const std::vector<Node*>& stmts);
/// The value of a constant int such as `3` or `-1`, if n is one.
std::optional<int64_t> const_int(const Node* n);
/// The result type of a built-in the run time implements (sets known), or nullptr.
const Type* runtime_builtin_type(Types& types, const std::string& name, bool& known);
/// Names of exception classes known to shoal.
bool is_exception_name(const std::string& name);

} // namespace shoal::compiler
