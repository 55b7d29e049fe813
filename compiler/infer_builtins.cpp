// Result types of calls to built-in functions, math functions and exception classes.
#include "compiler/infer.hpp"

#include "runtime/numeric.hpp"

namespace shoal::compiler {

using T = Type::T;

namespace {
bool is_math_float(const std::string& n) {
  static const std::set<std::string> names = {
      "math.sqrt",  "math.exp",  "math.log",   "math.log2",  "math.log10",   "math.sin",    "math.cos",
      "math.tan",   "math.asin", "math.acos",  "math.atan",  "math.sinh",    "math.cosh",   "math.tanh",
      "math.fabs",  "math.degrees", "math.radians", "math.expm1", "math.log1p", "math.atan2", "math.hypot",
      "math.pow",   "math.fmod", "math.copysign"};
  return names.count(n) > 0;
}
} // namespace

const Type* Infer::aggregate(Spec* s, Node* n, const std::string& name, const std::vector<const Type*>& args) {
  // sum/min/max/any/all over one iterable (generator expression or tuple), or min/max of arguments
  const Type* elem = args.size() == 1 ? args[0] : types_.never();
  if (args.size() > 1)
    for (auto* a : args)
      elem = types_.join(elem, a);
  if (name == "any" || name == "all")
    return types_.boolean();
  if (name == "sum") {
    const Type* start = types_.integer();
    for (auto* kw : n->b)
      if (kw->s == "start")
        start = s->types.at(kw->x);
    if (elem->is(T::Never))
      return start;
    if (elem->is(T::Bool) && start->is(T::Int))
      return start;
    return elem == start ? elem : types_.dyn();
  }
  // min / max: with default=, the result may be the default
  for (auto* kw : n->b)
    if (kw->s == "default")
      elem = types_.join(elem, s->types.at(kw->x));
  return elem;
}

/// Built-ins the run time implements over boxed values (containers, iterables, classes), with
/// their result types; nullptr when the result's type is only known at run time.
const Type* runtime_builtin_type(Types& types, const std::string& name, bool& known) {
  known = true;
  if (name == "list" || name == "sorted")
    return types.list();
  if (name == "dict")
    return types.dict();
  if (name == "set")
    return types.set();
  if (name == "hash" || name == "ord" || name == "id")
    return types.integer();
  if (name == "chr" || name == "hex" || name == "oct" || name == "bin" || name == "format")
    return types.str();
  if (name == "callable" || name == "hasattr")
    return types.boolean();
  if (name == "int")
    return types.integer();
  if (name == "print")
    return types.none();
  static const std::set<std::string> dyn = {"frozenset", "tuple", "reversed", "enumerate", "zip", "map", "filter",
                                            "iter", "next", "getattr", "setattr", "sum", "min", "max", "any",
                                            "all", "isinstance", "abs", "type", "object", "range"};
  if (dyn.count(name))
    return name == "any" || name == "all" || name == "isinstance" ? types.boolean()
           : name == "setattr" ? types.none() : types.dyn();
  known = false;
  return nullptr;
}

bool Infer::runtime_builtin(Spec* s, Node* n, const std::string& name) {
  for (auto* a : n->a)
    if (a->kind == K::Starred)
      return name != "len";
  for (auto* kw : n->b)
    if (kw->s.empty())
      return true;
  // reductions and isinstance compile inline over ranges, tuples and generator expressions;
  // other iterables, keywords such as key= and classes go to the run time
  bool reduction = name == "sum" || name == "min" || name == "max" || name == "any" || name == "all";
  if (reduction) {
    for (auto* kw : n->b)
      if (kw->s != "start" && kw->s != "default")
        return true;
    if (n->a.empty())
      return false;
    if (n->a.size() > 1) {
      if (name == "min" || name == "max") { // min(a, b, ...): inline over numbers and tuples
        bool plain = true;
        for (auto* a : n->a) {
          const Type* t = expr(s, a);
          plain &= t->numeric() || t->is(T::Never) || t->is(T::Str) || t->is(T::Tuple);
        }
        return !plain;
      }
      return true; // sum(iterable, start)
    }
    Node* a = n->a[0];
    if (a->kind == K::GenExp || a->kind == K::Tuple)
      return false;
    if (a->kind == K::Call && a->x->kind == K::Name && a->x->s == "range" && NameKind(a->x->op) == NameKind::Builtin)
      return false;
    const Type* t = expr(s, a);
    return !(t->is(T::Tuple) || t->is(T::Str) || t->is(T::Never));
  }
  if (name == "int" && n->a.size() == 2)
    return true; // int(text, base)
  if (name == "isinstance" && n->a.size() == 2) {
    const Type* t = expr(s, n->a[1]);
    auto plain = [](const Type* x) {
      static const std::set<std::string> inline_types = {"int", "float", "bool", "str"};
      return x->is(T::Builtin) && (inline_types.count(x->name) || is_exception_name(x->name));
    };
    bool all_plain = plain(t);
    if (t->is(T::Tuple)) {
      all_plain = true;
      for (auto* e : t->elts)
        all_plain &= plain(e);
    }
    return !all_plain;
  }
  for (auto* a : n->a)
    if (a->kind == K::Starred)
      return name != "len";
  for (auto* kw : n->b)
    if (kw->s.empty())
      return true;
  bool known = false;
  runtime_builtin_type(types_, name, known);
  return known && name != "abs" && name != "print" && name != "int";
}

const Type* Infer::builtin_call(Spec* s, Node* n, const std::string& name) {
  const std::string& file = s->fn->file;
  if (runtime_builtin(s, n, name)) {
    for (auto* a : n->a)
      escape(expr(s, a->kind == K::Starred ? a->x : a));
    for (auto* kw : n->b)
      escape(expr(s, kw->x));
    bool known = false;
    s->types[n->x] = types_.builtin(name);
    s->call_kinds[n] = Spec::CallKind::RuntimeBuiltin;
    return runtime_builtin_type(types_, name, known);
  }
  bool reduction = name == "sum" || name == "min" || name == "max" || name == "any" || name == "all";
  std::vector<const Type*> args;
  for (auto* a : n->a) {
    if (a->kind == K::GenExp && reduction && n->a.size() == 1)
      args.push_back(genexp(s, a));
    else if (reduction && n->a.size() == 1)
      args.push_back(iter_elem(s, a));
    else
      args.push_back(expr(s, a));
  }
  for (auto* kw : n->b)
    expr(s, kw->x);
  for (auto* a : args)
    if (a->is(T::Never) && !reduction)
      return a;
  auto arity = [&](size_t lo, size_t hi) {
    if (args.size() < lo || args.size() > hi)
      unsupported(file, n->line, name + "() with " + std::to_string(args.size()) + " arguments");
  };
  auto no_keywords = [&] {
    if (!n->b.empty() && name != "print")
      unsupported(file, n->line, "keyword arguments to " + name + "()");
  };
  if (is_exception_name(name)) {
    no_keywords();
    return types_.exc();
  }
  if (reduction) {
    for (auto* kw : n->b)
      if (kw->s != "start" && kw->s != "default")
        unsupported(file, n->line, "the keyword '" + kw->s + "' of " + name + "()");
    if (args.empty())
      unsupported(file, n->line, name + "() with no arguments");
    return aggregate(s, n, name, args);
  }
  if (name == "print") {
    for (auto* kw : n->b)
      if (kw->s != "sep" && kw->s != "end")
        unsupported(file, n->line, "the keyword '" + kw->s + "' of print()");
    return types_.none();
  }
  no_keywords();
  if (name == "abs") {
    arity(1, 1);
    return args[0]->int_like() ? types_.integer() : args[0]->is(T::Float) ? args[0] : types_.dyn();
  }
  if (name == "int") {
    arity(0, 1);
    return types_.integer();
  }
  if (name == "float") {
    arity(0, 1);
    return types_.flt();
  }
  if (name == "bool") {
    arity(0, 1);
    return types_.boolean();
  }
  if (name == "str" || name == "repr") {
    arity(name == "str" ? 0 : 1, 1);
    return types_.str();
  }
  if (name == "len") {
    arity(1, 1);
    return types_.integer();
  }
  if (name == "round") {
    arity(1, 2);
    if (args.size() == 1 || args[1]->is(T::None)) // round(x, None) is round(x)
      return types_.integer();
    return args[0]->is(T::Float) ? types_.flt() : args[0]->int_like() ? types_.integer() : types_.dyn();
  }
  if (name == "divmod") {
    arity(2, 2);
    if (args[0]->int_like() && args[1]->int_like())
      return types_.tuple({types_.integer(), types_.integer()});
    if (args[0]->numeric() && args[1]->numeric())
      return types_.tuple({types_.flt(), types_.flt()});
    return types_.dyn();
  }
  if (name == "pow") {
    arity(2, 2);
    return binop_type(types_, int(rt::BinOp::Pow), args[0], args[1], n->a[1]);
  }
  if (name == "isinstance") {
    arity(2, 2);
    return types_.boolean();
  }

  if (is_math_float(name)) {
    arity(name == "math.log" ? 1 : 1, name == "math.log" || name == "math.atan2" || name == "math.hypot" ||
                                              name == "math.pow" || name == "math.fmod" || name == "math.copysign"
                                          ? 2
                                          : 1);
    if ((name == "math.atan2" || name == "math.pow" || name == "math.fmod" || name == "math.copysign") &&
        args.size() != 2)
      arity(2, 2);
    return types_.flt();
  }
  if (name == "math.floor" || name == "math.ceil" || name == "math.trunc" || name == "math.isqrt" ||
      name == "math.factorial") {
    arity(1, 1);
    return types_.integer();
  }
  if (name == "math.gcd" || name == "math.comb" || name == "math.perm") {
    arity(2, 2);
    return types_.integer();
  }
  if (name == "math.isnan" || name == "math.isinf" || name == "math.isfinite") {
    arity(1, 1);
    return types_.boolean();
  }
  unsupported(file, n->line, "the built-in " + name + "()");
}

} // namespace shoal::compiler
