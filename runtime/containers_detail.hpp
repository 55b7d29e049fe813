#pragma once
/// Internals shared by the container sources (list.cpp, table.cpp, iter.cpp, iterables.cpp,
/// container_methods.cpp); not part of the runtime's contract.

#include "runtime/containers.hpp"
#include "runtime/format.hpp"

#include <string>

namespace shoal::rt::detail {

inline bool same(Val a, Val b) { return a.tag == b.tag && a.bits == b.bits; }
/// Equality as containers test it (CPython's PyObject_RichCompareBool): identity first.
inline int eq_item(Ctx* c, Val a, Val b) { return same(a, b) ? 1 : eq(c, a, b); }
inline bool is_int(Val v) { return v.tag == Tag::Int || v.tag == Tag::Bool || v.tag == Tag::Big; }
inline bool is_anyset(Val v) { return v.tag == Tag::Set || v.tag == Tag::FrozenSet; }
/// d.keys() and d.items(), the set-like views.
inline bool is_setview(Val v) { return v.tag == Tag::View && as<DictView>(v)->kind != ViewKind::Values; }
inline Val str_val(const std::string& s) { return box_ptr(Tag::Str, str_new(s)); }

/// The position of key in d->entries, -1 when absent, -2 when a comparison raised.
int64_t dict_find(Ctx* c, const Table* d, Val key, int64_t hash);
/// d[key] = value for a hashed key.
bool dict_insert(Ctx* c, Table* d, Val key, int64_t hash, Val value);
/// key in set with a known hash: 1, 0, -1.
int set_find(Ctx* c, const Table* s, Val key, int64_t hash);
bool set_add_hashed(Ctx* c, Table* s, Val key, int64_t hash);
/// The next live slot of a set at or after *pos (advanced past it), or null.
Entry* set_next(const Table* s, int64_t* pos);
/// The next live entry of a dict at or after *pos (advanced past it), or null.
Entry* dict_next(const Table* d, int64_t* pos);
/// A new empty set or frozenset value.
Val new_set(Tag kind);
/// set(iterable)'s update: CPython's set_update_internal.
bool set_update_internal(Ctx* c, Table* s, Val other);
/// `item in container` as dyn_contains, for views.
int view_contains(Ctx* c, const DictView* v, Val item);
/// len() of a dict view.
inline int64_t view_len(const DictView* v) { return v->dict->n; }
/// Appends without the frozen check (for lists the runtime builds).
void list_push(List* l, Val v);
/// l * count (count an int), in place for l *= count.
Val list_repeat(Ctx* c, List* l, Val count, bool inplace);
/// a + b for a list a; TypeError 'can only concatenate list (not "tuple") to list'.
Val list_concat(Ctx* c, const List* a, Val b);
/// Sorts items[0..n) stably by keys (or by the items themselves when keys is null) with `<`;
/// false when a comparison raised.
bool sort_vals(Ctx* c, Val* items, Val* keys, int64_t n, bool reverse);

/// Guards recursion through nested containers in comparisons (RecursionError as CPython).
struct DepthGuard {
  Ctx* c;
  bool ok;
  explicit DepthGuard(Ctx* ctx) : c(ctx), ok(++ctx->depth <= (ctx->depth_limit ? ctx->depth_limit : 1000)) {
    if (!ok)
      raise(c, ExcKind::RecursionError, "maximum recursion depth exceeded in comparison");
  }
  ~DepthGuard() { --c->depth; }
  DepthGuard(const DepthGuard&) = delete;
  DepthGuard& operator=(const DepthGuard&) = delete;
};

} // namespace shoal::rt::detail
