#include "compiler/parallel.hpp"

#include "runtime/numeric.hpp"
#include "runtime/parallel.hpp"

#include <functional>
#include <map>
#include <memory>
#include <set>

namespace shoal::compiler {

namespace {

// ---- what built-ins and methods do --------------------------------------------------------------

const std::set<std::string> mutating_methods = {
    "append", "extend", "insert", "pop", "remove", "clear", "sort", "reverse", "update", "setdefault", "add",
    "discard", "popitem", "difference_update", "intersection_update", "symmetric_difference_update",
    "__setitem__", "__delitem__", "send"};
const std::set<std::string> fresh_methods = {"copy", "split", "rsplit", "splitlines", "strip", "lstrip", "rstrip",
                                             "lower", "upper", "title", "replace", "join", "format", "keys",
                                             "values", "items", "capitalize", "casefold", "zfill"};
const std::set<std::string> fresh_builtins = {"list", "dict", "set", "frozenset", "tuple", "sorted", "str",
                                              "range", "enumerate", "zip", "map", "filter", "reversed", "iter"};

std::string text_of(const Node* n);

/// A short source-like rendering of an expression, for reports.
std::string text_of(const Node* n) {
  if (!n)
    return "";
  switch (n->kind) {
  case K::Name: return n->s;
  case K::Const:
    if (n->cv.t == ConstVal::T::Int)
      return std::to_string(n->cv.i);
    if (n->cv.t == ConstVal::T::Str)
      return "'" + n->cv.s + "'";
    return "...";
  case K::Attribute: return text_of(n->x) + "." + n->s;
  case K::Call: {
    std::string s = text_of(n->x) + "(";
    for (size_t i = 0; i < n->a.size(); ++i)
      s += (i ? ", " : "") + text_of(n->a[i]);
    return s + (n->b.empty() ? ")" : ", ...)");
  }
  case K::BinOp: {
    static const char* ops[] = {"+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^"};
    return text_of(n->x) + " " + ops[n->op % 12] + " " + text_of(n->y);
  }
  case K::Subscript: return text_of(n->x) + "[...]";
  default: return "...";
  }
}

// ---- scopes, as Python decides them syntactically ----------------------------------------------

struct Scope {
  const FuncInfo* top = nullptr; ///< whose globals the names see
  const Node* fn = nullptr;
  std::vector<std::string> params;
  std::set<std::string> locals, fresh, declared; ///< declared: global/nonlocal
  std::map<std::string, Node*> defs;             ///< nested defs and lambdas bound to a local name
  const Scope* parent = nullptr;

