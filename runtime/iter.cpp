/// Iterators over every iterable kind, range objects, dict views, enumerate/zip/map/filter/
/// reversed, calling function values and freezing shared containers.

#include "runtime/containers_detail.hpp"
#include "runtime/objects.hpp"

namespace shoal::rt {

using namespace detail;

namespace {
template <class T> T* make_iter(bool (*next)(Ctx*, Iter*, Val*), const char* name) {
  auto* it = static_cast<T*>(gc_alloc(sizeof(T)));
  it->next = next;
  it->type_name = name;
  return it;
}

/// One-character strings for ASCII, shared by every str iterator.
Str* const* ascii_chars() {
  static Str* const* table = [] {
    auto** t = static_cast<Str**>(gc_alloc(sizeof(Str*) * 128));
    for (int i = 0; i < 128; ++i) {
      char ch = char(i);
      t[i] = str_new(&ch, 1);
    }
    return t;
  }();
  return table;
}

Val char_at(const Str* s, int64_t off, int64_t* len) {
  auto b = static_cast<unsigned char>(s->data[off]);
  if (b < 0x80) {
    *len = 1;
    return box_ptr(Tag::Str, ascii_chars()[b]);
  }
  int64_t e = off + 1;
  while (e < s->len && (static_cast<unsigned char>(s->data[e]) & 0xC0) == 0x80)
    ++e;
  *len = e - off;
  return box_ptr(Tag::Str, str_new(s->data + off, e - off));
}

struct ListIter : Iter {
  List* l;
  int64_t i;
};
bool list_next(Ctx*, Iter* base, Val* out) {
  auto* it = static_cast<ListIter*>(base);
  if (it->l && it->i < it->l->n) {
    *out = it->l->items[it->i++];
    return true;
  }
  it->l = nullptr; // exhausted for good, as CPython
  return false;
}
bool list_rev_next(Ctx*, Iter* base, Val* out) {
  auto* it = static_cast<ListIter*>(base);
  if (it->l && it->i >= 0 && it->i < it->l->n) {
    *out = it->l->items[it->i--];
    return true;
  }
  it->l = nullptr;
  return false;
}

struct TupleIter : Iter {
  const Tuple* t;
  int64_t i;
  int64_t step;
};
bool tuple_next(Ctx*, Iter* base, Val* out) {
  auto* it = static_cast<TupleIter*>(base);
  if (it->i < 0 || it->i >= it->t->n)
    return false;
  *out = it->t->items[it->i];
  it->i += it->step;
  return true;
}

struct StrIter : Iter {
  const Str* s;
  int64_t off; ///< byte offset of the next code point (reversed: one past its last byte)
};
bool str_next(Ctx*, Iter* base, Val* out) {
  auto* it = static_cast<StrIter*>(base);
  if (it->off >= it->s->len)
    return false;
  int64_t len;
  *out = char_at(it->s, it->off, &len);
  it->off += len;
  return true;
}
bool str_rev_next(Ctx*, Iter* base, Val* out) {
  auto* it = static_cast<StrIter*>(base);
  if (it->off <= 0)
    return false;
  int64_t b = it->off - 1;
  while (b > 0 && (static_cast<unsigned char>(it->s->data[b]) & 0xC0) == 0x80)
    --b;
  int64_t len;
  *out = char_at(it->s, b, &len);
  it->off = b;
  return true;
}

struct TableIter : Iter {
  Table* t;      ///< null once exhausted
  int64_t pos;
  int64_t used;  ///< the size when iteration began (-1 once it changed: sticky)
  int64_t left;  ///< items still expected
  ViewKind kind;
};
Val view_item(const Entry* e, ViewKind kind) {
  return kind == ViewKind::Keys ? e->key : kind == ViewKind::Values ? e->value : tuple_of({e->key, e->value});
}
bool dict_changed(Ctx* c, TableIter* it) {
  if (it->used == it->t->n)
    return false;
  raise(c, ExcKind::RuntimeError, "dictionary changed size during iteration");
  it->used = -1;
  return true;
}
bool dict_iter_next(Ctx* c, Iter* base, Val* out) {
  auto* it = static_cast<TableIter*>(base);
  if (!it->t || dict_changed(c, it))
    return false;
  Entry* e = dict_next(it->t, &it->pos);
  if (e && it->left-- == 0) {
    raise(c, ExcKind::RuntimeError, "dictionary keys changed during iteration");
    e = nullptr;
  }
  if (!e) {
    it->t = nullptr;
    return false;
  }
  *out = view_item(e, it->kind);
  return true;
}
bool dict_rev_next(Ctx* c, Iter* base, Val* out) {
  auto* it = static_cast<TableIter*>(base);
  if (!it->t || dict_changed(c, it))
    return false;
  int64_t i = it->pos;
  while (i >= 0 && (i >= it->t->used || it->t->entries[i].key.tag == Tag::Dummy))
    --i;
  if (i < 0) {
    it->t = nullptr;
    return false;
  }
  it->pos = i - 1;
  *out = view_item(&it->t->entries[i], it->kind);
  return true;
}
bool set_iter_next(Ctx* c, Iter* base, Val* out) {
  auto* it = static_cast<TableIter*>(base);
  if (!it->t)
    return false;
  if (it->used != it->t->n) {
    raise(c, ExcKind::RuntimeError, "Set changed size during iteration");
    it->used = -1;
    return false;
  }
  Entry* e = set_next(it->t, &it->pos);
  if (!e) {
    it->t = nullptr;
    return false;
  }
  *out = e->key;
  return true;
}
TableIter* table_iter(Table* t, ViewKind kind, bool reversed) {
  static const char* const names[2][3] = {{"dict_keyiterator", "dict_valueiterator", "dict_itemiterator"},
                                          {"dict_reversekeyiterator", "dict_reversevalueiterator",
                                           "dict_reverseitemiterator"}};
  auto* it = make_iter<TableIter>(reversed ? dict_rev_next : dict_iter_next, names[reversed][int(kind)]);
  it->t = t;
  it->pos = reversed ? t->used - 1 : 0;
  it->used = it->left = t->n;
  it->kind = kind;
  return it;
}

struct RangeIter : Iter {
  uint64_t cur; ///< modular arithmetic: the step past the last item may wrap
  uint64_t step;
  uint64_t left;
};
bool range_next(Ctx*, Iter* base, Val* out) {
  auto* it = static_cast<RangeIter*>(base);
  if (it->left == 0)
    return false;
  --it->left;
  *out = box_int(int64_t(it->cur));
  it->cur += it->step;
  return true;
}

struct EnumIter : Iter {
  Iter* src;
  Val count;
};
bool enum_next(Ctx* c, Iter* base, Val* out) {
  auto* it = static_cast<EnumIter*>(base);
  Val v;
  if (!iter_next(c, it->src, &v))
    return false;
  *out = tuple_of({it->count, v});
  it->count = it->count.tag == Tag::Int && int64_t(it->count.bits) != INT64_MAX
                  ? box_int(int64_t(it->count.bits) + 1)
                  : dyn_binop(c, BinOp::Add, it->count, box_int(1));
  return true;
}

struct MultiIter : Iter { ///< zip and map
  Val f;
  int64_t n;
  Iter** its;
  Val* args;
};
bool next_all(Ctx* c, MultiIter* it) {
  if (it->n == 0)
    return false;
  for (int64_t i = 0; i < it->n; ++i)
    if (!iter_next(c, it->its[i], &it->args[i]))
      return false;
  return true;
}
bool zip_next(Ctx* c, Iter* base, Val* out) {
  auto* it = static_cast<MultiIter*>(base);
  if (!next_all(c, it))
    return false;
  *out = tuple_new(it->n, it->args);
  return true;
}
bool map_next(Ctx* c, Iter* base, Val* out) {
  auto* it = static_cast<MultiIter*>(base);
  if (!next_all(c, it))
    return false;
  *out = call_value(c, it->f, it->n, it->args);
  return !c->exc;
}
MultiIter* multi_iter(Ctx* c, bool (*next)(Ctx*, Iter*, Val*), const char* name, Val f, int64_t n,
                      const Val* iterables) {
  auto* it = make_iter<MultiIter>(next, name);
  it->f = f;
  it->n = n;
  it->its = static_cast<Iter**>(gc_alloc(sizeof(Iter*) * size_t(n ? n : 1)));
  it->args = static_cast<Val*>(gc_alloc(sizeof(Val) * size_t(n ? n : 1)));
  for (int64_t i = 0; i < n; ++i)
    if (!(it->its[i] = iter_of(c, iterables[i])))
      return nullptr;
  return it;
}

struct FilterIter : Iter {
  Val f;
  Iter* src;
};
bool filter_next(Ctx* c, Iter* base, Val* out) {
  auto* it = static_cast<FilterIter*>(base);
  Val v;
  while (iter_next(c, it->src, &v)) {
    bool keep;
    if (it->f.tag == Tag::None) {
      keep = dyn_truthy(v);
    } else {
      Val r = call_value(c, it->f, 1, &v);
      if (c->exc)
        return false;
      keep = dyn_truthy(r);
    }
    if (keep) {
      *out = v;
      return true;
    }
  }
  return false;
}
} // namespace

// ---- range and views ------------------------------------------------------------------------------

Val range_new(Ctx* c, int64_t start, int64_t stop, int64_t step) {
  if (step == 0) {
    raise(c, ExcKind::ValueError, "range() arg 3 must not be zero");
    return none();
  }
  auto* r = static_cast<RangeObj*>(gc_alloc_atomic(sizeof(RangeObj)));
  *r = RangeObj{start, stop, step};
  return box_ptr(Tag::Range, r);
}

uint64_t range_len(const RangeObj* r) {
  __int128 lo = r->start, hi = r->stop, st = r->step;
  if (st > 0 && lo < hi)
    return uint64_t((hi - lo - 1) / st + 1);
  if (st < 0 && lo > hi)
    return uint64_t((lo - hi - 1) / -st + 1);
  return 0;
}

Val dict_view(Table* d, ViewKind kind) {
  auto* v = static_cast<DictView*>(gc_alloc(sizeof(DictView)));
  v->kind = kind;
  v->dict = d;
  return box_ptr(Tag::View, v);
}

int detail::view_contains(Ctx* c, const DictView* v, Val item) {
  const Table* d = v->dict;
  switch (v->kind) {
  case ViewKind::Keys: {
    Val ignored;
    return dict_get(c, d, item, &ignored);
  }
  case ViewKind::Values: {
    int64_t pos = 0;
    while (Entry* e = dict_next(d, &pos)) {
      int r = eq_item(c, e->value, item);
      if (r)
        return r;
    }
    return 0;
  }
  case ViewKind::Items: {
    if (item.tag != Tag::Tuple || as<Tuple>(item)->n != 2)
      return 0;
    Val found;
    int r = dict_get(c, d, as<Tuple>(item)->items[0], &found);
    return r <= 0 ? r : eq_item(c, found, as<Tuple>(item)->items[1]);
  }
  }
  return 0;
}

// ---- iterators ------------------------------------------------------------------------------------

Iter* iter_of(Ctx* c, Val v) {
  if (instance_of(v))
    return instance_iter(c, v);
  switch (v.tag) {
  case Tag::List: {
    auto* it = make_iter<ListIter>(list_next, "list_iterator");
    it->l = as<List>(v);
    return it;
  }
  case Tag::Tuple: {
    auto* it = make_iter<TupleIter>(tuple_next, "tuple_iterator");
    it->t = as<Tuple>(v);
    it->step = 1;
    return it;
  }
  case Tag::Str: {
    const Str* s = as<Str>(v);
    auto* it = make_iter<StrIter>(str_next, s->ncp == s->len ? "str_ascii_iterator" : "str_iterator");
    it->s = s;
    return it;
  }
  case Tag::Dict: return table_iter(as<Table>(v), ViewKind::Keys, false);
  case Tag::View: return table_iter(as<DictView>(v)->dict, as<DictView>(v)->kind, false);
  case Tag::Set:
  case Tag::FrozenSet: {
    auto* it = make_iter<TableIter>(set_iter_next, "set_iterator");
    it->t = as<Table>(v);
    it->used = it->left = it->t->n;
    return it;
  }
  case Tag::Range: {
    const RangeObj* r = as<RangeObj>(v);
    auto* it = make_iter<RangeIter>(range_next, "range_iterator");
    it->cur = uint64_t(r->start);
    it->step = uint64_t(r->step);
    it->left = range_len(r);
    return it;
  }
  case Tag::Iter: return as<Iter>(v);
  default:
    raise(c, ExcKind::TypeError, std::string("'") + type_name(v) + "' object is not iterable");
    return nullptr;
  }
}

Iter* iter_enumerate(Ctx* c, Val iterable, Val start) {
  Iter* src = iter_of(c, iterable);
  if (!src)
    return nullptr;
  if (!is_int(start)) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(start) + "' object cannot be interpreted as an integer");
    return nullptr;
  }
  auto* it = make_iter<EnumIter>(enum_next, "enumerate");
  it->src = src;
  it->count = start.tag == Tag::Bool ? box_int(int64_t(start.bits)) : start;
  return it;
}

