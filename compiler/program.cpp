#include "compiler/program.hpp"
#include "compiler/infer.hpp"
#include "compiler/parallel.hpp"

#include "bus/shoal.capnp.h"

#include <algorithm>
#include <functional>

namespace shoal::compiler {

int FuncInfo::free_index(const std::string& n) const {
  auto it = std::find(frees.begin(), frees.end(), n);
  return it == frees.end() ? -1 : int(it - frees.begin());
}

const PyConst* FuncInfo::global(const std::string& n) const {
  const FuncInfo* root = this;
  while (root->parent)
    root = root->parent;
  if (auto it = root->captured.find(n); it != root->captured.end())
    return &it->second;
  if (auto it = root->globals.find(n); it != root->globals.end())
    return &it->second;
  return nullptr;
}

PyConst read_value(const void* wv, const Program& prog) {
  auto v = *static_cast<const wire::Value::Reader*>(wv);
  PyConst c;
  switch (v.which()) {
  case wire::Value::NONE: break;
  case wire::Value::BOOL: c.t = PyConst::T::Bool, c.i = v.getBool(); break;
  case wire::Value::INT: c.t = PyConst::T::Int, c.i = v.getInt(); break;
  case wire::Value::BIG_INT: c.t = PyConst::T::BigInt, c.s = v.getBigInt(); break;
  case wire::Value::FLOAT: c.t = PyConst::T::Float, c.f = v.getFloat(); break;
  case wire::Value::STR: c.t = PyConst::T::Str, c.s.assign(v.getStr().begin(), v.getStr().size()); break;
  case wire::Value::TUPLE:
    c.t = PyConst::T::Tuple;
    for (auto item : v.getTuple())
      c.items.push_back(read_value(&item, prog));
    break;
  case wire::Value::FUNCTION:
    c.t = PyConst::T::Function;
    if (v.getFunction() >= prog.top.size())
      throw CompileError("TypeError", "<wire>", 0, "function index out of range");
    c.fn = prog.top[v.getFunction()];
    break;
  case wire::Value::MODULE: c.t = PyConst::T::Module, c.s = v.getModule(); break;
  case wire::Value::BUILTIN: c.t = PyConst::T::Builtin, c.s = v.getBuiltin(); break;
  case wire::Value::UNSUPPORTED: c.t = PyConst::T::Unsupported, c.s = v.getUnsupported(); break;
  case wire::Value::LIST:
  case wire::Value::DICT:
  case wire::Value::SET:
  case wire::Value::FROZENSET: {
    auto w = v.which();
    c.t = w == wire::Value::LIST ? PyConst::T::List : w == wire::Value::DICT ? PyConst::T::Dict
        : w == wire::Value::SET ? PyConst::T::Set : PyConst::T::FrozenSet;
    auto items = w == wire::Value::LIST ? v.getList() : w == wire::Value::DICT ? v.getDict()
               : w == wire::Value::SET ? v.getSet() : v.getFrozenset();
    if (w == wire::Value::DICT && items.size() % 2)
      throw CompileError("TypeError", "<wire>", 0, "a dict with an odd number of keys and values");
    for (auto item : items)
      c.items.push_back(read_value(&item, prog));
    break;
  }
  case wire::Value::CLASS:
    c.t = PyConst::T::Class;
    if (v.getClass() >= prog.classes.size())
      throw CompileError("TypeError", "<wire>", 0, "class index out of range");
    c.cls = prog.classes[v.getClass()].get();
    break;
  case wire::Value::INSTANCE: {
    auto inst = v.getInstance();
    c.t = PyConst::T::Instance;
    if (inst.getCls() >= prog.classes.size())
      throw CompileError("TypeError", "<wire>", 0, "class index out of range");
    c.cls = prog.classes[inst.getCls()].get();
    for (auto b : inst.getAttrs()) {
      auto bv = b.getValue();
      c.names.emplace_back(b.getName().cStr());
      c.items.push_back(read_value(&bv, prog));
    }
    break;
  }
  }
  return c;
}

const ClassInfo::Member* ClassInfo::lookup(const std::string& n, const ClassInfo** owner) const {
  for (const ClassInfo* c = this; c; c = c->base)
    if (auto it = c->members.find(n); it != c->members.end()) {
      if (owner)
        *owner = c;
      return &it->second;
    }
  return nullptr;
}

int ClassInfo::slot(const std::string& n) const {
  for (size_t i = 0; i < slots.size(); ++i)
    if (slots[i] == n)
      return int(i);
  return -1;
}

bool ClassInfo::subclass_of(const ClassInfo* other) const {
  for (const ClassInfo* c = this; c; c = c->base)
    if (c == other)
      return true;
  return false;
}

namespace {

bool is_builtin_name(const std::string& n);

/// Resolves scopes of one function and creates FuncInfos for the functions nested in it.
class ScopeBuilder {
public:
  ScopeBuilder(Program& prog, FuncInfo* f) : prog_(prog), f_(f) {}