  int param(const std::string& n) const {
    for (size_t i = 0; i < params.size(); ++i)
      if (params[i] == n)
        return int(i);
    return -1;
  }
  bool local(const std::string& n) const { return locals.count(n) && !declared.count(n); }
  /// Bound in an enclosing function (a free variable here).
  bool enclosing(const std::string& n) const {
    for (const Scope* s = parent; s; s = s->parent)
      if (s->local(n))
        return true;
    return false;
  }
};

void targets_of(const Node* t, std::set<std::string>& out) {
  if (!t)
    return;
  if (t->kind == K::Name)
    out.insert(t->s);
  else if (t->kind == K::Tuple || t->kind == K::List)
    for (auto* e : t->a)
      targets_of(e, out);
  else if (t->kind == K::Starred)
    targets_of(t->x, out);
}

bool fresh_expr(const Node* e, const Scope& sc);

/// Whether a value is a new object nobody else refers to (or an immutable one).
bool fresh_expr(const Node* e, const Scope& sc) {
  switch (e->kind) {
  case K::List:
  case K::Dict:
  case K::Set:
  case K::ListComp:
  case K::SetComp:
  case K::DictComp:
  case K::GenExp:
  case K::Const:
  case K::JoinedStr:
  case K::BinOp:
  case K::UnaryOp:
  case K::Compare:
  case K::Tuple: return true;
  case K::Call:
    if (e->x->kind == K::Name && !sc.local(e->x->s)) {
      if (fresh_builtins.count(e->x->s))
        return true;
      const PyConst* g = sc.top->global(e->x->s);
      return g && g->t == PyConst::T::Class;
    }
    return e->x->kind == K::Attribute && fresh_methods.count(e->x->s);
  default: return false;
  }
}

void collect_scope(const std::vector<Node*>& body, Scope& sc, std::map<std::string, std::vector<const Node*>>& values) {
  for (auto* s : body) {
    if (!s)
      continue;
    switch (s->kind) {
    case K::Assign:
      for (auto* t : s->a) {
        targets_of(t, sc.locals);
        if (t->kind == K::Name)
          values[t->s].push_back(s->x);
        else {
          std::set<std::string> names;
          targets_of(t, names);
          for (auto& n : names)
            values[n].push_back(nullptr); // unpacked: not known fresh
        }
      }
      break;
    case K::AugAssign: targets_of(s->x, sc.locals); break;
    case K::For:
    case K::Delete: {
      std::set<std::string> names;
      if (s->kind == K::For)
        targets_of(s->x, names);
      for (auto& n : names)
        values[n].push_back(nullptr);
      sc.locals.insert(names.begin(), names.end());
      break;
    }
    case K::FunctionDef:
      sc.locals.insert(s->s);
      sc.defs[s->s] = s;
      values[s->s].push_back(nullptr);
      break;
    case K::Handler:
      if (!s->s.empty()) {
        sc.locals.insert(s->s);
        values[s->s].push_back(nullptr);
      }
      break;
    case K::Global:
    case K::Nonlocal: sc.declared.insert(s->names.begin(), s->names.end()); break;
    default: break;
    }
    if (s->kind != K::FunctionDef)
      for (auto* list : {&s->a, &s->b, &s->c, &s->d})
        if (s->kind != K::Assign)
          collect_scope(*list, sc, values);
  }
}

Scope make_scope(const Node* fn, const FuncInfo* top, const Scope* parent) {
  Scope sc;
  sc.top = top;
  sc.fn = fn;
  sc.parent = parent;
  const Params& p = *fn->params;
  sc.params = p.names;
  sc.params.insert(sc.params.end(), p.kwonly.begin(), p.kwonly.end());
  if (!p.vararg.empty())
    sc.params.push_back(p.vararg);
  if (!p.kwarg.empty())
    sc.params.push_back(p.kwarg);
  sc.locals.insert(sc.params.begin(), sc.params.end());
  if (fn->kind == K::Lambda)
    return sc;
  std::map<std::string, std::vector<const Node*>> values;
  collect_scope(fn->a, sc, values);
  for (auto& [name, vs] : values) {
    if (sc.param(name) >= 0)
      continue;
    bool fresh = true;
    for (auto* v : vs)
      if (v && v->kind == K::Lambda)
        sc.defs[name] = const_cast<Node*>(v);
      else
        fresh = fresh && v && fresh_expr(v, sc);
    if (fresh)
      sc.fresh.insert(name);
  }
  return sc;
}

// ---- effects ---------------------------------------------------------------------------------

/// What calling a function may do that others can see.
struct Effect {
  bool impure = false;
  std::string why;               ///< the first impure thing, for reports
  std::set<int> mutated;         ///< parameters it may mutate
  std::map<int, std::string> what; ///< per mutated parameter, what (e.g. "state" of self)
  bool operator==(const Effect& o) const { return impure == o.impure && mutated == o.mutated; }
};

class Analysis;

/// Walks code, reporting what it does through two callbacks.
struct Walker {
  Analysis& an;
  const Scope& sc;
  /// target: the object mutated (an expression); desc: what, for reports.
  std::function<void(const Node* target, int line, const std::string& desc)> on_mutation;
  std::function<void(int line, const std::string& why)> on_impure;
  void stmts(const std::vector<Node*>& list);
  void stmt(const Node* s);
  void expr(const Node* e);
  void call(const Node* e);
  void store(const Node* target, int line, bool aug);
  void apply(const Effect& eff, const Node* call, const Node* self, const std::string& callee);
};

class Analysis {
public:
  explicit Analysis(Program& prog) : prog_(prog) {
    for (auto& c : prog.classes)
      for (auto& [name, m] : c->members)
        if (m.fn && (m.kind == ClassInfo::Member::Kind::Method))
          methods_[name].push_back(m.fn);
  }
  /// The scope of a function (made once: scopes point to their parents).
  const Scope& scope(const Node* fn, const FuncInfo* top, const Scope* parent) {
    auto it = scopes_.find(fn);
    if (it != scopes_.end())
      return *it->second;
    auto& slot = scopes_[fn];
    slot = std::make_unique<Scope>(make_scope(fn, top, parent));
    return *slot;
  }
  const Effect& summary(const Scope& sc) {
    auto it = summaries_.find(sc.fn);
    if (it != summaries_.end())
      return it->second;
    summaries_[sc.fn] = Effect{}; // optimistic start for recursion; the fixpoint settles it
    pending_.push_back(&sc);
    compute(sc);
    return summaries_[sc.fn];
  }
  const Effect& function(const FuncInfo* f) { return summary(scope(f->node, f, nullptr)); }
  /// Recomputes every summary until none changes.
  void settle() {
    for (int round = 0; round < 20; ++round) {
      bool changed = false;
      for (size_t i = 0; i < pending_.size(); ++i) {
        const Scope& sc = *pending_[i];
        Effect before = summaries_[sc.fn];
        compute(sc);
        changed |= !(summaries_[sc.fn] == before);
      }
      if (!changed)
        return;
    }
  }
  const std::vector<const FuncInfo*>* methods(const std::string& name) {
    auto it = methods_.find(name);
    if (it == methods_.end())
      return nullptr;
    cache_.assign(it->second.begin(), it->second.end());
    return &cache_;
  }
  Program& prog() { return prog_; }

private:
  void compute(const Scope& sc) {
    const Node* fn = sc.fn;
    Effect e;
    Walker w{*this, sc, {}, {}};
    w.on_impure = [&](int line, const std::string& why) {
      if (!e.impure)
        e.why = "line " + std::to_string(line) + ": " + why;
      e.impure = true;
    };
    w.on_mutation = [&](const Node* t, int line, const std::string& desc) {
      const Node* root = t;
      int depth = 0;
      while (root->kind == K::Attribute || root->kind == K::Subscript)
        root = root->x, ++depth;
      if (root->kind == K::Name) {
        int p = sc.param(root->s);
        if (p >= 0) {
          e.mutated.insert(p);
          e.what.emplace(p, desc);
          return;
        }
        if (sc.fresh.count(root->s) && depth == 0)
          return;
        if (sc.local(root->s)) { // an alias of something: of any parameter, as far as we know
          for (size_t i = 0; i < sc.params.size(); ++i)
            e.mutated.insert(int(i)), e.what.emplace(int(i), desc);
          return;
        }
        w.on_impure(line, "updates " + desc + ", shared with the caller");
        return;
      }
      if (fresh_expr(root, sc) && depth == 0)
        return;
      for (size_t i = 0; i < sc.params.size(); ++i)
        e.mutated.insert(int(i)), e.what.emplace(int(i), desc);
    };
    if (fn->kind == K::Lambda)
      w.expr(fn->y);
    else
      w.stmts(fn->a);
    summaries_[fn] = e;
  }