Iter* iter_zip(Ctx* c, int64_t n, const Val* iterables) {
  return multi_iter(c, zip_next, "zip", none(), n, iterables);
}

Iter* iter_map(Ctx* c, Val f, int64_t n, const Val* iterables) {
  if (n == 0) {
    raise(c, ExcKind::TypeError, "map() must have at least two arguments.");
    return nullptr;
  }
  return multi_iter(c, map_next, "map", f, n, iterables);
}

Iter* iter_filter(Ctx* c, Val f, Val iterable) {
  Iter* src = iter_of(c, iterable);
  if (!src)
    return nullptr;
  auto* it = make_iter<FilterIter>(filter_next, "filter");
  it->f = f;
  it->src = src;
  return it;
}

Iter* iter_reversed(Ctx* c, Val seq) {
  switch (seq.tag) {
  case Tag::List: {
    auto* it = make_iter<ListIter>(list_rev_next, "list_reverseiterator");
    it->l = as<List>(seq);
    it->i = it->l->n - 1;
    return it;
  }
  case Tag::Tuple: {
    auto* it = make_iter<TupleIter>(tuple_next, "reversed");
    it->t = as<Tuple>(seq);
    it->i = it->t->n - 1;
    it->step = -1;
    return it;
  }
  case Tag::Str: {
    auto* it = make_iter<StrIter>(str_rev_next, "reversed");
    it->s = as<Str>(seq);
    it->off = it->s->len;
    return it;
  }
  case Tag::Range: {
    const RangeObj* r = as<RangeObj>(seq);
    auto* it = make_iter<RangeIter>(range_next, "range_iterator");
    it->left = range_len(r);
    it->cur = uint64_t(r->start) + (it->left - 1) * uint64_t(r->step);
    it->step = 0 - uint64_t(r->step);
    return it;
  }
  case Tag::Dict: return table_iter(as<Table>(seq), ViewKind::Keys, true);
  case Tag::View: return table_iter(as<DictView>(seq)->dict, as<DictView>(seq)->kind, true);
  default:
    raise(c, ExcKind::TypeError, std::string("'") + type_name(seq) + "' object is not reversible");
    return nullptr;
  }
}