  void run() {
    for (auto& p : f_->params->names)
      f_->locals.insert(p);
    for (auto& p : f_->params->kwonly)
      f_->locals.insert(p);
    if (!f_->params->vararg.empty())
      f_->locals.insert(f_->params->vararg);
    if (!f_->params->kwarg.empty())
      f_->locals.insert(f_->params->kwarg);
    if (f_->node->kind == K::FunctionDef) {
      for (auto* s : f_->node->a)
        collect_stmt(s);
      for (auto& n : declared_global_) {
        if (auto it = assigned_.find(n); it != assigned_.end())
          unsupported(f_->file, it->second, "assignment to the global variable '" + n + "'");
        f_->locals.erase(n);
      }
      for (auto& n : f_->nonlocals)
        f_->locals.erase(n);
      for (auto* s : f_->node->a)
        resolve(s);
    } else {
      resolve(f_->node->y);
    }
  }

private:
  Program& prog_;
  FuncInfo* f_;
  std::set<std::string> declared_global_;
  std::map<std::string, int> assigned_; ///< name -> first line assigning it
  std::vector<std::map<std::string, std::string>> genexp_scopes_;

  void collect_target(Node* t) {
    if (t->kind == K::Name) {
      f_->locals.insert(t->s);
      assigned_.emplace(t->s, t->line);
    }
    else if (t->kind == K::Tuple || t->kind == K::List)
      for (auto* e : t->a)
        collect_target(e);
    else if (t->kind == K::Starred)
      collect_target(t->x);
    else if (t->kind != K::Subscript && t->kind != K::Attribute)
      unsupported(f_->file, t->line, "this assignment target");
  }

  void collect_stmt(Node* s) {
    switch (s->kind) {
    case K::FunctionDef:
      f_->locals.insert(s->s);
      assigned_.emplace(s->s, s->line);
      return;
    case K::Assign:
      for (auto* t : s->a)
        collect_target(t);
      if (s->x->kind == K::Call) // an accumulation loop moved into __shoal_par (compiler/parallel.hpp)
        for (auto* c : s->x->c)
          collect_stmt(c);
      return;
    case K::AugAssign: collect_target(s->x); return;
    case K::Delete:
      for (auto* t : s->a)
        if (t->kind == K::Name)
          collect_target(t);
      return;
    case K::For: collect_target(s->x); break;
    case K::Handler:
      if (!s->s.empty())
        f_->locals.insert(s->s);
      break;
    case K::Global:
      for (auto& n : s->names)
        declared_global_.insert(n);
      return;
    case K::Nonlocal:
      for (auto& n : s->names)
        f_->nonlocals.insert(n);
      return;
    default: break;
    }
    for (auto* list : {&s->a, &s->b, &s->c, &s->d})
      for (auto* c : *list)
        if (c->kind != K::Keyword)
          collect_stmt(c);
  }

  /// Makes a FuncInfo for a def or lambda nested in this function and resolves its scopes.
  void nested(Node* n) {
    auto fi = std::make_unique<FuncInfo>();
    fi->index = int(prog_.funcs.size());
    fi->name = n->kind == K::Lambda ? "<lambda>" : n->s;
    fi->qualname = f_->qualname + ".<locals>." + fi->name;
    fi->file = f_->file;
    fi->node = n;
    fi->params = n->params;
    fi->parent = f_;
    FuncInfo* raw = fi.get();
    f_->children.push_back(raw);
    prog_.funcs.push_back(std::move(fi));
    n->op = raw->index;
    ScopeBuilder(prog_, raw).run();
  }