  Program& prog_;
  std::map<const Node*, Effect> summaries_;
  std::map<const Node*, std::unique_ptr<Scope>> scopes_;
  std::vector<const Scope*> pending_;
  std::map<std::string, std::vector<const FuncInfo*>> methods_;
  std::vector<const FuncInfo*> cache_;
};

void Walker::stmts(const std::vector<Node*>& list) {
  for (auto* s : list)
    stmt(s);
}

void Walker::store(const Node* t, int line, bool aug) {
  if (t->kind == K::Attribute || t->kind == K::Subscript) {
    expr(t->x);
    if (t->kind == K::Subscript)
      expr(t->y);
    on_mutation(t->x, line, t->kind == K::Attribute ? text_of(t) : text_of(t->x) + "[...]");
    return;
  }
  if (t->kind == K::Name) {
    if (sc.declared.count(t->s))
      on_impure(line, "assigns " + t->s + ", declared global or nonlocal");
    (void)aug;
    return;
  }
  for (auto* e : t->a)
    store(e, line, aug);
  if (t->kind == K::Starred)
    store(t->x, line, aug);
}

void Walker::stmt(const Node* s) {
  if (!s)
    return;
  switch (s->kind) {
  case K::FunctionDef:
    for (auto* d : s->params->defaults)
      expr(d);
    return; // defining it does nothing; calling it is a call
  case K::Assign:
    expr(s->x);
    for (auto* t : s->a)
      store(t, s->line, false);
    return;
  case K::AugAssign:
    expr(s->y);
    store(s->x, s->line, true);
    if (s->x->kind == K::Name && (s->y->kind == K::List || s->y->kind == K::ListComp))
      on_mutation(s->x, s->line, s->x->s); // `xs += [...]` extends the list in place
    return;
  case K::Delete:
    for (auto* t : s->a)
      if (t->kind != K::Name)
        store(t, s->line, false);
    return;
  case K::For:
    expr(s->y);
    store(s->x, s->line, false);
    break;
  case K::Nonlocal:
  case K::Global: return;
  default: break;
  }
  expr(s->x);
  expr(s->y);
  expr(s->z);
  for (auto* list : {&s->a, &s->b, &s->c, &s->d})
    for (auto* c : *list)
      (c && (c->kind == K::Handler || int(c->kind) <= int(K::Global))) ? stmt(c) : expr(c);
}

void Walker::expr(const Node* e) {
  if (!e)
    return;
  switch (e->kind) {
  case K::Call: call(e); return;
  case K::Lambda:
    for (auto* d : e->params->defaults)
      expr(d);
    return;
  case K::FunctionDef: { // a generator expression's function, or a piece: its body runs here
    const Effect& eff = an.summary(an.scope(e, sc.top, &sc));
    if (eff.impure)
      on_impure(e->line, eff.why);
    return;
  }
  default: break;
  }
  expr(e->x);
  expr(e->y);
  expr(e->z);
  for (auto* list : {&e->a, &e->b, &e->c, &e->d})
    for (auto* c : *list)
      expr(c);
}

void Walker::apply(const Effect& eff, const Node* c, const Node* self, const std::string& callee) {
  if (eff.impure)
    on_impure(c->line, callee + " " + eff.why.substr(eff.why.find(':') + 2));
  for (int p : eff.mutated) {
    const Node* arg = nullptr;
    int k = self ? p - 1 : p;
    if (p == 0 && self)
      arg = self;
    else if (k >= 0 && size_t(k) < c->a.size() && c->a[size_t(k)]->kind != K::Starred)
      arg = c->a[size_t(k)];
    std::string what = eff.what.count(p) ? eff.what.at(p) : "an argument";
    if (arg)
      on_mutation(arg, c->line, text_of(arg) + " (" + callee + " updates " + what + ")");
    else
      for (auto* a : c->a)
        on_mutation(a->kind == K::Starred ? a->x : a, c->line, callee + " updates " + what);
    for (auto* kw : c->b)
      on_mutation(kw->x, c->line, callee + " updates " + what);
  }
}

void Walker::call(const Node* c) {
  for (auto* a : c->a)
    expr(a);
  for (auto* kw : c->b)
    expr(kw->x);
  const Node* f = c->x;
  if (f->kind == K::FunctionDef || f->kind == K::Lambda) { // <genexpr>(...) and friends
    expr(f);
    return;
  }
  if (f->kind == K::Attribute) {
    expr(f->x);
    if (f->x->kind == K::Name && !sc.local(f->x->s)) {
      const PyConst* g = sc.top->global(f->x->s);
      if (g && g->t == PyConst::T::Module)
        return; // math.sqrt(...)
    }
    if (auto* ms = an.methods(f->s)) {
      std::vector<const FuncInfo*> copy = *ms;
      for (const FuncInfo* m : copy)
        apply(an.function(m), c, f->x, f->x->kind == K::Name ? f->x->s + "." + f->s + "()" : f->s + "()");
      return;
    }
    if (mutating_methods.count(f->s))
      on_mutation(f->x, c->line, text_of(f->x) + " (." + f->s + "())");
    return;
  }
  if (f->kind != K::Name) {
    expr(f);
    on_impure(c->line, "calls a function computed at run time");
    return;
  }
  const std::string& n = f->s;
  if (sc.local(n) || sc.enclosing(n)) {
    for (const Scope* s = &sc; s; s = s->parent)
      if (s->local(n)) {
        auto d = s->defs.find(n);
        if (d == s->defs.end())
          break;
        apply(an.summary(an.scope(d->second, sc.top, s)), c, nullptr, n + "()");
        return;
      }
    on_impure(c->line, "calls " + n + ", a function chosen at run time");
    return;
  }
  if (const PyConst* g = sc.top->global(n)) {
    if (g->t == PyConst::T::Function && g->fn) {
      apply(an.function(g->fn), c, nullptr, n + "()");
      return;
    }
    if (g->t == PyConst::T::Class && g->cls) {
      if (auto* init = g->cls->lookup("__init__"); init && init->fn) {
        Effect eff = an.function(init->fn);
        eff.mutated.erase(0); // the new instance itself
        apply(eff, c, f, n + "()");
      }
      return;
    }
    if (g->t != PyConst::T::Builtin) {
      on_impure(c->line, "calls " + n + ", not a function shoal can see into");
      return;
    }
  }
  if (n == "print")
    on_impure(c->line, "prints");
  else if ((n == "next" || n == "setattr" || n == "delattr") && !c->a.empty())
    on_mutation(c->a[0], c->line, text_of(c->a[0]) + " (" + n + "())");
}

// ---- rewriting ---------------------------------------------------------------------------------

const std::set<std::string> reductions = {"sum", "min", "max", "any", "all"};

/// Why an iterable is certainly not split (a call producing an iterator), or empty.
std::string not_a_sequence(const Node* it) {
  static const std::set<std::string> iterators = {"enumerate", "map", "filter", "reversed", "iter"};
  static const std::set<std::string> views = {"items", "keys", "values"};
  if (it->kind == K::Call && it->x->kind == K::Name && iterators.count(it->x->s))
    return "it iterates " + it->x->s + "(...); only ranges, lists, tuples and zips of lists are split";
  if (it->kind == K::Call && it->x->kind == K::Attribute && views.count(it->x->s))
    return "it iterates a dict view; only ranges, lists, tuples and zips of lists are split";
  if (it->kind == K::GenExp)
    return "it iterates a generator; only ranges, lists, tuples and zips of lists are split";
  return "";
}

const char* split_note = "split over its elements when the sequence is a range, a list or a tuple (or a zip of them)";

class Rewriter {
public:
  Rewriter(Program& prog, Analysis& an, std::vector<ParDecision>& out) : prog_(prog), an_(an), out_(out) {}

