#pragma once
/// Static types of the typed IR. A type is interned: equal types are the same pointer. Dyn is a
/// boxed value whose type is only known at run time; Never is the bottom (no value yet).

#include <memory>
#include <string>
#include <vector>

namespace shoal::compiler {

struct FuncInfo;
struct ClassInfo;
struct Spec;

struct Type {
  enum class T { Never, None, Bool, Int, Float, Str, Tuple, Func, Module, Builtin, Exc, Dyn,
                 List, Dict, Set, Obj, Class } t;
  std::vector<const Type*> elts; ///< Tuple
  FuncInfo* fn = nullptr;        ///< Func: which function
  const Spec* env = nullptr;     ///< Func: the instance of the enclosing function it closes over
  ClassInfo* cls = nullptr;      ///< Obj (an instance) and Class (the class itself)
  std::string name;              ///< Module / Builtin name ("math", "abs", "math.sqrt", "ValueError")

  bool is(T k) const { return t == k; }
  bool numeric() const { return t == T::Bool || t == T::Int || t == T::Float; }
  /// int or bool (bool is an int subclass in arithmetic).
  bool int_like() const { return t == T::Bool || t == T::Int; }
  std::string str() const;
};

/// Interns types and joins them.
class Types {
public:
  const Type* never();
  const Type* none();
  const Type* boolean();
  const Type* integer(); ///< Int, or Dyn when compiling with arbitrary-precision ints
  const Type* flt();
  const Type* str();
  const Type* dyn();
  const Type* exc();
  const Type* tuple(std::vector<const Type*> elts);
  const Type* func(FuncInfo* fn, const Spec* env);
  const Type* module(const std::string& name);
  const Type* builtin(const std::string& name);
  const Type* list();
  const Type* dict();
  const Type* set();
  const Type* obj(ClassInfo* cls);
  const Type* cls(ClassInfo* cls);
  /// The least type holding both (Never is the identity; mismatches give Dyn).
  const Type* join(const Type* a, const Type* b);
  /// When set, ints are boxed (Dyn) everywhere: the arbitrary-precision re-run after a deopt.
  bool wide = false;
  /// Function types that were joined into Dyn: each needs a generic entry taking boxed args.
  const std::vector<const Type*>& boxed_functions() const { return boxed_; }

private:
  const Type* intern(Type t);
  std::vector<std::unique_ptr<Type>> all_;
  std::vector<const Type*> boxed_;
  void note_boxed(const Type* t);
};

} // namespace shoal::compiler