  /// Marks name as free in fn, captured from the nearest enclosing function that binds it.
  bool capture(FuncInfo* fn, const std::string& name) {
    FuncInfo* p = fn->parent;
    if (!p)
      return false;
    if (p->locals.count(name)) {
      p->cells.insert(name);
    } else if (!capture(p, name)) {
      return false;
    }
    if (fn->free_index(name) < 0)
      fn->frees.push_back(name);
    return true;
  }

  void resolve_name(Node* n) {
    for (auto it = genexp_scopes_.rbegin(); it != genexp_scopes_.rend(); ++it)
      if (auto r = it->find(n->s); r != it->end()) {
        n->s = r->second;
        n->op = int(NameKind::Local);
        return;
      }
    if (f_->locals.count(n->s)) {
      n->op = int(NameKind::Local);
    } else if (!declared_global_.count(n->s) && capture(f_, n->s)) {
      n->op = int(NameKind::Free);
    } else if (f_->nonlocals.count(n->s)) {
      unsupported(f_->file, n->line, "nonlocal '" + n->s + "' with no binding in an enclosing function");
    } else if (f_->global(n->s) || !is_builtin_name(n->s)) {
      n->op = int(NameKind::Global);
    } else {
      n->op = int(NameKind::Builtin);
    }
  }

  void resolve_genexp(Node* g) {
    genexp_scopes_.emplace_back();
    for (size_t i = 0; i < g->a.size(); ++i) {
      Node* comp = g->a[i];
      if (i == 0) {
        genexp_scopes_.pop_back();
        resolve(comp->y); // the first iterable is evaluated in the enclosing scope
        genexp_scopes_.emplace_back();
      } else {
        resolve(comp->y);
      }
      bind_genexp_target(comp->x, g->id);
      resolve(comp->x);
      for (auto* cond : comp->a)
        resolve(cond);
    }
    resolve(g->x);
    if (g->kind == K::DictComp)
      resolve(g->y);
    genexp_scopes_.pop_back();
  }

  void bind_genexp_target(Node* t, int id) {
    if (t->kind == K::Name) {
      std::string unique = t->s + "#" + std::to_string(id);
      genexp_scopes_.back()[t->s] = unique;
      f_->locals.insert(unique);
    } else if (t->kind == K::Tuple || t->kind == K::List) {
      for (auto* e : t->a)
        bind_genexp_target(e, id);
    } else if (t->kind == K::Starred) {
      bind_genexp_target(t->x, id);
    } else {
      unsupported(f_->file, t->line, "this comprehension target");
    }
  }

  static constexpr int inline_genexp = 1; ///< GenExp::op: compiled inline by the reduction consuming it

  /// Rewrites `(elt for x in it if c ...)` in place into a call of its own generator function,
  /// `<genexpr>(iter(it))` with `def <genexpr>(.0): for x in .0: if c: ... yield elt`, as CPython
  /// compiles it: the first iterable is evaluated (and iter() called) where the expression is,
  /// everything else lazily, in the generator.
  void as_generator_function(Node* g) {
    AstArena& a = prog_.arena;
    // names of enclosing comprehensions' variables (renamed `x#id` in this function) that the
    // generator reads are renamed the same way first, so that it captures them
    if (!genexp_scopes_.empty()) {
      std::set<std::string> own;
      std::function<void(Node*)> targets = [&](Node* t) {
        if (t->kind == K::Name)
          own.insert(t->s);
        for (auto* e : t->a)
          targets(e);
        if (t->kind == K::Starred)
          targets(t->x);
      };
      for (auto* comp : g->a)
        targets(comp->x);
      std::function<void(Node*)> rename = [&](Node* n) {
        if (!n)
          return;
        if (n->kind == K::Name && !own.count(n->s)) {
          for (auto it = genexp_scopes_.rbegin(); it != genexp_scopes_.rend(); ++it)
            if (auto r = it->find(n->s); r != it->end()) {
              n->s = r->second;
              break;
            }
          return;
        }
        if (n->kind == K::Lambda || n->kind == K::FunctionDef)
          return;
        for (Node* c : {n->x, n->y, n->z})
          rename(c);
        for (auto* list : {&n->a, &n->b, &n->c, &n->d})
          for (auto* c : *list)
            rename(c);
      };
      rename(g->x);
      for (size_t i = 0; i < g->a.size(); ++i) {
        if (i > 0)
          rename(g->a[i]->y);
        for (auto* cond : g->a[i]->a)
          rename(cond);
      }
    }
    Node* fd = a.make(K::FunctionDef, g->line, g->col);
    fd->s = "<genexpr>";
    fd->params = a.make_params();
    fd->params->names.push_back(".0");
    Node* yield = a.make(K::Yield, g->line, g->col);
    yield->x = g->x;
    Node* inner = a.make(K::ExprStmt, g->line, g->col);
    inner->x = yield;
    for (size_t i = g->a.size(); i-- > 0;) {
      Node* comp = g->a[i];
      for (size_t k = comp->a.size(); k-- > 0;) {
        Node* test = a.make(K::If, comp->a[k]->line, comp->a[k]->col);
        test->x = comp->a[k];
        test->a = {inner};
        inner = test;
      }
      Node* loop = a.make(K::For, comp->line, comp->col);
      loop->x = comp->x;
      if (i == 0) {
        Node* src = a.make(K::Name, comp->line, comp->col);
        src->s = ".0";
        loop->y = src;
      } else {
        loop->y = comp->y;
      }
      loop->a = {inner};
      inner = loop;
    }
    fd->a = {inner};
    Node* first = g->a[0]->y;
    Node* iter = a.make(K::Call, first->line, first->col);
    iter->x = a.make(K::Name, first->line, first->col);
    iter->x->s = "iter";
    iter->a = {first};
    g->kind = K::Call;
    g->x = fd;
    g->a = {iter};
    g->b.clear();
  }