  void function(FuncInfo* fi) {
    if (fi->node->kind != K::FunctionDef)
      return;
    block(fi->node->a, an_.scope(fi->node, fi, nullptr));
  }

private:
  AstArena& arena() { return prog_.arena; }
  Node* name(const std::string& n, int line) {
    Node* x = arena().make(K::Name, line, 0);
    x->s = n;
    return x;
  }
  Node* clone(const Node* n) {
    if (!n)
      return nullptr;
    Node* c = arena().make(n->kind, n->line, n->col);
    int id = c->id;
    *c = *n;
    c->id = id;
    c->x = clone(n->x), c->y = clone(n->y), c->z = clone(n->z);
    for (auto* list : {&c->a, &c->b, &c->c, &c->d})
      for (auto& e : *list)
        e = clone(e);
    if (n->params) {
      c->params = arena().make_params();
      *c->params = *n->params;
      for (auto& d : c->params->defaults)
        d = clone(d);
      for (auto& d : c->params->kw_defaults)
        d = clone(d);
    }
    return c;
  }
  void decide(const Node* at, const std::string& what, bool par, const std::string& reason) {
    out_.push_back({file_, at->line, what, par, reason});
  }

  void block(std::vector<Node*>& body, const Scope& sc) {
    file_ = sc.top->file;
    for (size_t i = 0; i < body.size(); ++i) {
      Node* s = body[i];
      if (fork_sequence(body, i, sc))
        continue;
      if (s->kind == K::For && fold(body, i, sc))
        continue;
      if (s->kind == K::Assign || s->kind == K::Return || s->kind == K::AugAssign || s->kind == K::ExprStmt) {
        Node** slot = s->kind == K::AugAssign ? &s->y : &s->x;
        if (*slot && construct(body, i, slot, sc))
          continue;
        if (*slot)
          fork_expr(*slot, sc);
      }
      if (s->kind == K::FunctionDef) {
        block(s->a, an_.scope(s, sc.top, &sc));
        file_ = sc.top->file;
        continue;
      }
      for (auto* list : {&s->a, &s->b, &s->c, &s->d})
        if (!list->empty() && s->kind != K::Assign)
          for (auto* h : *list)
            if (h && h->kind == K::Handler)
              block(h->a, sc);
      if (s->kind == K::If || s->kind == K::While || s->kind == K::For || s->kind == K::Try) {
        block(s->a, sc);
        block(s->b, sc);
        if (s->kind == K::Try) {
          block(s->c, sc);
          block(s->d, sc);
        }
      }
    }
  }

  /// Why the code of a piece is not safe to run beside others (empty: it is). Every name it
  /// reads from outside is shared; so are its loop variables' values.
  std::string unsafe(const std::vector<const Node*>& code, const std::vector<const Node*>& stmts, const Scope& sc) {
    std::string why;
    Walker w{an_, sc, {}, {}};
    w.on_impure = [&](int line, const std::string& r) {
      if (why.empty())
        why = "line " + std::to_string(line) + ": " + r;
    };
    w.on_mutation = [&](const Node* t, int line, const std::string& desc) {
      const Node* root = t;
      int depth = 0;
      while (root->kind == K::Attribute || root->kind == K::Subscript)
        root = root->x, ++depth;
      if (depth == 0 && root->kind != K::Name && fresh_expr(root, sc))
        return;
      if (why.empty())
        why = "line " + std::to_string(line) + ": the loop body updates " + desc;
    };
    for (auto* e : code)
      w.expr(e);
    for (auto* s : stmts)
      w.stmt(s);
    return why;
  }

  /// Names an expression reads that are locals of the enclosing function (they become the
  /// piece's parameters); false when one is a local function (or a lambda).
  bool captures(const std::vector<const Node*>& code, const std::set<std::string>& bound, const Scope& sc,
                std::vector<std::string>& out, std::string& why) {
    std::set<std::string> seen;
    bool ok = true;
    std::function<void(const Node*, std::set<std::string>)> walk = [&](const Node* n, std::set<std::string> b) {
      if (!n)
        return;
      if (n->kind == K::Lambda || n->kind == K::FunctionDef || (n->kind == K::GenExp)) {
        ok = false;
        why = "line " + std::to_string(n->line) + ": the loop body makes a function or a generator";
        return;
      }
      if (n->kind == K::ListComp || n->kind == K::SetComp || n->kind == K::DictComp) {
        for (auto* g : n->a) {
          walk(g->y, b);
          targets_of(g->x, b);
          for (auto* cond : g->a)
            walk(cond, b);
        }
        walk(n->x, b);
        walk(n->y, b);
        return;
      }
      if (n->kind == K::Call && n->x->kind == K::Name && reductions.count(n->x->s) && n->a.size() == 1 &&
          n->a[0]->kind == K::GenExp) {
        Node tmp = *n->a[0];
        tmp.kind = K::ListComp;
        walk(&tmp, b);
        return;
      }
      if (n->kind == K::Name && !b.count(n->s) && sc.local(n->s) && !seen.count(n->s)) {
        if (sc.defs.count(n->s)) {
          ok = false;
          why = "line " + std::to_string(n->line) + ": the loop body calls " + n->s + ", a local function";
          return;
        }
        seen.insert(n->s);
        out.push_back(n->s);
      }
      for (const Node* c : {n->x, n->y, n->z})
        walk(c, b);
      for (auto* list : {&n->a, &n->b, &n->c, &n->d})
        for (auto* c : *list)
          walk(c, b);
    };
    for (auto* e : code)
      walk(e, bound);
    return ok;
  }

