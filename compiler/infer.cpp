#include "compiler/infer.hpp"

#include "runtime/numeric.hpp"
#include "runtime/object.hpp"

namespace shoal::compiler {

using T = Type::T;

namespace {
constexpr int max_specs_per_function = 8; ///< beyond this, non-function arguments widen to Dyn
constexpr int max_iterations = 200;   ///< passes of inference before giving up on a fixed point

/// A non-negative (1), negative (-1) or unknown (0) constant int exponent.
int const_sign(const Node* n) {
  auto v = const_int(n);
  return !v ? 0 : *v >= 0 ? 1 : -1;
}

bool contains_break(const std::vector<Node*>& stmts) {
  for (const Node* s : stmts) {
    if (s->kind == K::Break)
      return true;
    if (s->kind == K::If || s->kind == K::Try) // loops nested inside own their breaks
      for (auto* list : {&s->a, &s->b, &s->c, &s->d})
        for (const Node* c : *list)
          if (contains_break(c->kind == K::Handler ? c->a : std::vector<Node*>{const_cast<Node*>(c)}))
            return true;
  }
  return false;
}
} // namespace

std::optional<int64_t> const_int(const Node* n) {
  if (n && n->kind == K::Const && n->cv.t == ConstVal::T::Int)
    return n->cv.i;
  if (n && n->kind == K::UnaryOp && n->s == "USub" && n->x->kind == K::Const && n->x->cv.t == ConstVal::T::Int &&
      n->x->cv.i != INT64_MIN)
    return -n->x->cv.i;
  return std::nullopt;
}

bool falls_through(const std::vector<Node*>& stmts) {
  for (const Node* s : stmts) {
    switch (s->kind) {
    case K::Return:
    case K::Raise:
    case K::Break:
    case K::Continue: return false;
    case K::If:
      if (!falls_through(s->a) && !s->b.empty() && !falls_through(s->b))
        return false;
      break;
    case K::While:
      if (s->x->kind == K::Const && (s->x->cv.t == ConstVal::T::Bool || s->x->cv.t == ConstVal::T::Int) &&
          s->x->cv.i != 0 && !contains_break(s->a))
        return false;
      break;
    case K::Try: {
      bool normal = falls_through(s->a) && falls_through(s->c);
      bool handled = false;
      for (const Node* h : s->b)
        handled |= falls_through(h->a);
      bool fin = s->d.empty() || falls_through(s->d);
      if (!fin || (!normal && !handled))
        return false;
      break;
    }
    default: break;
    }
  }
  return true;
}

bool is_exception_name(const std::string& name) { return rt::exc_by_name(name) != rt::ExcKind::Count; }

std::string Spec::str() const {
  std::string s = fn->qualname + "(";
  for (size_t i = 0; i < args.size(); ++i)
    s += (i ? ", " : "") + args[i]->str();
  return s + ") -> " + (ret ? ret->str() : "?");
}

const Type* const_type(Types& types, const PyConst& c, const std::string& file, int line) {
  switch (c.t) {
  case PyConst::T::None: return types.none();
  case PyConst::T::Bool: return types.boolean();
  case PyConst::T::Int: return types.integer();
  case PyConst::T::BigInt: return types.dyn();
  case PyConst::T::Float: return types.flt();
  case PyConst::T::Str: return types.str();
  case PyConst::T::Tuple: {
    std::vector<const Type*> elts;
    for (auto& i : c.items)
      elts.push_back(const_type(types, i, file, line));
    return types.tuple(std::move(elts));
  }
  case PyConst::T::Function: return types.func(c.fn, nullptr);
  case PyConst::T::Module: return types.module(c.s);
  case PyConst::T::Builtin: return types.builtin(c.s);
  case PyConst::T::Unsupported: unsupported(file, line, "a value of type '" + c.s + "'");
  case PyConst::T::List: return types.list();
  case PyConst::T::Dict: return types.dict();
  case PyConst::T::Set: return types.set();
  case PyConst::T::FrozenSet: return types.dyn();
  case PyConst::T::Class: return types.cls(c.cls);
  case PyConst::T::Instance: return types.obj(c.cls);
  }
  return types.dyn();
}

const Type* binop_type(Types& types, int op, const Type* l, const Type* r, const Node* right) {
  using rt::BinOp;
  BinOp o = BinOp(op);
  if (l->is(T::Never) || r->is(T::Never))
    return types.never();
  if (l->int_like() && r->int_like()) {
    if (o == BinOp::TrueDiv)
      return types.flt();
    if (l->is(T::Bool) && r->is(T::Bool) && (o == BinOp::BitAnd || o == BinOp::BitOr || o == BinOp::BitXor))
      return types.boolean();
    if (o == BinOp::Pow) {
      int sign = const_sign(right);
      return sign > 0 ? types.integer() : sign < 0 ? types.flt() : types.dyn();
    }
    return types.integer();
  }
  if (l->numeric() && r->numeric() && (l->is(T::Float) || r->is(T::Float)))
    return o >= BinOp::LShift ? types.dyn() : types.flt();
  if (l->is(T::Str) && r->is(T::Str) && o == BinOp::Add)
    return types.str();
  if (o == BinOp::Mul && ((l->is(T::Str) && r->int_like()) || (l->int_like() && r->is(T::Str))))
    return types.str();
  if (l->is(T::Str) && o == BinOp::Mod)
    return types.str();
  if (l->is(T::List) && r->is(T::List) && o == BinOp::Add)
    return types.list();
  if (o == BinOp::Mul && ((l->is(T::List) && r->int_like()) || (l->int_like() && r->is(T::List))))
    return types.list();
  if (l->is(T::Set) && r->is(T::Set) && (o == BinOp::BitOr || o == BinOp::BitAnd || o == BinOp::Sub || o == BinOp::BitXor))
    return types.set();
  if (o == BinOp::Add && l->is(T::Tuple) && r->is(T::Tuple)) {
    auto elts = l->elts;
    elts.insert(elts.end(), r->elts.begin(), r->elts.end());
    return types.tuple(std::move(elts));
  }
  return types.dyn();
}

std::vector<std::string> param_names(const Params& p) {
  std::vector<std::string> names = p.names;
  names.insert(names.end(), p.kwonly.begin(), p.kwonly.end());
  if (!p.vararg.empty())
    names.push_back(p.vararg);
  if (!p.kwarg.empty())
    names.push_back(p.kwarg);
  return names;
}

std::vector<ArgSource> bind_args(const FuncInfo* fn, const Node* call, std::string& error, size_t implicit) {
  const Params& p = *fn->params;
  size_t npos = p.names.size();
  size_t nparams = npos + p.kwonly.size();
  std::vector<ArgSource> out(nparams + !p.vararg.empty() + !p.kwarg.empty());
  std::string fname = (fn->method_of ? fn->qualname : fn->name) + "()";
  for (auto* a : call->a)
    if (a->kind == K::Starred) {
      error = "*";
      return out;
    }
  for (auto* kw : call->b)
    if (kw->s.empty()) {
      error = "*";
      return out;
    }
  size_t given = implicit + call->a.size();
  if (given > npos && p.vararg.empty()) {
    size_t ndefaults = fn->top_level() ? fn->defaults.size() : p.defaults.size();
    error = rt::too_many_positional(fname, int64_t(npos - ndefaults), int64_t(npos), int64_t(given));
    return out;
  }
  for (size_t i = 0; i < implicit && i < out.size(); ++i)
    out[i] = {ArgSource::K::Implicit, nullptr, nullptr, int(i)};
  ArgSource varargs{ArgSource::K::VarArgs};
  for (size_t i = 0; i < call->a.size(); ++i) {
    if (implicit + i < npos)
      out[implicit + i] = {ArgSource::K::Positional, call->a[i], nullptr};
    else
      varargs.rest.push_back(call->a[i]);
  }
  ArgSource kwargs{ArgSource::K::KwArgs};
  for (Node* kw : call->b) {
    size_t idx = out.size();
    for (size_t i = 0; i < npos; ++i)
      if (p.names[i] == kw->s)
        idx = i;
    for (size_t i = 0; i < p.kwonly.size(); ++i)
      if (p.kwonly[i] == kw->s)
        idx = npos + i;
    if (idx == out.size()) {
      if (!p.kwarg.empty()) {
        for (auto* other : kwargs.rest)
          if (other->s == kw->s) {
            error = fname + " got multiple values for keyword argument '" + kw->s + "'";
            return out;
          }
        kwargs.rest.push_back(kw);
        continue;
      }
      error = fname + " got an unexpected keyword argument '" + kw->s + "'";
      return out;
    }
    if (out[idx].k != ArgSource::K::Missing) {
      error = fname + " got multiple values for argument '" + kw->s + "'";
      return out;
    }
    out[idx] = {ArgSource::K::Keyword, kw->x, nullptr};
  }
  if (!p.vararg.empty())
    out[nparams] = varargs;
  if (!p.kwarg.empty())
    out[nparams + !p.vararg.empty()] = kwargs;
  size_t first_default = npos - (fn->top_level() ? fn->defaults.size() : p.defaults.size());
  std::vector<std::string> missing_positional, missing_kwonly;
  for (size_t i = 0; i < nparams; ++i) {
    if (out[i].k != ArgSource::K::Missing)
      continue;
    if (i < npos && i >= first_default) {
      if (fn->top_level())
        out[i] = {ArgSource::K::Default, nullptr, &fn->defaults[i - first_default]};
      else
        out[i] = {ArgSource::K::SourceDefault, p.defaults[i - first_default], nullptr, int(i - first_default)};
    } else if (i >= npos) {
      const std::string& name = p.kwonly[i - npos];
      if (fn->top_level() && fn->kwdefaults.count(name))
        out[i] = {ArgSource::K::Default, nullptr, &fn->kwdefaults.at(name)};
      else if (!fn->top_level() && p.kw_defaults[i - npos])
        out[i] = {ArgSource::K::SourceDefault, p.kw_defaults[i - npos], nullptr, int(p.defaults.size() + i - npos)};
      else
        missing_kwonly.push_back(name);
    } else {
      missing_positional.push_back(p.names[i]);
    }
  }
  if (!missing_positional.empty() || !missing_kwonly.empty()) // as CPython: the missing positional parameters first, else the keyword-only ones
    error = rt::missing_arguments(fname, missing_positional.empty() ? missing_kwonly : missing_positional,
                                  missing_positional.empty());
  return out;
}

Spec* Infer::run(FuncInfo* fn, const std::vector<const Type*>& args) {
  Spec* entry = spec_for(fn, args, nullptr);
  for (int iter = 0;; ++iter) {
    if (iter == max_iterations)
      throw CompileError("UnsupportedError", fn->file, fn->node->line,
                         "type inference did not settle for " + fn->qualname);
    changed_ = false;
    for (size_t i = 0; i < specs_.size(); ++i)
      infer(specs_[i].get());
    add_generic_specs();
    if (!changed_)
      break;
  }
  return entry;
}

void Infer::add_generic_specs() {
  // the run time calls methods (dunders, bound methods, properties) through generic entries
  for (auto& c : prog_.classes)
    for (auto& [name, m] : c->members)
      for (FuncInfo* f : {m.fn, m.setter})
        if (f)
          types_.join(types_.func(f, nullptr), types_.dyn());
  for (const Type* f : types_.boxed_functions()) {
    if (generic_.count(f))
      continue;
    size_t n = param_names(*f->fn->params).size();
    generic_[f] = spec_for(f->fn, std::vector<const Type*>(n, types_.dyn()), f->env);
  }
}

Spec* Infer::generic(const Type* func) const {
  auto it = generic_.find(func);
  return it == generic_.end() ? nullptr : it->second;
}

Spec* Infer::spec_for(FuncInfo* fn, std::vector<const Type*> args, const Spec* env) {
  int count = 0;
  for (auto& s : specs_) {
    if (s->fn != fn)
      continue;
    ++count;
    if (s->args == args && s->env == env)
      return s.get();
  }
  if (count >= max_specs_per_function) {
    for (auto& a : args)
      if (!a->is(T::Func))
        a = types_.dyn();
    for (auto& s : specs_)
      if (s->fn == fn && s->args == args && s->env == env)
        return s.get();
  }
  auto s = std::make_unique<Spec>();
  s->fn = fn;
  s->args = std::move(args);
  s->env = env;
  s->ret = types_.never();
  s->id = int(specs_.size());
  auto names = param_names(*fn->params);
  for (size_t i = 0; i < s->args.size() && i < names.size(); ++i)
    s->vars[names[i]] = s->args[i];
  specs_.push_back(std::move(s));
  changed_ = true;
  return specs_.back().get();
}

void Infer::infer(Spec* s) {
  if (s->fn->node->kind == K::Lambda) {
    const Type* t = expr(s, s->fn->node->y);
    const Type* r = types_.join(s->ret, t);
    if (r != s->ret)
      s->ret = r, changed_ = true;
    return;
  }
  body(s, s->fn->node->a);
  if (s->fn->generator) {
    if (s->ret != types_.dyn())
      s->ret = types_.dyn(), changed_ = true;
    return;
  }
  if (falls_through(s->fn->node->a)) {
    const Type* r = types_.join(s->ret, types_.none());
    if (r != s->ret)
      s->ret = r, changed_ = true;
  }
}

void Infer::body(Spec* s, const std::vector<Node*>& stmts) {
  for (auto* n : stmts)
    stmt(s, n);
}

const Spec* Infer::owner(const Spec* s, const std::string& name) const {
  while (s && !s->fn->locals.count(name))
    s = s->env;
  return s;
}

const Type* Infer::var_type(const Spec* s, const std::string& name) const {
  const Spec* o = owner(s, name);
  if (!o)
    return types_.never();
  auto it = o->vars.find(name);
  return it == o->vars.end() ? nullptr : it->second;
}

void Infer::set_var(Spec* s, const std::string& name, const Type* t) {
  Spec* o = const_cast<Spec*>(owner(s, name));
  if (!o)
    return;
  auto& slot = o->vars[name];
  const Type* j = slot ? types_.join(slot, t) : t;
  if (j != slot)
    slot = j, changed_ = true;
}

void Infer::assign(Spec* s, Node* target, const Type* t) {
  if (target->kind == K::Name) {
    s->types[target] = t;
    set_var(s, target->s, t);
    return;
  }
  if (target->kind == K::Subscript) {
    expr(s, target->x);
    expr(s, target->y);
    s->types[target] = t;
    escape(t);
    return;
  }
  if (target->kind == K::Attribute) {
    const Type* base = expr(s, target->x);
    s->types[target] = t;
    escape(t);
    if (base->is(T::Obj)) {
      auto* m = base->cls->lookup(target->s);
      if (m && m->kind == ClassInfo::Member::Kind::Property && m->setter)
        method_spec(s, target, m->setter, {base, t});
    }
    return;
  }
  if (target->kind == K::Starred) {
    assign(s, target->x, types_.list());
    return;
  }
  bool starred = false;
  for (auto* e : target->a)
    starred |= e->kind == K::Starred;
  if (starred || target->kind == K::List) {
    s->types[target] = t;
    for (auto* e : target->a)
      assign(s, e, e->kind == K::Starred ? types_.list() : t->is(T::Str) ? types_.str() : types_.dyn());
    return;
  }
  // a tuple target: unpack a tuple type element by element, anything else at run time
  s->types[target] = t;
  for (size_t i = 0; i < target->a.size(); ++i) {
    const Type* e = types_.dyn();
    if (t->is(T::Tuple))
      e = t->elts.size() == target->a.size() ? t->elts[i] : types_.never();
    else if (t->is(T::Str))
      e = types_.str();
    else if (t->is(T::Never))
      e = t;
    assign(s, target->a[i], e);
  }
}

void Infer::stmt(Spec* s, Node* n) {
  switch (n->kind) {
  case K::FunctionDef:
    for (auto* d : n->params->defaults)
      expr(s, d);
    set_var(s, n->s, types_.func(prog_.funcs[size_t(n->op)].get(), s));
    return;
  case K::Return: {
    const Type* t = n->x ? expr(s, n->x) : types_.none();
    if (s->fn->generator)
      return; // ends the generator; the value becomes StopIteration.value (boxed)
    const Type* r = types_.join(s->ret, t);
    if (r != s->ret)
      s->ret = r, changed_ = true;
    return;
  }
  case K::Assign: {
    const Type* t = expr(s, n->x);
    for (auto* target : n->a)
      assign(s, target, t);
    return;
  }
  case K::AugAssign: {
    const Type* cur = expr(s, n->x);
    const Type* t = binop_type(types_, n->op, cur, expr(s, n->y), n->y);
    assign(s, n->x, t);
    return;
  }
  case K::ExprStmt: expr(s, n->x); return;
  case K::If:
  case K::While:
    expr(s, n->x);
    body(s, n->a);
    body(s, n->b);
    return;
  case K::For:
    assign(s, n->x, iter_elem(s, n->y));
    body(s, n->a);
    body(s, n->b);
    return;
  case K::Raise:
    if (n->x)
      expr(s, n->x);
    return;
  case K::Try:
    body(s, n->a);
    for (auto* h : n->b) {
      if (h->x)
        expr(s, h->x);
      if (!h->s.empty())
        set_var(s, h->s, types_.exc());
      body(s, h->a);
    }
    body(s, n->c);
    body(s, n->d);
    return;
  case K::Assert:
    expr(s, n->x);
    if (n->y)
      expr(s, n->y);
    return;
  case K::Global:
  case K::Nonlocal:
  case K::Pass:
  case K::Break:
  case K::Continue:
    return;
  case K::Delete:
    for (auto* t : n->a) {
      if (t->kind == K::Subscript || t->kind == K::Attribute) {
        expr(s, t->x);
        if (t->kind == K::Subscript)
          expr(s, t->y);
      } else if (t->kind != K::Name) {
        unsupported(s->fn->file, t->line, "this 'del' target");
      }
    }
    return;
  default: unsupported(s->fn->file, n->line, "this statement");
  }
}

const Type* Infer::expr(Spec* s, Node* n) {
  const Type* t = expr_impl(s, n);
  s->types[n] = t;
  return t;
}

const Type* Infer::name(Spec* s, Node* n) {
  switch (NameKind(n->op)) {
  case NameKind::Local:
  case NameKind::Free: {
    const Type* t = var_type(s, n->s);
    return t ? t : types_.never();
  }
  case NameKind::Global: {
    const PyConst* c = s->fn->global(n->s);
    return c ? const_type(types_, *c, s->fn->file, n->line) : types_.never(); // unknown: NameError
  }
  case NameKind::Builtin: return types_.builtin(n->s);
  }
  return types_.dyn();
}

const Type* Infer::expr_impl(Spec* s, Node* n) {
  switch (n->kind) {
  case K::Const:
    switch (n->cv.t) {
    case ConstVal::T::None: return types_.none();
    case ConstVal::T::Bool: return types_.boolean();
    case ConstVal::T::Int: return types_.integer();
    case ConstVal::T::BigInt: return types_.dyn();
    case ConstVal::T::Float: return types_.flt();
    case ConstVal::T::Str: return types_.str();
    case ConstVal::T::Ellipsis: unsupported(s->fn->file, n->line, "Ellipsis");
    }
    break;
  case K::Name: return name(s, n);
  case K::BinOp: {
    const Type* l = expr(s, n->x);
    const Type* r = expr(s, n->y);
    if (l->is(T::Obj) || r->is(T::Obj))
      return types_.dyn(); // dunder methods, dispatched at run time
    return binop_type(types_, n->op, l, r, n->y);
  }
  case K::UnaryOp: {
    const Type* t = expr(s, n->x);
    if (t->is(T::Never))
      return t;
    if (n->s == "Not")
      return types_.boolean();
    if (t->int_like())
      return types_.integer();
    if (t->is(T::Float) && n->s != "Invert")
      return t;
    return types_.dyn();
  }
  case K::BoolOp: {
    const Type* t = types_.never();
    for (auto* v : n->a)
      t = types_.join(t, expr(s, v));
    return t;
  }
  case K::Compare:
    expr(s, n->x);
    for (auto* c : n->a)
      expr(s, c);
    return types_.boolean();
  case K::Call: return call(s, n);
  case K::Tuple: {
    std::vector<const Type*> elts;
    for (auto* e : n->a)
      elts.push_back(expr(s, e));
    return types_.tuple(std::move(elts));
  }
  case K::IfExp: {
    expr(s, n->x);
    const Type* a = expr(s, n->y);
    return types_.join(a, expr(s, n->z));
  }
  case K::Lambda:
  case K::FunctionDef: // a generator expression's own generator function (see program.cpp)
    for (auto* d : n->params->defaults)
      expr(s, d);
    return types_.func(prog_.funcs[size_t(n->op)].get(), s);
  case K::GenExp:
  case K::ListComp:
  case K::SetComp:
  case K::DictComp: return comprehension(s, n);
  case K::List:
  case K::Set:
    for (auto* e : n->a)
      escape(expr(s, e->kind == K::Starred ? e->x : e));
    return n->kind == K::List ? types_.list() : types_.set();
  case K::Dict:
    for (auto* k : n->a)
      if (k)
        escape(expr(s, k));
    for (auto* v : n->b)
      escape(expr(s, v));
    return types_.dict();
  case K::JoinedStr:
    for (auto* v : n->a)
      expr(s, v);
    return types_.str();
  case K::FormattedValue:
    expr(s, n->x);
    if (n->y)
      expr(s, n->y);
    return types_.str();
  case K::Slice:
    for (auto* part : {n->x, n->y, n->z})
      if (part)
        expr(s, part);
    return types_.dyn();
  case K::Attribute: return attribute(s, n);
  case K::Subscript: return subscript(s, n);
  case K::Starred: unsupported(s->fn->file, n->line, "a starred expression here");
  case K::Yield:
    if (n->x)
      escape(expr(s, n->x));
    return types_.none(); // the value sent in: generators' send() is not supported
  default: break;
  }
  unsupported(s->fn->file, n->line, "this expression");
}

const Type* Infer::attribute(Spec* s, Node* n) {
  const Type* base = expr(s, n->x);
  if (base->is(T::Module) && base->name == "math") {
    static const std::set<std::string> consts = {"pi", "e", "tau", "inf", "nan"};
    if (consts.count(n->s))
      return types_.flt();
    return types_.builtin("math." + n->s);
  }
  if (base->is(T::Exc) && n->s == "args")
    return types_.dyn();
  if (base->is(T::Never))
    return base;
  if (base->is(T::Obj)) {
    using MK = ClassInfo::Member::Kind;
    if (base->cls->slot(n->s) < 0)
      if (auto* m = base->cls->lookup(n->s); m && m->kind == MK::Property) {
        method_spec(s, n, m->fn, {base});
        return s->calls.at(n)->ret;
      }
  }
  return types_.dyn(); // instance and class attributes, bound methods, other objects: at run time
}

const Type* Infer::subscript(Spec* s, Node* n) {
  const Type* base = expr(s, n->x);
  const Type* idx = expr(s, n->y);
  if (base->is(T::Never) || idx->is(T::Never))
    return types_.never();
  if (base->is(T::Tuple) && idx->int_like()) {
    if (auto ci = const_int(n->y)) {
      int64_t i = *ci;
      int64_t len = int64_t(base->elts.size());
      if (i < 0)
        i += len;
      return i >= 0 && i < len ? base->elts[size_t(i)] : types_.never();
    }
    const Type* t = types_.never();
    for (auto* e : base->elts)
      t = types_.join(t, e);
    return t;
  }
  if (base->is(T::Str))
    return types_.str();
  if (base->is(T::List) && n->y->kind == K::Slice)
    return types_.list();
  return types_.dyn();
}

const Type* Infer::iter_elem(Spec* s, Node* iter) {
  if (iter->kind == K::Call && iter->x->kind == K::Name && NameKind(iter->x->op) == NameKind::Builtin &&
      iter->x->s == "range") {
    s->types[iter->x] = types_.builtin("range");
    if (iter->a.empty() || iter->a.size() > 3 || !iter->b.empty())
      unsupported(s->fn->file, iter->line, "range() with these arguments");
    for (auto* a : iter->a)
      expr(s, a);
    s->types[iter] = types_.builtin("range");
    return types_.integer();
  }
  const Type* t = expr(s, iter);
  if (t->is(T::Tuple)) {
    const Type* e = types_.never();
    for (auto* x : t->elts)
      e = types_.join(e, x);
    return e;
  }
  if (t->is(T::Str))
    return types_.str();
  if (t->is(T::Never))
    return t;
  return types_.dyn(); // the run time's iterator protocol (user __iter__ included; TypeError for the rest)
}

const Type* Infer::genexp(Spec* s, Node* g) {
  for (auto* comp : g->a) {
    assign(s, comp->x, iter_elem(s, comp->y));
    for (auto* cond : comp->a)
      expr(s, cond);
  }
  const Type* t = expr(s, g->x);
  s->types[g] = t;
  return t;
}

const Type* Infer::call(Spec* s, Node* n) {
  if (n->x->kind == K::Name && n->x->s.rfind("__shoal_", 0) == 0)
    return parallel_call(s, n);
  if (n->x->kind == K::Attribute)
    return method_call(s, n);
  const Type* f = expr(s, n->x);
  if (f->is(T::Builtin))
    return builtin_call(s, n, f->name);
  if (f->is(T::Class)) {
    s->call_kinds[n] = Spec::CallKind::Construct;
    return construct(s, n, f->cls);
  }
  for (auto* kw : n->b)
    expr(s, kw->x);
  if (f->is(T::Func))
    return user_call(s, n, f);
  bool star = false;
  for (auto* a : n->a) {
    star |= a->kind == K::Starred;
    escape(expr(s, a->kind == K::Starred ? a->x : a));
  }
  for (auto* kw : n->b)
    star |= kw->s.empty();
  if (f->is(T::Never))
    return f;
  if (f->is(T::Dyn) || f->is(T::Obj)) {
    if (star) { // f(*xs, **d) of a function chosen at run time: arguments gathered, f called by the run time
      s->call_kinds[n] = Spec::CallKind::StarCall;
      return types_.dyn();
    }
    if (!n->b.empty())
      unsupported(s->fn->file, n->line, "keyword arguments in a call of a function chosen at run time");
    return types_.dyn();
  }
  unsupported(s->fn->file, n->line, "calling a value of type " + f->str());
}

const Type* Infer::user_call(Spec* s, Node* n, const Type* f) {
  return bound_call(s, n, f->fn, f->env, {});
}

const Type* Infer::bound_call(Spec* s, Node* n, FuncInfo* fn, const Spec* env, std::vector<const Type*> implicit) {
  for (auto* a : n->a)
    expr(s, a->kind == K::Starred ? a->x : a);
  for (auto* kw : n->b)
    expr(s, kw->x);
  std::string error;
  auto sources = bind_args(fn, n, error, implicit.size());
  if (error == "*") {
    if (!implicit.empty())
      unsupported(s->fn->file, n->line, "*args or **kwargs in a call of the method " + fn->qualname + "()");
    escape(types_.func(fn, env)); // called through its generic entry, with the arguments gathered at run time
    for (auto* a : n->a)
      escape(s->types.at(a->kind == K::Starred ? a->x : a));
    s->call_kinds[n] = Spec::CallKind::StarCall;
    return types_.dyn();
  }
  if (!error.empty())
    return types_.never(); // codegen raises the TypeError
  std::vector<const Type*> args;
  for (auto& src : sources) {
    switch (src.k) {
    case ArgSource::K::Implicit: args.push_back(implicit[size_t(src.slot)]); break;
    case ArgSource::K::Positional:
    case ArgSource::K::Keyword: args.push_back(s->types.at(src.node)); break;
    case ArgSource::K::Default: args.push_back(const_type(types_, *src.value, s->fn->file, n->line)); break;
    case ArgSource::K::SourceDefault: {
      // evaluated where the function was defined, and kept in its closure
      const Type* t = types_.never();
      if (env)
        if (auto it = env->types.find(src.node); it != env->types.end())
          t = it->second;
      args.push_back(t);
      break;
    }
    case ArgSource::K::VarArgs: args.push_back(types_.dyn()); break;
    case ArgSource::K::KwArgs: args.push_back(types_.dict()); break;
    case ArgSource::K::Missing: return types_.never();
    }
  }
  for (auto* a : args)
    if (a->is(T::Never))
      return types_.never(); // an argument that never produces a value
  Spec* callee = spec_for(fn, std::move(args), env);
  s->calls[n] = callee;
  return callee->ret;
}

Spec* Infer::method_spec(Spec* s, Node* site, FuncInfo* fn, std::vector<const Type*> args) {
  size_t n = param_names(*fn->params).size();
  if (args.size() != n)
    unsupported(s->fn->file, site->line, fn->qualname + " with this signature");
  Spec* callee = spec_for(fn, std::move(args), nullptr);
  s->calls[site] = callee;
  return callee;
}

const Type* Infer::construct(Spec* s, Node* n, ClassInfo* cls) {
  const Type* self = types_.obj(cls);
  const ClassInfo::Member* init = cls->lookup("__init__");
  if (init && init->kind == ClassInfo::Member::Kind::Method) {
    bound_call(s, n, init->fn, nullptr, {self}); // a binding error is raised where the call runs
  } else {
    for (auto* a : n->a)
      expr(s, a);
    for (auto* kw : n->b)
      expr(s, kw->x);
  }
  return self;
}

/// Result types of the built-in types' methods (Dyn for the rest).
const Type* method_result(Types& types, const Type* self, const std::string& m) {
  static const std::set<std::string> str_to_str = {
      "lower", "upper", "strip", "lstrip", "rstrip", "replace", "title", "capitalize", "swapcase", "casefold",
      "zfill", "center", "ljust", "rjust", "join", "format", "removeprefix", "removesuffix", "expandtabs"};
  static const std::set<std::string> str_to_int = {"find", "rfind", "index", "rindex", "count"};
  static const std::set<std::string> to_bool = {
      "startswith", "endswith", "isdigit", "isalpha", "isalnum", "isspace", "isupper", "islower", "isdecimal",
      "isnumeric", "isidentifier", "issubset", "issuperset", "isdisjoint"};
  if (self->is(T::Str)) {
    if (str_to_str.count(m))
      return types.str();
    if (str_to_int.count(m))
      return types.integer();
    if (to_bool.count(m))
      return types.boolean();
    if (m == "split" || m == "rsplit" || m == "splitlines")
      return types.list();
  }
  if (self->is(T::List)) {
    if (m == "append" || m == "extend" || m == "insert" || m == "remove" || m == "reverse" || m == "sort" ||
        m == "clear")
      return types.none();
    if (m == "index" || m == "count")
      return types.integer();
    if (m == "copy")
      return types.list();
  }
  if (self->is(T::Dict)) {
    if (m == "copy")
      return types.dict();
    if (m == "update" || m == "clear")
      return types.none();
  }
  if (self->is(T::Set)) {
    if (m == "add" || m == "discard" || m == "remove" || m == "update" || m == "clear" ||
        m == "intersection_update" || m == "difference_update")
      return types.none();
    if (m == "copy" || m == "union" || m == "intersection" || m == "difference" || m == "symmetric_difference")
      return types.set();
    if (to_bool.count(m))
      return types.boolean();
  }
  return types.dyn();
}

const Type* Infer::method_call(Spec* s, Node* n) {
  Node* attr = n->x;
  // super().m(...) inside a method: m from the class after the method's own, self implicit
  if (attr->x->kind == K::Call && attr->x->x->kind == K::Name && attr->x->x->s == "super" &&
      NameKind(attr->x->x->op) == NameKind::Builtin) {
    ClassInfo* own = s->fn->method_of;
    if (!own || !attr->x->a.empty() || s->fn->params->names.empty())
      unsupported(s->fn->file, n->line, "super() outside a method, or with arguments");
    const Type* self = var_type(s, s->fn->params->names[0]);
    s->types[attr->x] = self ? self : types_.never();
    s->types[attr] = types_.dyn();
    const ClassInfo* owner = nullptr;
    const ClassInfo::Member* m = own->base ? own->base->lookup(attr->s, &owner) : nullptr;
    if (!m) {
      if (own->is_exception() && attr->s == "__init__") { // BaseException.__init__ sets args
        for (auto* a : n->a)
          expr(s, a);
        s->call_kinds[n] = Spec::CallKind::Super;
        return types_.none();
      }
      unsupported(s->fn->file, n->line, "super()." + attr->s + " (not defined in a user base class)");
    }
    if (m->kind == ClassInfo::Member::Kind::Method) {
      s->call_kinds[n] = Spec::CallKind::Super;
      return bound_call(s, n, m->fn, nullptr, {self ? self : types_.never()});
    }
    unsupported(s->fn->file, n->line, "super()." + attr->s + " for this kind of member");
  }
  const Type* base = expr(s, attr->x);
  if (base->is(T::Never)) {
    s->types[attr] = base;
    return base;
  }
  if ((base->is(T::Obj) || base->is(T::Class))) {
    const ClassInfo::Member* m = base->cls->lookup(attr->s);
    bool instance_attr = base->is(T::Obj) && base->cls->slot(attr->s) >= 0;
    using MK = ClassInfo::Member::Kind;
    if (m && !instance_attr) {
      s->types[attr] = types_.dyn();
      if (m->kind == MK::Method && base->is(T::Obj)) {
        s->call_kinds[n] = Spec::CallKind::Method;
        return bound_call(s, n, m->fn, nullptr, {base});
      }
      if (m->kind == MK::Method || m->kind == MK::Static) {
        s->call_kinds[n] = Spec::CallKind::Method;
        return bound_call(s, n, m->fn, nullptr, {});
      }
      if (m->kind == MK::ClassMethod) {
        s->call_kinds[n] = Spec::CallKind::ClassMethod;
        return bound_call(s, n, m->fn, nullptr, {types_.cls(base->cls)});
      }
    }
  }
  if (base->is(T::Module)) {
    const Type* f = attribute(s, attr);
    s->types[attr] = f;
    if (f->is(T::Builtin))
      return builtin_call(s, n, f->name);
  }
  // a method of a built-in type, or a callable attribute: resolved at run time
  s->types[attr] = types_.dyn();
  s->call_kinds[n] = Spec::CallKind::RuntimeMethod;
  for (auto* a : n->a)
    escape(expr(s, a->kind == K::Starred ? a->x : a));
  for (auto* kw : n->b)
    escape(expr(s, kw->x));
  if (base->is(T::Obj) || base->is(T::Class) || base->is(T::Dyn))
    return types_.dyn();
  return method_result(types_, base, attr->s);
}

const Type* Infer::comprehension(Spec* s, Node* g) {
  for (auto* comp : g->a) {
    assign(s, comp->x, iter_elem(s, comp->y));
    for (auto* cond : comp->a)
      expr(s, cond);
  }
  escape(expr(s, g->x));
  if (g->kind == K::DictComp)
    escape(expr(s, g->y));
  switch (g->kind) {
  case K::ListComp: return types_.list();
  case K::SetComp: return types_.set();
  case K::DictComp: return types_.dict();
  default: return types_.dyn(); // a generator expression: an iterator
  }
}

} // namespace shoal::compiler