  void resolve(Node* n) {
    if (!n)
      return;
    switch (n->kind) {
    case K::Name: resolve_name(n); return;
    case K::Yield:
      if (f_->node->kind == K::Lambda || !genexp_scopes_.empty())
        unsupported(f_->file, n->line, "'yield' inside a lambda or comprehension");
      f_->generator = true;
      break;
    case K::FunctionDef:
    case K::Lambda:
      for (auto* d : n->params->defaults)
        resolve(d);
      for (auto* d : n->params->kw_defaults)
        resolve(d);
      if (n->kind == K::FunctionDef && n->s[0] != '<') { // not a genexpr's or a piece's function
        Node fake = *n;
        fake.kind = K::Name;
        nested(n);
        resolve_name(&fake); // the def binds its name in this scope
      } else {
        nested(n);
      }
      return;
    case K::GenExp:
      if (n->op != inline_genexp) {
        as_generator_function(n); // a lazy generator, as CPython's
        resolve(n);
        return;
      }
      resolve_genexp(n);
      return;
    case K::ListComp:
    case K::SetComp:
    case K::DictComp: resolve_genexp(n); return;
    case K::Call:
      // sum/min/max/any/all of one generator expression compile it inline as a loop
      if (n->x->kind == K::Name && n->a.size() == 1 && n->a[0]->kind == K::GenExp &&
          (n->x->s == "sum" || n->x->s == "min" || n->x->s == "max" || n->x->s == "any" || n->x->s == "all"))
        n->a[0]->op = inline_genexp;
      break;
    default: break;
    }
    resolve(n->x);
    resolve(n->y);
    resolve(n->z);
    for (auto* list : {&n->a, &n->b, &n->c, &n->d})
      for (auto* c : *list)
        resolve(c);
  }
};

bool is_builtin_name(const std::string& n) {
  static const std::set<std::string> names = {
      "abs", "min", "max", "int", "float", "bool", "str", "repr", "round", "sum", "any", "all", "len",
      "range", "print", "isinstance", "divmod", "pow", "tuple", "True", "False", "None", "BaseException",
      "Exception", "ArithmeticError", "ZeroDivisionError", "OverflowError", "LookupError", "IndexError",
      "KeyError", "ValueError", "TypeError", "NameError", "UnboundLocalError", "RuntimeError", "RecursionError",
      "NotImplementedError", "AssertionError", "AttributeError", "MemoryError", "StopIteration",
      "FloatingPointError", "KeyboardInterrupt", "SystemExit", "list", "dict", "set", "frozenset", "sorted",
      "reversed", "enumerate", "zip", "map", "filter", "iter", "next", "hash", "ord", "chr", "object", "super",
      "type", "callable", "getattr", "setattr", "hasattr", "format", "id", "slice", "hex", "oct", "bin",
      "staticmethod", "classmethod", "property", "__shoal_par", "__shoal_fork", "__shoal_empty"};
  return names.count(n) > 0;
}

/// Fills each class's bases and members from the wire.
void read_classes(const wire::Program::Reader& w, Program& prog) {
  size_t k = 0;
  for (auto wc : w.getClasses()) {
    ClassInfo* ci = prog.classes[k++].get();
    auto bases = wc.getBases();
    if (bases.size() > 1)
      unsupported(ci->file, ci->line, "multiple inheritance (class " + ci->name + ")");
    for (auto b : bases) {
      PyConst base = read_value(&b, prog);
      if (base.t == PyConst::T::Class)
        ci->base = base.cls;
      else if (base.t == PyConst::T::Builtin && is_exception_name(base.s))
        ci->builtin_base = base.s;
      else if (!(base.t == PyConst::T::Builtin && base.s == "object"))
        unsupported(ci->file, ci->line, "a class deriving from " + (base.s.empty() ? "this base" : base.s));
    }
    for (auto wm : wc.getMembers()) {
      ClassInfo::Member m;
      auto v = wm.getValue();
      PyConst value = read_value(&v, prog);
      switch (wm.getKind()) {
      case wire::Member::Kind::VALUE: m.value = value; break;
      case wire::Member::Kind::METHOD: m.kind = ClassInfo::Member::Kind::Method; break;
      case wire::Member::Kind::STATIC_METHOD: m.kind = ClassInfo::Member::Kind::Static; break;
      case wire::Member::Kind::CLASS_METHOD: m.kind = ClassInfo::Member::Kind::ClassMethod; break;
      case wire::Member::Kind::PROPERTY: m.kind = ClassInfo::Member::Kind::Property; break;
      }
      if (m.kind != ClassInfo::Member::Kind::Value) {
        if (value.t != PyConst::T::Function)
          unsupported(ci->file, ci->line, "the member '" + std::string(wm.getName().cStr()) + "' of class " + ci->name);
        m.fn = value.fn;
        m.fn->method_of = ci;
        auto sv = wm.getSetter();
        PyConst setter = read_value(&sv, prog);
        if (setter.t == PyConst::T::Function) {
          m.setter = setter.fn;
          m.setter->method_of = ci;
        }
      }
      ci->members[wm.getName().cStr()] = std::move(m);
    }
  }
  for (auto& ci : prog.classes) {
    int depth = 0;
    for (ClassInfo* c = ci->base; c; c = c->base)
      if (++depth > 1000 || c == ci.get())
        unsupported(ci->file, ci->line, "a cyclic class hierarchy");
    for (ClassInfo* c = ci->base; c && ci->builtin_base.empty(); c = c->base)
      ci->builtin_base = c->builtin_base;
  }
}

/// Collects the names assigned as attributes anywhere in the program (stores) and the names read
/// (loads).
void attribute_names(const Node* n, std::set<std::string>& out, std::set<std::string>& loads) {
  if (!n)
    return;
  if (n->kind == K::Attribute)
    loads.insert(n->s);
  auto target = [&](const Node* t, auto& self) -> void {
    if (t->kind == K::Attribute)
      out.insert(t->s);
    else if (t->kind == K::Tuple || t->kind == K::List)
      for (auto* e : t->a)
        self(e, self);
    else if (t->kind == K::Starred)
      self(t->x, self);
  };
  if (n->kind == K::Assign || n->kind == K::Delete)
    for (auto* t : n->a)
      target(t, target);
  if (n->kind == K::AugAssign || n->kind == K::For)
    target(n->x, target);
  attribute_names(n->x, out, loads);
  attribute_names(n->y, out, loads);
  attribute_names(n->z, out, loads);
  for (auto* list : {&n->a, &n->b, &n->c, &n->d})
    for (auto* c : *list)
      attribute_names(c, out, loads);
  if (n->params)
    for (auto* list : {&n->params->defaults, &n->params->kw_defaults})
      for (auto* c : *list)
        attribute_names(c, out, loads);
}

/// Methods of the built-in types: an attribute read by one of these names is a method call more
/// often than an instance attribute, so it gets no slot unless some code stores it.
bool builtin_method_name(const std::string& n) {
  static const std::set<std::string> names = {
      "append", "extend", "pop", "insert", "remove", "index", "count", "reverse", "sort", "clear", "copy",
      "get", "keys", "values", "items", "setdefault", "update", "popitem", "add", "discard", "union",
      "intersection", "difference", "symmetric_difference", "issubset", "issuperset", "isdisjoint", "split",
      "rsplit", "join", "strip", "lstrip", "rstrip", "startswith", "endswith", "find", "rfind", "replace",
      "lower", "upper", "format", "splitlines", "title", "capitalize", "isdigit", "isalpha", "isalnum",
      "isspace", "zfill", "center", "ljust", "rjust", "partition", "rpartition", "args", "real", "imag",
      "sqrt", "floor", "ceil", "log", "exp", "sin", "cos", "pi", "inf", "nan"};
  return names.count(n) > 0;
}

/// Gives every class its instance layout: the attributes of its instances as the initial values
/// sent by the client and every attribute name any function stores (a closed program knows them
/// all), base class slots first so that a subclass instance is laid out as its base.
void layout_classes(Program& prog) {
  if (prog.classes.empty())
    return;
  std::set<std::string> stored, loads;
  for (auto& f : prog.funcs)
    attribute_names(f->node, stored, loads);
  std::vector<ClassInfo*> order;
  std::set<ClassInfo*> done;
  std::function<void(ClassInfo*)> visit = [&](ClassInfo* c) {
    if (done.count(c))
      return;
    if (c->base)
      visit(c->base);
    done.insert(c);
    order.push_back(c);
  };
  for (auto& c : prog.classes)
    visit(c.get());
  for (ClassInfo* c : order) {
    if (c->base)
      c->slots = c->base->slots;
    auto property = [&](const std::string& name) {
      auto* m = c->lookup(name);
      return m && m->kind == ClassInfo::Member::Kind::Property;
    };
    for (auto& name : stored)
      if (c->slot(name) < 0 && !property(name))
        c->slots.push_back(name);
    for (auto& name : loads)
      if (c->slot(name) < 0 && !c->lookup(name) && !builtin_method_name(name))
        c->slots.push_back(name);
  }
}

} // namespace

std::unique_ptr<Program> load_program(const void* wp) {
  auto w = *static_cast<const wire::Program::Reader*>(wp);
  auto prog = std::make_unique<Program>();
  for (auto wf : w.getFunctions()) {
    auto fi = std::make_unique<FuncInfo>();
    fi->index = int(prog->funcs.size());
    fi->name = wf.getName();
    fi->qualname = wf.getQualname();
    fi->file = wf.getFile();
    fi->code_hash = wf.getCodeHash();
    prog->top.push_back(fi.get());
    prog->funcs.push_back(std::move(fi));
  }
  for (auto wc : w.getClasses()) {
    auto ci = std::make_unique<ClassInfo>();
    ci->index = int(prog->classes.size());
    ci->name = wc.getName();
    ci->qualname = wc.getQualname();
    ci->file = wc.getFile();
    ci->line = int(wc.getFirstLine());
    prog->classes.push_back(std::move(ci));
  }
  size_t i = 0;
  for (auto wf : w.getFunctions()) {
    FuncInfo* fi = prog->top[i++];
    auto ast = wf.getAst();
    fi->node = read_function(prog->arena, &ast, fi->file);
    fi->params = fi->node->params;
    for (auto b : wf.getGlobals()) {
      auto v = b.getValue();
      fi->globals[b.getName()] = read_value(&v, *prog);
    }
    for (auto b : wf.getClosure()) {
      auto v = b.getValue();
      fi->captured[b.getName()] = read_value(&v, *prog);
    }
    for (auto d : wf.getDefaults())
      fi->defaults.push_back(read_value(&d, *prog));
    for (auto b : wf.getKwDefaults()) {
      auto v = b.getValue();
      fi->kwdefaults[b.getName()] = read_value(&v, *prog);
    }
  }
  read_classes(w, *prog);
  prog->parallel = parallelize(*prog);
  for (size_t k = 0; k < prog->top.size(); ++k)
    ScopeBuilder(*prog, prog->top[k]).run();
  layout_classes(*prog);
  return prog;
}

} // namespace shoal::compiler
