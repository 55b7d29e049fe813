#pragma once
/// A submitted program as the compiler sees it: its functions (top-level ones from the bridge and
/// the nested defs and lambdas inside them), the values they close over, and each function's
/// scopes (locals, cells captured by inner functions, free variables, globals).

#include "compiler/ast.hpp"

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace shoal::wire {
struct Program;
}

namespace shoal::compiler {

struct FuncInfo;
struct ClassInfo;

/// A Python value known when compiling: a global, a closure value from the client, a default or
/// an argument.
struct PyConst {
  enum class T {
    None, Bool, Int, BigInt, Float, Str, Tuple, Function, Module, Builtin, Unsupported,
    List, Dict, Set, FrozenSet, Class, Instance
  } t = T::None;
  int64_t i = 0;
  double f = 0;
  std::string s;             ///< Str text, BigInt digits, Module/Builtin/Unsupported name
  std::vector<PyConst> items;       ///< Tuple/List/Set/FrozenSet items; Dict: key, value, ...; Instance: attrs
  std::vector<std::string> names;   ///< Instance: attribute names (one per item)
  FuncInfo* fn = nullptr;    ///< Function
  ClassInfo* cls = nullptr;  ///< Class, Instance
};

/// A user class: single inheritance from another user class or a built-in exception class.
struct ClassInfo {
  int index = 0;
  std::string name, qualname, file;
  int line = 0;
  ClassInfo* base = nullptr;
  std::string builtin_base; ///< a built-in exception class it derives from (directly or through base)
  struct Member {
    enum class Kind { Value, Method, Static, ClassMethod, Property } kind = Kind::Value;
    FuncInfo* fn = nullptr;     ///< Method/Static/ClassMethod function, Property getter
    FuncInfo* setter = nullptr; ///< Property setter
    PyConst value;              ///< Value
  };
  std::map<std::string, Member> members; ///< the class body's own names
  std::vector<std::string> slots;        ///< instance attributes, in layout order
  void* runtime = nullptr;               ///< the rt::ClassObj built for compiled code
  /// The member found through the bases (the MRO of single inheritance), with its owner.
  const Member* lookup(const std::string& n, const ClassInfo** owner = nullptr) const;
  int slot(const std::string& n) const;
  bool subclass_of(const ClassInfo* other) const;
  bool is_exception() const { return !builtin_base.empty(); }
};

/// How a Name resolves inside one function (stored in Node::op of Name nodes).
enum class NameKind { Local = 0, Free = 1, Global = 2, Builtin = 3 };

struct FuncInfo {
  int index = 0;                   ///< position in Program::funcs
  std::string name, qualname, file;
  Node* node = nullptr;            ///< FunctionDef or Lambda
  Params* params = nullptr;
  FuncInfo* parent = nullptr;      ///< lexically enclosing compiled function (nested defs)
  std::vector<FuncInfo*> children;
  std::map<std::string, PyConst> globals;   ///< module-level names from the bridge (top level)
  std::map<std::string, PyConst> captured;  ///< client closure cells (top level)
  std::vector<PyConst> defaults;            ///< __defaults__ from the bridge (top level)
  std::map<std::string, PyConst> kwdefaults;
  uint64_t code_hash = 0;
  ClassInfo* method_of = nullptr;  ///< the class whose body defines it (super(), private names)
  bool generator = false;          ///< its body yields: calling it makes a generator
  // scopes
  std::set<std::string> locals;    ///< parameters and assigned names
  std::set<std::string> cells;     ///< locals captured by inner functions
  std::vector<std::string> frees;  ///< names read from enclosing functions, in env order
  std::set<std::string> nonlocals; ///< names declared nonlocal
  bool top_level() const { return parent == nullptr; }
  int free_index(const std::string& n) const;
  /// Byte offset of saved default values (boxed, 16 bytes each) in a nested function's env.
  size_t env_defaults_offset() const { return 8 * frees.size(); }
  size_t env_bytes() const {
    return top_level() ? 0 : env_defaults_offset() + 16 * (params->defaults.size() + params->kw_defaults.size());
  }
  /// Looks a global or client-captured name up; nullptr if unknown.
  const PyConst* global(const std::string& n) const;
};

/// The decision about one construct (reported by `cluster.explain`).
struct ParDecision {
  std::string file;
  int line = 0;
  std::string construct; ///< e.g. "sum(... for k in range(...))", "for x in xs: total += ...", "fib(n - 1) + fib(n - 2)"
  bool parallel = false;
  std::string reason;    ///< why not (or what runs at once)
};

/// All functions of one submitted program.
struct Program {
  AstArena arena;
  std::vector<std::unique_ptr<FuncInfo>> funcs;
  std::vector<FuncInfo*> top; ///< the bridge's functions, by wire index
  std::vector<std::unique_ptr<ClassInfo>> classes; ///< by wire index
  std::vector<ParDecision> parallel; ///< what compiler/parallel.cpp decided, per construct
};

/// Reads the wire program, parses every function and resolves scopes. Throws CompileError.
std::unique_ptr<Program> load_program(const void* wire_program);

/// Reads one wire value into a PyConst (functions refer to prog.top).
PyConst read_value(const void* wire_value, const Program& prog);

} // namespace shoal::compiler