// ---- calls and freezing ---------------------------------------------------------------------------

Val call_value(Ctx* c, Val f, int64_t n, const Val* args) {
  if (f.tag != Tag::Func)
    return call_other(c, f, n, args); // bound methods, classes, built-ins (runtime/objects.cpp)
  const Closure* cl = as<Closure>(f);
  if (!cl->entry) {
    raise(c, ExcKind::UnsupportedError, "calling this function from the run time (it has no generic entry)");
    return none();
  }
  Val local[8];
  Val* a = n <= 8 ? local : static_cast<Val*>(gc_alloc(sizeof(Val) * size_t(n)));
  for (int64_t i = 0; i < n; ++i)
    a[i] = args[i];
  int64_t depth = ++c->depth;
  Val r = reinterpret_cast<CallEntry>(cl->entry)(c, depth, a, n, cl->env);
  --c->depth;
  return c->exc ? none() : r;
}

void freeze(Val v, const char* where) {
  List* work = list_new(0); // collected memory, so that the collector sees what is queued
  list_push(work, v);
  while (work->n) {
    Val x = work->items[--work->n];
    switch (x.tag) {
    case Tag::List: {
      List* l = as<List>(x);
      if (l->frozen)
        break;
      l->frozen = where;
      for (int64_t i = 0; i < l->n; ++i)
        list_push(work, l->items[i]);
      break;
    }
    case Tag::Dict:
    case Tag::Set: {
      Table* t = as<Table>(x);
      if (t->frozen)
        break;
      t->frozen = where;
      int64_t pos = 0;
      if (x.tag == Tag::Dict) {
        while (Entry* e = dict_next(t, &pos))
          list_push(work, e->value); // keys are hashable: nothing mutable inside
      }
      break;
    }
    case Tag::Tuple: {
      const Tuple* t = as<Tuple>(x);
      for (int64_t i = 0; i < t->n; ++i)
        list_push(work, t->items[i]);
      break;
    }
    case Tag::View: list_push(work, box_ptr(Tag::Dict, as<DictView>(x)->dict)); break;
    case Tag::Instance: {
      Instance* inst = as<Instance>(x);
      if (inst->frozen)
        break;
      inst->frozen = where;
      for (int64_t i = 0; i < inst->cls->nslots; ++i)
        if (inst->slots[i].tag != Tag::Dummy)
          list_push(work, inst->slots[i]);
      break;
    }
    default: break;
    }
  }
}

} // namespace shoal::rt