  /// Hidden locals holding the iterable (range bounds, or the sequence), assigned before stmt i.
  /// Returns the sequence argument of __shoal_par and sets iter_seq/iter_piece: the iterable the
  /// sequential and the piece code then use.
  Node* hoist(std::vector<Node*>& body, size_t& i, Node* iter, Node*& iter_seq, Node*& iter_piece,
              std::vector<std::string>& piece_params) {
    int k = counter_++;
    int line = iter->line;
    auto hidden = [&](int j) { return ".p" + std::to_string(k) + "_" + std::to_string(j); };
    std::vector<Node*> values;
    bool range = iter->kind == K::Call && iter->x->kind == K::Name && iter->x->s == "range" && iter->b.empty() &&
                 !iter->a.empty() && iter->a.size() <= 3;
    bool zip = iter->kind == K::Call && iter->x->kind == K::Name && iter->x->s == "zip" && iter->b.empty() &&
               iter->a.size() >= 2 && iter->a.size() <= 4;
    for (auto* a : iter->a)
      range = range && a->kind != K::Starred, zip = zip && a->kind != K::Starred;
    Node* seq;
    if (zip) { // zip(A, B, ...) of lists: the pieces zip views of the same index range of each
      values = iter->a;
      iter_seq = arena().make(K::Call, line, iter->col);
      iter_seq->x = name("zip", line);
      iter_piece = clone(iter_seq);
      seq = arena().make(K::List, line, 0);
      for (size_t j = 0; j < values.size(); ++j) {
        iter_seq->a.push_back(name(hidden(int(j)), line));
        piece_params.push_back(".v" + std::to_string(j));
        iter_piece->a.push_back(name(piece_params.back(), line));
        seq->a.push_back(name(hidden(int(j)), line));
      }
    } else if (range) {
      Node* zero = arena().make(K::Const, line, 0);
      zero->cv.t = ConstVal::T::Int;
      Node* one = clone(zero);
      one->cv.i = 1;
      if (iter->a.size() == 1)
        values = {zero, iter->a[0], one};
      else
        values = {iter->a[0], iter->a[1], iter->a.size() == 3 ? iter->a[2] : one};
      auto rng = [&](Node* a, Node* b) {
        Node* r = arena().make(K::Call, line, iter->col);
        r->x = name("range", line);
        r->a = {a, b, name(hidden(2), line)};
        return r;
      };
      iter_seq = rng(name(hidden(0), line), name(hidden(1), line));
      iter_piece = rng(name(".a", line), name(".b", line));
      piece_params = {".a", ".b"};
      seq = arena().make(K::Tuple, line, 0);
      seq->a = {name(hidden(0), line), name(hidden(1), line), name(hidden(2), line)};
    } else {
      values = {iter};
      iter_seq = name(hidden(0), line);
      iter_piece = name(".v", line);
      piece_params = {".v"};
      seq = name(hidden(0), line);
    }
    for (size_t j = 0; j < values.size(); ++j) {
      Node* as = arena().make(K::Assign, line, 0);
      as->a = {name(hidden(int(j)), line)};
      as->x = values[j];
      body.insert(body.begin() + long(i), as);
      ++i;
    }
    return seq;
  }

  Node* par_call(int kind, Node* piece, Node* seq, Node* sequential, const std::vector<std::string>& caps, int line) {
    Node* c = arena().make(K::Call, line, 0);
    c->x = name("__shoal_par", line);
    Node* k = arena().make(K::Const, line, 0);
    k->cv.t = ConstVal::T::Int;
    k->cv.i = kind;
    Node* tup = arena().make(K::Tuple, line, 0);
    for (auto& n : caps)
      tup->a.push_back(name(n, line));
    c->a = {k, piece, seq, sequential, tup};
    return c;
  }

  Node* piece_fn(const std::string& fname, const std::vector<std::string>& params, int line) {
    Node* fd = arena().make(K::FunctionDef, line, 0);
    fd->s = fname;
    fd->params = arena().make_params();
    fd->params->names = params;
    return fd;
  }