namespace shoal::compiler {

/// Calls marked Node::par inside e (the independent calls of a fork), in evaluation order.
void marked_calls(Node* e, std::vector<Node*>& out) {
  if (!e || e->kind == K::Lambda || e->kind == K::FunctionDef)
    return;
  if (e->par) {
    out.push_back(e);
    return;
  }
  for (Node* c : {e->x, e->y, e->z})
    marked_calls(c, out);
  for (auto* list : {&e->a, &e->b})
    for (auto* c : *list)
      marked_calls(c, out);
}

const Type* Infer::parallel_call(Spec* s, Node* n) {
  const std::string& name = n->x->s;
  if (name == "__shoal_empty")
    return types_.dyn();
  if (name == "__shoal_fork") {
    const Type* t = expr(s, n->a[0]);
    std::vector<Node*> calls;
    marked_calls(n->a[0], calls);
    for (Node* c : calls)
      if (auto it = s->calls.find(c); it != s->calls.end())
        entries_.insert(it->second);
    return t;
  }
  // __shoal_par(kind, piece, seq, sequential, caps[, init]); n->c: statements of the sequential path
  for (Node* st : n->c)
    stmt(s, st);
  const Type* t = expr(s, n->a[3]);
  const Type* seq = expr(s, n->a[2]);
  const Type* caps = expr(s, n->a[4]);
  const Type* piece = expr(s, n->a[1]);
  if (n->a.size() > 5)
    expr(s, n->a[5]);
  std::vector<const Type*> params;
  bool range = n->a[2]->kind == K::Tuple; // the bounds of a range; else a Name holding the sequence
  if (range && seq->elts.size() == 3 && seq->elts[0]->is(T::Int) && seq->elts[1]->is(T::Int) &&
      seq->elts[2]->is(T::Int))
    params = {seq->elts[0], seq->elts[1]};
  else if (!range && n->a[2]->kind == K::Name && (seq->is(T::List) || seq->is(T::Tuple)))
    params = {types_.list()};
  else if (n->a[2]->kind == K::List && std::all_of(n->a[2]->a.begin(), n->a[2]->a.end(), [&](Node* e) {
             const Type* et = s->types.at(e);
             return et->is(T::List) || et->is(T::Tuple);
           }))
    params = std::vector<const Type*>(n->a[2]->a.size(), types_.list()); // zip(...) of sequences
  else
    return t; // the run time only splits ranges, lists and tuples: the sequential path it is
  params.insert(params.end(), caps->elts.begin(), caps->elts.end());
  Spec* p = spec_for(piece->fn, params, piece->env);
  s->calls[n] = p;
  entries_.insert(p);
  return t;
}

} // namespace shoal::compiler
