#include "compiler/types.hpp"

#include "compiler/program.hpp"

#include <algorithm>

namespace shoal::compiler {

std::string Type::str() const {
  switch (t) {
  case T::Never: return "never";
  case T::None: return "None";
  case T::Bool: return "bool";
  case T::Int: return "int";
  case T::Float: return "float";
  case T::Str: return "str";
  case T::Tuple: {
    std::string s = "tuple[";
    for (size_t i = 0; i < elts.size(); ++i)
      s += (i ? ", " : "") + elts[i]->str();
    return s + "]";
  }
  case T::Func: return "function " + fn->qualname;
  case T::Module: return "module " + name;
  case T::Builtin: return "builtin " + name;
  case T::Exc: return "exception";
  case T::Dyn: return "object";
  case T::List: return "list";
  case T::Dict: return "dict";
  case T::Set: return "set";
  case T::Obj: return cls->name;
  case T::Class: return "class " + cls->name;
  }
  return "?";
}

const Type* Types::intern(Type t) {
  for (auto& p : all_)
    if (p->t == t.t && p->elts == t.elts && p->fn == t.fn && p->env == t.env && p->name == t.name && p->cls == t.cls)
      return p.get();
  all_.push_back(std::make_unique<Type>(std::move(t)));
  return all_.back().get();
}

const Type* Types::never() { return intern({Type::T::Never}); }
const Type* Types::none() { return intern({Type::T::None}); }
const Type* Types::boolean() { return intern({Type::T::Bool}); }
const Type* Types::integer() { return wide ? dyn() : intern({Type::T::Int}); }
const Type* Types::flt() { return intern({Type::T::Float}); }
const Type* Types::str() { return intern({Type::T::Str}); }
const Type* Types::dyn() { return intern({Type::T::Dyn}); }
const Type* Types::exc() { return intern({Type::T::Exc}); }

const Type* Types::list() { return intern({Type::T::List}); }
const Type* Types::dict() { return intern({Type::T::Dict}); }
const Type* Types::set() { return intern({Type::T::Set}); }
const Type* Types::obj(ClassInfo* c) {
  Type t{Type::T::Obj};
  t.cls = c;
  return intern(std::move(t));
}
const Type* Types::cls(ClassInfo* c) {
  Type t{Type::T::Class};
  t.cls = c;
  return intern(std::move(t));
}

const Type* Types::tuple(std::vector<const Type*> elts) {
  Type t{Type::T::Tuple};
  t.elts = std::move(elts);
  return intern(std::move(t));
}

const Type* Types::func(FuncInfo* fn, const Spec* env) {
  Type t{Type::T::Func};
  t.fn = fn;
  t.env = fn->top_level() ? nullptr : env;
  return intern(std::move(t));
}

const Type* Types::module(const std::string& name) {
  Type t{Type::T::Module};
  t.name = name;
  return intern(std::move(t));
}

const Type* Types::builtin(const std::string& name) {
  Type t{Type::T::Builtin};
  t.name = name;
  return intern(std::move(t));
}

const Type* Types::join(const Type* a, const Type* b) {
  if (a == b)
    return a;
  if (a->is(Type::T::Never))
    return b;
  if (b->is(Type::T::Never))
    return a;
  if (a->is(Type::T::Tuple) && b->is(Type::T::Tuple) && a->elts.size() == b->elts.size()) {
    std::vector<const Type*> elts;
    for (size_t i = 0; i < a->elts.size(); ++i)
      elts.push_back(join(a->elts[i], b->elts[i]));
    return tuple(std::move(elts));
  }
  note_boxed(a);
  note_boxed(b);
  return dyn();
}

void Types::note_boxed(const Type* t) {
  if (t->is(Type::T::Func) && std::find(boxed_.begin(), boxed_.end(), t) == boxed_.end())
    boxed_.push_back(t);
  if (t->is(Type::T::Tuple))
    for (auto* e : t->elts)
      note_boxed(e);
}

} // namespace shoal::compiler