  /// A parallel reduction or list comprehension in a statement: rewritten in place.
  bool construct(std::vector<Node*>& body, size_t& i, Node** slot, const Scope& sc) {
    Node** at = find_construct(slot);
    if (!at) {
      report_nested(*slot);
      return false;
    }
    Node* c = *at;
    bool listcomp = c->kind == K::ListComp;
    Node* gen = listcomp ? c : c->a[0];
    std::string what = (listcomp ? "[... for " : c->x->s + "(... for ") + text_of(gen->a[0]->x) + " in " +
                       text_of(gen->a[0]->y) + (listcomp ? "]" : ")");
    if (gen->a.size() != 1)
      return decide(c, what, false, "more than one 'for' in one comprehension"), false;
    Node* comp = gen->a[0];
    if (!listcomp && (c->x->s == "min" || c->x->s == "max") && !comp->a.empty())
      return decide(c, what, false, "min/max with a filter"), false;
    std::set<std::string> bound;
    targets_of(comp->x, bound);
    std::vector<const Node*> code{gen->x};
    for (auto* cond : comp->a)
      code.push_back(cond);
    std::string why = not_a_sequence(comp->y);
    if (why.empty())
      why = unsafe(code, {}, sc);
    std::vector<std::string> caps;
    if (why.empty())
      captures(code, bound, sc, caps, why);
    if (!why.empty())
      return decide(c, what, false, why), false;
    Node *iter_seq, *iter_piece;
    std::vector<std::string> params;
    Node* seq = hoist(body, i, comp->y, iter_seq, iter_piece, params);
    Node* piece_body = clone(c);
    Node* pgen = listcomp ? piece_body : piece_body->a[0];
    pgen->a[0]->y = iter_piece;
    comp->y = iter_seq;
    params.insert(params.end(), caps.begin(), caps.end());
    Node* fd = piece_fn(listcomp ? "<listcomp>" : "<genexpr>", params, c->line);
    Node* ret = arena().make(K::Return, c->line, 0);
    ret->x = piece_body;
    fd->a = {ret};
    int kind = listcomp ? int(rt::ParKind::List) : par_kind_of(c->x->s);
    *at = par_call(kind | heavy(code, sc), fd, seq, c, caps, c->line);
    decide(c, what, true, split_note);
    return true;
  }

  /// par_heavy when the element code calls a user function or loops: its elements are likely
  /// expensive, so an inexact reduction of it is blocked finely (runtime/parallel.hpp).
  int heavy(const std::vector<const Node*>& code, const Scope& sc) {
    bool found = false;
    std::function<void(const Node*)> walk = [&](const Node* n) {
      if (!n || found)
        return;
      if (n->kind == K::ListComp || n->kind == K::SetComp || n->kind == K::DictComp || n->kind == K::GenExp)
        found = true;
      if (n->kind == K::Call && n->x->kind == K::Name && !is_builtin_call(n->x->s, sc))
        found = true;
      if (n->kind == K::Call && n->x->kind == K::Attribute && an_.methods(n->x->s))
        found = true;
      for (const Node* c : {n->x, n->y, n->z})
        walk(c);
      for (auto* list : {&n->a, &n->b})
        for (auto* c : *list)
          walk(c);
    };
    for (auto* c : code)
      walk(c);
    return found ? int(rt::par_heavy) : 0;
  }

  static bool is_builtin_call(const std::string& n, const Scope& sc) {
    if (sc.local(n) || sc.enclosing(n))
      return false;
    const PyConst* g = sc.top->global(n);
    return !g || g->t == PyConst::T::Builtin || g->t == PyConst::T::Module;
  }

  /// The construct a statement's value starts with: itself, or reached through operands that
  /// are evaluated before it and are only names and constants.
  Node** find_construct(Node** slot) {
    Node* e = *slot;
    if (is_construct(e))
      return slot;
    std::vector<Node**> order;
    switch (e->kind) {
    case K::BinOp: order = {&e->x, &e->y}; break;
    case K::UnaryOp: order = {&e->x}; break;
    case K::Call:
      if (e->x->kind != K::Name)
        return nullptr;
      for (auto& a : e->a)
        order.push_back(&a);
      break;
    case K::Tuple:
      for (auto& a : e->a)
        order.push_back(&a);
      break;
    default: return nullptr;
    }
    for (Node** o : order) {
      if (Node** found = find_construct(o))
        return found;
      if ((*o)->kind != K::Name && (*o)->kind != K::Const)
        return nullptr;
    }
    return nullptr;
  }

  static bool is_construct(const Node* e) {
    if (e->kind == K::ListComp)
      return true;
    return e->kind == K::Call && e->x->kind == K::Name && reductions.count(e->x->s) && e->a.size() == 1 &&
           e->b.empty() && e->a[0]->kind == K::GenExp;
  }

  void report_nested(const Node* e) {
    if (!e)
      return;
    if (is_construct(e)) {
      decide(e, e->kind == K::ListComp ? "[... for ...]" : e->x->s + "(... for ...)", false,
             "runs inside a larger expression; only a whole assignment, return or accumulation is split");
      return;
    }
    if (e->kind == K::Lambda || e->kind == K::FunctionDef)
      return;
    for (const Node* c : {e->x, e->y, e->z})
      report_nested(c);
    for (auto* list : {&e->a, &e->b})
      for (auto* c : *list)
        report_nested(c);
  }

  // ---- for-loop accumulations

  struct Accumulation {
    std::string acc;
    Node* value = nullptr; ///< E
    int kind = 0;
    Node* guard = nullptr; ///< P, or null
    Node* stmt = nullptr;
  };

  bool accumulation(Node* s, Accumulation& a) {
    a.stmt = s;
    auto is_acc = [](const Node* n) { return n->kind == K::Name; };
    if (s->kind == K::AugAssign && is_acc(s->x) && (s->op == int(rt::BinOp::Add) || s->op == int(rt::BinOp::Mul))) {
      a.acc = s->x->s;
      a.value = s->y;
      a.kind = int(s->op == int(rt::BinOp::Add) ? rt::ParKind::FoldIAdd : rt::ParKind::FoldIMul);
      return true;
    }
    if (s->kind != K::Assign || s->a.size() != 1 || !is_acc(s->a[0]))
      return false;
    a.acc = s->a[0]->s;
    Node* v = s->x;
    if (v->kind == K::BinOp && is_acc(v->x) && v->x->s == a.acc &&
        (v->op == int(rt::BinOp::Add) || v->op == int(rt::BinOp::Mul))) {
      a.value = v->y;
      a.kind = int(v->op == int(rt::BinOp::Add) ? rt::ParKind::FoldAdd : rt::ParKind::FoldMul);
      return true;
    }
    if (v->kind == K::Call && v->x->kind == K::Name && (v->x->s == "min" || v->x->s == "max") && v->a.size() == 2 &&
        v->b.empty() && is_acc(v->a[0]) && v->a[0]->s == a.acc) {
      a.value = v->a[1];
      a.kind = int(v->x->s == "min" ? rt::ParKind::FoldMin : rt::ParKind::FoldMax);
      return true;
    }
    if (v->kind == K::BoolOp && v->a.size() == 2 && is_acc(v->a[0]) && v->a[0]->s == a.acc) {
      a.value = v->a[1];
      a.kind = int(v->s == "Or" ? rt::ParKind::FoldOr : rt::ParKind::FoldAnd);
      return true;
    }
    return false;
  }

  static bool mentions(const Node* n, const std::string& name) {
    if (!n)
      return false;
    if (n->kind == K::Name && n->s == name)
      return true;
    for (const Node* c : {n->x, n->y, n->z})
      if (mentions(c, name))
        return true;
    for (auto* list : {&n->a, &n->b, &n->c, &n->d})
      for (auto* c : *list)
        if (mentions(c, name))
          return true;
    return false;
  }

  /// `for x in S: acc = acc OP E`: rewritten into `acc = __shoal_par(..., init=acc)` whose
  /// sequential path is the loop itself.
  bool fold(std::vector<Node*>& body, size_t& i, const Scope& sc) {
    Node* loop = body[i];
    std::string what = "for " + text_of(loop->x) + " in " + text_of(loop->y);
    std::string why = not_a_sequence(loop->y);
    if (why.empty())
      why = unsafe({}, {loop}, sc);
    if (!why.empty())
      return decide(loop, what, false, why), false;
    Accumulation a;
    Node* inner = loop->a.size() == 1 ? loop->a[0] : nullptr;
    if (inner && inner->kind == K::If && inner->b.empty() && inner->a.size() == 1) {
      a.guard = inner->x;
      inner = inner->a[0];
    }
    if (!loop->b.empty() || !inner || !accumulation(inner, a))
      return decide(loop, what, false, "the body is not one accumulation (acc = acc + ..., +=, *=, min, max, or, and)"),
             false;
    what += ": " + a.acc + " accumulates";
    std::set<std::string> bound;
    targets_of(loop->x, bound);
    if (mentions(a.value, a.acc) || (a.guard && mentions(a.guard, a.acc)) || bound.count(a.acc) ||
        sc.declared.count(a.acc) || !sc.local(a.acc))
      return decide(loop, what, false, "the accumulator is read by the rest of the body"), false;
    // the loop variable must not be read after the loop (the parallel path does not set it)
    for (auto& t : bound)
      for (size_t j = 0; j < body.size(); ++j)
        if (j != i && mentions(body[j], t))
          return decide(loop, what, false, "the loop variable " + t + " is used outside the loop"), false;
    bool assigned_before = false;
    for (size_t j = 0; j < i; ++j)
      assigned_before |= body[j]->kind == K::Assign && body[j]->a.size() == 1 && body[j]->a[0]->kind == K::Name &&
                         body[j]->a[0]->s == a.acc;
    if (!assigned_before)
      return decide(loop, what, false, "the accumulator is not set just before the loop"), false;
    std::vector<const Node*> code{a.value};
    if (a.guard)
      code.push_back(a.guard);
    std::vector<std::string> caps;
    if (!captures(code, bound, sc, caps, why))
      return decide(loop, what, false, why), false;
    Node *iter_seq, *iter_piece;
    std::vector<std::string> params;
    Node* seq = hoist(body, i, loop->y, iter_seq, iter_piece, params);
    loop->y = iter_seq;
    params.insert(params.end(), caps.begin(), caps.end());
    body[i] = fold_stmt(loop, a, seq, iter_piece, params, caps, code, sc);
    decide(loop, what, true, std::string(split_note) + "; partial results combine in index order");
    return true;
  }

  /// `acc = __shoal_par(kind, <loop>, seq, acc, caps, acc)` with the original loop as the
  /// sequential path (Node::c of the call).
  Node* fold_stmt(Node* loop, const Accumulation& a, Node* seq, Node* iter_piece,
                  const std::vector<std::string>& params, const std::vector<std::string>& caps,
                  const std::vector<const Node*>& code, const Scope& sc) {
    int line = loop->line;
    // def <loop>(.a, .b, caps...):
    //     .n = True
    //     for x in range(.a, .b, step):
    //         if P:
    //             if .n: acc = E; .n = False
    //             else: acc = acc OP E         (never in place: E may be shared)
    //     return __shoal_empty() if .n else acc
    Node* fd = piece_fn("<loop>", params, line);
    auto assign = [&](const std::string& target, Node* value) {
      Node* s = arena().make(K::Assign, line, 0);
      s->a = {name(target, line)};
      s->x = value;
      return s;
    };
    auto boolean = [&](bool v) {
      Node* c = arena().make(K::Const, line, 0);
      c->cv.t = ConstVal::T::Bool;
      c->cv.i = v;
      return c;
    };
    Node* step = clone(a.stmt);
    if (step->kind == K::AugAssign) { // acc op= E  ->  acc = acc op E
      Node* bin = arena().make(K::BinOp, line, 0);
      bin->op = step->op;
      bin->x = name(a.acc, line);
      bin->y = step->y;
      step = assign(a.acc, bin);
    }
    Node* first = arena().make(K::If, line, 0);
    first->x = name(".n", line);
    first->a = {assign(a.acc, clone(a.value)), assign(".n", boolean(false))};
    first->b = {step};
    Node* inner = first;
    if (a.guard) {
      inner = arena().make(K::If, line, 0);
      inner->x = clone(a.guard);
      inner->a = {first};
    }
    Node* loop2 = arena().make(K::For, line, 0);
    loop2->x = clone(loop->x);
    loop2->y = iter_piece;
    loop2->a = {inner};
    Node* empty = arena().make(K::Call, line, 0);
    empty->x = name("__shoal_empty", line);
    Node* pick = arena().make(K::IfExp, line, 0);
    pick->x = name(".n", line);
    pick->y = empty;
    pick->z = name(a.acc, line);
    Node* ret = arena().make(K::Return, line, 0);
    ret->x = pick;
    fd->a = {assign(".n", boolean(true)), loop2, ret};
    Node* call = par_call(a.kind | heavy(code, sc), fd, seq, name(a.acc, line), caps, line);
    call->a.push_back(name(a.acc, line));
    call->c = {loop};
    return assign(a.acc, call);
  }

  // ---- independent calls

  /// A call of a user function that may run beside others: pure for these arguments, which are
  /// simple enough to evaluate before any of the calls.
  bool pure_call(const Node* e, const Scope& sc) {
    if (e->kind != K::Call || e->x->kind != K::Name || !e->b.empty() || sc.local(e->x->s) || sc.enclosing(e->x->s))
      return false;
    const PyConst* g = sc.top->global(e->x->s);
    if (!g || g->t != PyConst::T::Function || !g->fn || g->fn->node->kind != K::FunctionDef || g->fn->generator)
      return false;
    for (auto* a : e->a)
      if (!simple(a))
        return false;
    const Effect& eff = an_.function(g->fn);
    if (eff.impure)
      return false;
    for (int p : eff.mutated)
      if (size_t(p) < e->a.size() && !fresh_expr(e->a[size_t(p)], sc))
        return false;
    return true;
  }

  /// Evaluating it cannot raise (or raises what it would anyway) nor do anything visible.
  static bool simple(const Node* e) {
    switch (e->kind) {
    case K::Name:
    case K::Const: return true;
    case K::UnaryOp: return e->s == "USub" && simple(e->x);
    case K::BinOp: {
      auto op = rt::BinOp(e->op);
      if (op == rt::BinOp::Add || op == rt::BinOp::Sub || op == rt::BinOp::Mul)
        return simple(e->x) && simple(e->y);
      if (op == rt::BinOp::FloorDiv || op == rt::BinOp::Mod || op == rt::BinOp::RShift)
        return simple(e->x) && e->y->kind == K::Const && e->y->cv.t == ConstVal::T::Int && e->y->cv.i > 0;
      return false;
    }
    case K::Subscript:
      return e->y->kind == K::Slice && simple(e->x) && (!e->y->x || simple(e->y->x)) && (!e->y->y || simple(e->y->y)) &&
             !e->y->z;
    default: return false;
    }
  }

  Node* fork_call(Node* e, int line) {
    Node* c = arena().make(K::Call, line, 0);
    c->x = name("__shoal_fork", line);
    c->a = {e};
    return c;
  }

  /// `f(a) + f(b)`, `g(f(a), f(b))`, `(f(a), f(b))`: the expression's independent calls run at once.
  void fork_expr(Node*& e, const Scope& sc) {
    std::vector<Node*> operands;
    if (e->kind == K::BinOp)
      operands = {e->x, e->y};
    else if (e->kind == K::Tuple || (e->kind == K::Call && e->x->kind == K::Name && e->b.empty()))
      operands = e->a;
    else
      return;
    std::vector<Node*> calls;
    for (auto* o : operands)
      if (pure_call(o, sc))
        calls.push_back(o);
      else if (!simple(o))
        return;
    if (calls.size() < 2)
      return;
    std::string what;
    for (auto* c : calls) {
      c->par = true;
      what += (what.empty() ? "" : ", ") + text_of(c);
    }
    decide(e, what, true, "independent calls run at once");
    e = fork_call(e, e->line);
  }

  /// Consecutive `a = f(...)`, `b = g(...)` whose calls are independent: one tuple assignment
  /// `a, b = __shoal_fork((f(...), g(...)))`.
  bool fork_sequence(std::vector<Node*>& body, size_t i, const Scope& sc) {
    std::set<std::string> targets;
    size_t j = i;
    for (; j < body.size(); ++j) {
      Node* s = body[j];
      if (s->kind != K::Assign || s->a.size() != 1 || s->a[0]->kind != K::Name || !pure_call(s->x, sc) ||
          targets.count(s->a[0]->s))
        break;
      bool reads_target = false;
      for (auto& t : targets)
        reads_target |= mentions(s->x, t);
      if (reads_target)
        break;
      targets.insert(s->a[0]->s);
    }
    if (j - i < 2)
      return false;
    int line = body[i]->line;
    Node* lhs = arena().make(K::Tuple, line, 0);
    Node* rhs = arena().make(K::Tuple, line, 0);
    std::string what;
    for (size_t k = i; k < j; ++k) {
      lhs->a.push_back(body[k]->a[0]);
      body[k]->x->par = true;
      rhs->a.push_back(body[k]->x);
      what += (what.empty() ? "" : ", ") + text_of(body[k]->x);
    }
    Node* as = arena().make(K::Assign, line, 0);
    as->a = {lhs};
    as->x = fork_call(rhs, line);
    body.erase(body.begin() + long(i) + 1, body.begin() + long(j));
    body[i] = as;
    decide(as, what, true, "independent calls run at once");
    return true;
  }

  Program& prog_;
  Analysis& an_;
  std::vector<ParDecision>& out_;
  std::string file_;
  int counter_ = 0;
};

} // namespace

int par_kind_of(const std::string& r) {
  if (r == "sum")
    return int(rt::ParKind::Sum);
  if (r == "min")
    return int(rt::ParKind::Min);
  if (r == "max")
    return int(rt::ParKind::Max);
  if (r == "any")
    return int(rt::ParKind::Any);
  return int(rt::ParKind::All);
}

std::vector<ParDecision> parallelize(Program& prog) {
  Analysis an(prog);
  for (auto* f : prog.top)
    an.function(f);
  an.settle();
  std::vector<ParDecision> out;
  Rewriter rw(prog, an, out);
  for (auto* f : prog.top)
    rw.function(f);
  return out;
}

} // namespace shoal::compiler
