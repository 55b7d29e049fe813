/// list: growth, mutation, slicing and sorting with CPython's semantics and messages.

#include "runtime/containers_detail.hpp"

#include <cmath>
#include <cstring>

namespace shoal::rt {

using namespace detail;

namespace {
Val* alloc_vals(int64_t n) { return n ? static_cast<Val*>(gc_alloc(sizeof(Val) * size_t(n))) : nullptr; }

/// As CPython's list_resize, but over-allocating by 1/2 rather than 1/8: a collected array cannot
/// grow in place as realloc'ed memory often does, so every growth copies.
void list_resize(List* l, int64_t newsize) {
  if (l->cap >= newsize && newsize >= (l->cap >> 1)) {
    l->n = newsize;
    return;
  }
  int64_t cap = (newsize + (newsize >> 1) + 6) & ~int64_t(3);
  if (newsize - l->n > cap - newsize)
    cap = (newsize + 3) & ~int64_t(3);
  if (newsize == 0)
    cap = 0;
  Val* items = alloc_vals(cap);
  std::memcpy(items, l->items, sizeof(Val) * size_t(l->n < newsize ? l->n : newsize));
  l->items = items;
  l->cap = cap;
  l->n = newsize;
}

bool check_list(Ctx* c, const List* l) { return check_mutable(c, l->frozen, "list"); }

bool too_big(Ctx* c, int64_t n, int64_t k) {
  if (n && k > c->memory_limit / (n * int64_t(sizeof(Val)))) {
    raise(c, ExcKind::MemoryError, nullptr);
    return true;
  }
  return false;
}

bool slice_part(Ctx* c, Val v, int64_t dflt, int64_t* out) {
  if (v.tag == Tag::None)
    *out = dflt;
  else if (v.tag == Tag::Int || v.tag == Tag::Bool)
    *out = int64_t(v.bits);
  else if (v.tag == Tag::Big)
    *out = mpz_sgn(as<BigInt>(v)->z) < 0 ? INT64_MIN : INT64_MAX;
  else {
    raise(c, ExcKind::TypeError, "slice indices must be integers or None or have an __index__ method");
    return false;
  }
  return true;
}

/// The items of a sequence to assign from: a snapshot for lists (l[:] = l), any iterable
/// materialised. Null with TypeError `msg` when it is not iterable.
List* assign_source(Ctx* c, Val v, const char* msg) {
  if (v.tag == Tag::List)
    return list_copy(as<List>(v));
  if (v.tag == Tag::Tuple)
    return list_from(as<Tuple>(v)->n, as<Tuple>(v)->items);
  List* r = list_new(0);
  Iter* it = iter_of(c, v);
  if (!it) {
    c->exc = nullptr;
    raise(c, ExcKind::TypeError, msg);
    return nullptr;
  }
  Val x;
  while (iter_next(c, it, &x))
    list_push(r, x);
  return c->exc ? nullptr : r;
}

/// Normalises an index argument of list.index()/list.insert() (negative counts from the end,
/// then clamps to [0, n]).
int64_t clamp_index(int64_t i, int64_t n) {
  if (i < 0) {
    i += n;
    if (i < 0)
      i = 0;
  }
  return i > n ? n : i;
}
} // namespace

void detail::list_push(List* l, Val v) {
  if (l->n == l->cap)
    list_resize(l, l->n + 1);
  else
    l->n++;
  l->items[l->n - 1] = v;
}

int64_t slice_indices(Ctx* c, int64_t length, Val start, Val stop, Val step, int64_t* ostart, int64_t* ostop,
                      int64_t* ostep) {
  int64_t st, s, e;
  if (!slice_part(c, step, 1, &st))
    return -1;
  if (st == 0) {
    raise(c, ExcKind::ValueError, "slice step cannot be zero");
    return -1;
  }
  if (st < -INT64_MAX)
    st = -INT64_MAX;
  if (!slice_part(c, start, st < 0 ? INT64_MAX : 0, &s) || !slice_part(c, stop, st < 0 ? INT64_MIN : INT64_MAX, &e))
    return -1;
  auto adjust = [&](int64_t& x) {
    if (x < 0) {
      x += length;
      if (x < 0)
        x = st < 0 ? -1 : 0;
    } else if (x >= length) {
      x = st < 0 ? length - 1 : length;
    }
  };
  adjust(s);
  adjust(e);
  *ostart = s;
  *ostop = e;
  *ostep = st;
  if (st < 0)
    return e < s ? (s - e - 1) / (-st) + 1 : 0;
  return s < e ? (e - s - 1) / st + 1 : 0;
}

Val tuple_slice(Ctx* c, const Tuple* t, Val start, Val stop, Val step) {
  int64_t s, e, st;
  int64_t n = slice_indices(c, t->n, start, stop, step, &s, &e, &st);
  if (n < 0)
    return none();
  if (st == 1 && n == t->n)
    return box_ptr(Tag::Tuple, t);
  auto* r = static_cast<Tuple*>(gc_alloc(sizeof(Tuple) + sizeof(Val) * size_t(n)));
  r->n = n;
  for (int64_t i = 0; i < n; ++i)
    r->items[i] = t->items[s + i * st];
  return box_ptr(Tag::Tuple, r);
}

List* list_new(int64_t n) {
  auto* l = static_cast<List*>(gc_alloc(sizeof(List)));
  l->items = alloc_vals(n); // zeroed memory: every item is None
  l->n = l->cap = n;
  return l;
}

List* list_from(int64_t n, const Val* items) {
  List* l = list_new(n);
  if (n)
    std::memcpy(l->items, items, sizeof(Val) * size_t(n));
  return l;
}

List* list_copy(const List* l) { return list_from(l->n, l->items); }

void list_append(Ctx* c, List* l, Val v) {
  if (check_list(c, l))
    list_push(l, v);
}

bool list_extend(Ctx* c, List* l, Val iterable) {
  if (!check_list(c, l))
    return false;
  if (iterable.tag == Tag::List || iterable.tag == Tag::Tuple) {
    bool is_list = iterable.tag == Tag::List;
    int64_t m = is_list ? as<List>(iterable)->n : as<Tuple>(iterable)->n;
    int64_t n = l->n;
    list_resize(l, n + m);
    const Val* src = is_list ? as<List>(iterable)->items : as<Tuple>(iterable)->items; // after the resize: l.extend(l)
    std::memcpy(l->items + n, src, sizeof(Val) * size_t(m));
    return true;
  }
  Iter* it = iter_of(c, iterable);
  if (!it)
    return false;
  Val v;
  while (iter_next(c, it, &v))
    list_push(l, v);
  return !c->exc;
}

Val list_pop(Ctx* c, List* l, int64_t i) {
  if (!check_list(c, l))
    return none();
  if (l->n == 0) {
    raise(c, ExcKind::IndexError, "pop from empty list");
    return none();
  }
  if (i < 0)
    i += l->n;
  if (i < 0 || i >= l->n) {
    raise(c, ExcKind::IndexError, "pop index out of range");
    return none();
  }
  Val v = l->items[i];
  std::memmove(l->items + i, l->items + i + 1, sizeof(Val) * size_t(l->n - i - 1));
  l->items[l->n - 1] = none();
  list_resize(l, l->n - 1);
  return v;
}

void list_insert(Ctx* c, List* l, int64_t i, Val v) {
  if (!check_list(c, l))
    return;
  i = clamp_index(i, l->n);
  list_resize(l, l->n + 1);
  std::memmove(l->items + i + 1, l->items + i, sizeof(Val) * size_t(l->n - 1 - i));
  l->items[i] = v;
}

void list_remove(Ctx* c, List* l, Val v) {
  if (!check_list(c, l))
    return;
  for (int64_t i = 0; i < l->n; ++i) {
    int r = eq_item(c, l->items[i], v);
    if (r < 0)
      return;
    if (r) {
      list_pop(c, l, i);
      return;
    }
  }
  raise(c, ExcKind::ValueError, "list.remove(x): x not in list");
}

int64_t list_index(Ctx* c, List* l, Val v, int64_t start, int64_t stop) {
  start = clamp_index(start, l->n);
  if (stop < 0 && (stop += l->n) < 0)
    stop = 0;
  for (int64_t i = start; i < stop && i < l->n; ++i) {
    int r = eq_item(c, l->items[i], v);
    if (r)
      return r < 0 ? -1 : i;
  }
  raise(c, ExcKind::ValueError, repr_of(v) + " is not in list");
  return -1;
}

int64_t list_count(Ctx* c, List* l, Val v) {
  int64_t k = 0;
  for (int64_t i = 0; i < l->n; ++i) {
    int r = eq_item(c, l->items[i], v);
    if (r < 0)
      return -1;
    k += r;
  }
  return k;
}

void list_reverse(Ctx* c, List* l) {
  if (!check_list(c, l))
    return;
  for (int64_t i = 0, j = l->n - 1; i < j; ++i, --j)
    std::swap(l->items[i], l->items[j]);
}

void list_clear(Ctx* c, List* l) {
  if (!check_list(c, l))
    return;
  l->n = l->cap = 0;
  l->items = nullptr;
}

// ---- sorting: CPython's timsort run detection and binary insertion, then stable merges ----------

namespace {
struct Sorter {
  Ctx* c;
  const Val* keys;
  int64_t* perm; // positions into keys, sorted in place
  int64_t* tmp;
  /// When every key is an int, a float (no NaN) or a tuple of `width` ints: the keys laid out flat
  /// (width values per key), compared without touching the boxed values.
  const int64_t* flat = nullptr;
  const double* fflat = nullptr;
  int64_t width = 0;

  /// keys[a] < keys[b]: 1, 0, -1 raised.
  int lt(int64_t a, int64_t b) {
    if (flat) {
      const int64_t* x = flat + a * width;
      const int64_t* y = flat + b * width;
      for (int64_t i = 0; i < width; ++i)
        if (x[i] != y[i])
          return x[i] < y[i];
      return 0;
    }
    if (fflat)
      return fflat[a] < fflat[b];
    return less(keys[a], keys[b]);
  }

  /// Lays the keys out flat when they allow it (see flat); false otherwise.
  bool flatten(int64_t n) {
    bool ints = true, floats = true, tuples = true;
    int64_t w = keys[0].tag == Tag::Tuple ? as<Tuple>(keys[0])->n : 0;
    for (int64_t i = 0; i < n && (ints || floats || tuples); ++i) {
      Val k = keys[i];
      ints &= k.tag == Tag::Int || k.tag == Tag::Bool;
      floats &= k.tag == Tag::Float && !std::isnan(unbox_float(k));
      if (tuples) {
        tuples = k.tag == Tag::Tuple && as<Tuple>(k)->n == w && w > 0 && w <= 8;
        for (int64_t j = 0; tuples && j < w; ++j) {
          Tag t = as<Tuple>(k)->items[j].tag;
          tuples = t == Tag::Int || t == Tag::Bool;
        }
      }
    }
    if (floats) {
      auto* f = static_cast<double*>(gc_alloc_atomic(sizeof(double) * size_t(n)));
      for (int64_t i = 0; i < n; ++i)
        f[i] = unbox_float(keys[i]);
      fflat = f;
      return true;
    }
    if (!ints && !tuples)
      return false;
    width = ints ? 1 : w;
    auto* f = static_cast<int64_t*>(gc_alloc_atomic(sizeof(int64_t) * size_t(n * width)));
    for (int64_t i = 0; i < n; ++i)
      for (int64_t j = 0; j < width; ++j)
        f[i * width + j] = int64_t(ints ? keys[i].bits : as<Tuple>(keys[i])->items[j].bits);
    flat = f;
    return true;
  }

  /// x < y with the common key kinds (ints, floats, strings and tuples of them) compared here;
  /// the rest through dyn_compare.
  int less(Val x, Val y) {
    if (x.tag == Tag::Int && y.tag == Tag::Int)
      return int64_t(x.bits) < int64_t(y.bits);
    if (x.tag == Tag::Float && y.tag == Tag::Float)
      return unbox_float(x) < unbox_float(y);
    if (x.tag == Tag::Str && y.tag == Tag::Str) {
      const Str* p = as<Str>(x);
      const Str* q = as<Str>(y);
      int r = std::memcmp(p->data, q->data, size_t(p->len < q->len ? p->len : q->len));
      return r < 0 || (r == 0 && p->len < q->len);
    }
    if (x.tag == Tag::Tuple && y.tag == Tag::Tuple) {
      const Tuple* p = as<Tuple>(x);
      const Tuple* q = as<Tuple>(y);
      int64_t n = p->n < q->n ? p->n : q->n;
      for (int64_t i = 0; i < n; ++i) {
        Val u = p->items[i], v = q->items[i];
        int same;
        if (u.tag == v.tag && (u.tag == Tag::Int || u.tag == Tag::Str || u.tag == Tag::Bool || u.tag == Tag::None))
          same = u.tag == Tag::Str ? as<Str>(u)->len == as<Str>(v)->len &&
                                         std::memcmp(as<Str>(u)->data, as<Str>(v)->data, size_t(as<Str>(u)->len)) == 0
                                   : u.bits == v.bits;
        else if (u.tag == Tag::Float && v.tag == Tag::Float)
          same = unbox_float(u) == unbox_float(v);
        else
          same = eq(c, u, v); // as CPython: the first items that differ decide
        if (same < 0)
          return -1;
        if (!same)
          return less(u, v);
      }
      return p->n < q->n;
    }
    return dyn_compare(c, CmpOp::Lt, x, y);
  }

  /// CPython's count_run: the length of the run at lo, reversed in place when strictly descending.
  int64_t count_run(int64_t lo, int64_t hi) {
    if (lo + 1 == hi)
      return 1;
    int r = lt(perm[lo + 1], perm[lo]);
    if (r < 0)
      return -1;
    int64_t n = 2;
    if (r) {
      for (int64_t i = lo + 2; i < hi; ++i, ++n) {
        int d = lt(perm[i], perm[i - 1]);
        if (d < 0)
          return -1;
        if (!d)
          break;
      }
      for (int64_t i = lo, j = lo + n - 1; i < j; ++i, --j)
        std::swap(perm[i], perm[j]);
    } else {
      for (int64_t i = lo + 2; i < hi; ++i, ++n) {
        int d = lt(perm[i], perm[i - 1]);
        if (d < 0)
          return -1;
        if (d)
          break;
      }
    }
    return n;
  }

  /// CPython's binarysort: perm[lo..start) is sorted; inserts perm[start..hi).
  bool binarysort(int64_t lo, int64_t hi, int64_t start) {
    for (; start < hi; ++start) {
      int64_t pivot = perm[start], l = lo, r = start;
      while (l < r) {
        int64_t p = l + ((r - l) >> 1);
        int d = lt(pivot, perm[p]);
        if (d < 0)
          return false;
        if (d)
          r = p;
        else
          l = p + 1;
      }
      std::memmove(perm + l + 1, perm + l, sizeof(int64_t) * size_t(start - l));
      perm[l] = pivot;
    }
    return true;
  }

  /// Stable merge of perm[lo..mid) and perm[mid..hi): the right item goes first only when it is
  /// strictly less.
  bool merge(int64_t lo, int64_t mid, int64_t hi) {
    std::memcpy(tmp + lo, perm + lo, sizeof(int64_t) * size_t(mid - lo));
    int64_t i = lo, j = mid, k = lo;
    while (i < mid && j < hi) {
      int d = lt(perm[j], tmp[i]);
      if (d < 0)
        return false;
      perm[k++] = d ? perm[j++] : tmp[i++];
    }
    while (i < mid)
      perm[k++] = tmp[i++];
    return true;
  }
};

int64_t compute_minrun(int64_t n) {
  int64_t r = 0;
  while (n >= 64) {
    r |= n & 1;
    n >>= 1;
  }
  return n + r;
}
} // namespace

bool detail::sort_vals(Ctx* c, Val* items, Val* keys, int64_t n, bool reverse) {
  if (n < 2)
    return true;
  if (!keys)
    keys = items;
  auto reverse_both = [&] {
    for (int64_t i = 0, j = n - 1; i < j; ++i, --j) {
      std::swap(items[i], items[j]);
      if (keys != items)
        std::swap(keys[i], keys[j]);
    }
  };
  if (reverse)
    reverse_both();
  auto* perm = static_cast<int64_t*>(gc_alloc_atomic(sizeof(int64_t) * size_t(n)));
  auto* tmp = static_cast<int64_t*>(gc_alloc_atomic(sizeof(int64_t) * size_t(n)));
  auto* runs = static_cast<int64_t*>(gc_alloc_atomic(sizeof(int64_t) * size_t(n + 1)));
  for (int64_t i = 0; i < n; ++i)
    perm[i] = i;
  Sorter s{c, keys, perm, tmp};
  s.flatten(n);
  int64_t minrun = compute_minrun(n), nruns = 0;
  bool ok = true;
  for (int64_t lo = 0; lo < n && ok;) {
    runs[nruns++] = lo;
    int64_t len = s.count_run(lo, n);
    if (len < 0)
      ok = false;
    else if (len < minrun) {
      int64_t force = n - lo <= minrun ? n - lo : minrun;
      ok = s.binarysort(lo, lo + force, lo + len);
      len = force;
    }
    lo += len;
  }
  runs[nruns] = n;
  for (int64_t width = 1; ok && width < nruns; width *= 2) // bottom-up merges of neighbouring runs
    for (int64_t r = 0; ok && r + width < nruns; r += 2 * width)
      ok = s.merge(runs[r], runs[r + width], runs[r + 2 * width < nruns ? r + 2 * width : nruns]);
  if (ok) {
    Val* sorted = alloc_vals(n);
    for (int64_t i = 0; i < n; ++i)
      sorted[i] = items[perm[i]];
    std::memcpy(items, sorted, sizeof(Val) * size_t(n));
  }
  if (reverse)
    for (int64_t i = 0, j = n - 1; i < j; ++i, --j)
      std::swap(items[i], items[j]);
  return ok;
}

void list_sort(Ctx* c, List* l, Val key, bool reverse) {
  if (!check_list(c, l))
    return;
  // As CPython: the list looks empty while it is sorted, and a key function that mutates it
  // gets ValueError "list modified during sort".
  Val* items = l->items;
  int64_t n = l->n, cap = l->cap;
  l->items = nullptr;
  l->n = 0;
  l->cap = -1;
  Val* keys = nullptr;
  bool ok = true;
  if (key.tag != Tag::None) {
    keys = alloc_vals(n);
    for (int64_t i = 0; i < n && ok; ++i) {
      keys[i] = call_value(c, key, 1, &items[i]);
      ok = !c->exc;
    }
  }
  if (ok)
    sort_vals(c, items, keys, n, reverse);
  bool modified = l->cap != -1;
  l->items = items;
  l->n = n;
  l->cap = cap;
  if (modified && !c->exc)
    raise(c, ExcKind::ValueError, "list modified during sort");
}

// ---- slices and items ---------------------------------------------------------------------------

List* list_slice(Ctx* c, const List* l, Val start, Val stop, Val step) {
  int64_t s, e, st;
  int64_t n = slice_indices(c, l->n, start, stop, step, &s, &e, &st);
  if (n < 0)
    return nullptr;
  if (st == 1)
    return list_from(n, l->items + s);
  List* r = list_new(n);
  for (int64_t i = 0; i < n; ++i)
    r->items[i] = l->items[s + i * st];
  return r;
}

void list_set_slice(Ctx* c, List* l, Val start, Val stop, Val step, Val iterable) {
  if (!check_list(c, l))
    return;
  int64_t s, e, st;
  int64_t n = slice_indices(c, l->n, start, stop, step, &s, &e, &st);
  if (n < 0)
    return;
  List* src = assign_source(c, iterable, st == 1 ? "can only assign an iterable" : "must assign iterable to extended slice");
  if (!src)
    return;
  if (st == 1) {
    int64_t lo = s < 0 ? 0 : s > l->n ? l->n : s;
    int64_t hi = e < lo ? lo : e > l->n ? l->n : e;
    int64_t old_n = l->n, delta = src->n - (hi - lo);
    if (delta > 0) {
      list_resize(l, old_n + delta);
      std::memmove(l->items + hi + delta, l->items + hi, sizeof(Val) * size_t(old_n - hi));
    } else if (delta < 0) {
      std::memmove(l->items + hi + delta, l->items + hi, sizeof(Val) * size_t(old_n - hi));
      for (int64_t i = old_n + delta; i < old_n; ++i)
        l->items[i] = none();
      list_resize(l, old_n + delta);
    }
    std::memcpy(l->items + lo, src->items, sizeof(Val) * size_t(src->n));
    return;
  }
  if (src->n != n) {
    raise(c, ExcKind::ValueError, "attempt to assign sequence of size " + std::to_string(src->n) +
                                      " to extended slice of size " + std::to_string(n));
    return;
  }
  for (int64_t i = 0; i < n; ++i)
    l->items[s + i * st] = src->items[i];
}

void list_del_slice(Ctx* c, List* l, Val start, Val stop, Val step) {
  if (!check_list(c, l))
    return;
  int64_t s, e, st;
  int64_t n = slice_indices(c, l->n, start, stop, step, &s, &e, &st);
  if (n <= 0)
    return;
  if (st < 0) { // the same items, walked upwards
    s += st * (n - 1);
    st = -st;
  }
  int64_t k = s;
  for (int64_t i = s, next = s, taken = 0; i < l->n; ++i) {
    if (i == next && taken < n) {
      next += st;
      ++taken;
      continue;
    }
    l->items[k++] = l->items[i];
  }
  for (int64_t i = k; i < l->n; ++i)
    l->items[i] = none();
  list_resize(l, k);
}

void list_setitem(Ctx* c, List* l, int64_t i, Val v) {
  if (!check_list(c, l))
    return;
  if (i < 0)
    i += l->n;
  if (i < 0 || i >= l->n) {
    raise(c, ExcKind::IndexError, "list assignment index out of range");
    return;
  }
  l->items[i] = v;
}

void list_delitem(Ctx* c, List* l, int64_t i) {
  if (!check_list(c, l))
    return;
  if (i < 0)
    i += l->n;
  if (i < 0 || i >= l->n) {
    raise(c, ExcKind::IndexError, "list assignment index out of range");
    return;
  }
  list_pop(c, l, i);
}

/// l * k, and l *= k in place when inplace.
Val detail::list_repeat(Ctx* c, List* l, Val count, bool inplace) {
  if (count.tag == Tag::Big) {
    raise(c, ExcKind::OverflowError, "cannot fit 'int' into an index-sized integer");
    return none();
  }
  int64_t k = int64_t(count.bits), n = l->n;
  if (k < 0)
    k = 0;
  if (too_big(c, n, k) || (inplace && !check_list(c, l)))
    return none();
  List* r = inplace ? l : list_new(0);
  const Val* src = inplace ? list_copy(l)->items : l->items;
  list_resize(r, n * k);
  for (int64_t i = 0; i < k; ++i)
    std::memcpy(r->items + i * n, src, sizeof(Val) * size_t(n));
  return box_ptr(Tag::List, r);
}

Val detail::list_concat(Ctx* c, const List* a, Val b) {
  if (b.tag != Tag::List) {
    raise(c, ExcKind::TypeError, std::string("can only concatenate list (not \"") + type_name(b) + "\") to list");
    return none();
  }
  const List* y = as<List>(b);
  List* r = list_new(a->n + y->n);
  std::memcpy(r->items, a->items, sizeof(Val) * size_t(a->n));
  std::memcpy(r->items + a->n, y->items, sizeof(Val) * size_t(y->n));
  return box_ptr(Tag::List, r);
}

void dyn_setitem(Ctx* c, Val obj, Val index, Val v) {
  if (obj.tag == Tag::Dict) {
    dict_set(c, as<Table>(obj), index, v);
    return;
  }
  if (obj.tag != Tag::List) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(obj) + "' object does not support item assignment");
    return;
  }
  if (index.tag == Tag::Int || index.tag == Tag::Bool)
    list_setitem(c, as<List>(obj), int64_t(index.bits), v);
  else if (index.tag == Tag::Big)
    raise(c, ExcKind::IndexError, "cannot fit 'int' into an index-sized integer");
  else
    raise(c, ExcKind::TypeError, std::string("list indices must be integers or slices, not ") + type_name(index));
}

void dyn_delitem(Ctx* c, Val obj, Val index) {
  if (obj.tag == Tag::Dict) {
    if (dict_del(c, as<Table>(obj), index, nullptr) == 0)
      raise_key_error(c, index);
    return;
  }
  if (obj.tag != Tag::List) {
    raise(c, ExcKind::TypeError, std::string("'") + type_name(obj) + "' object doesn't support item deletion");
    return;
  }
  if (index.tag == Tag::Int || index.tag == Tag::Bool)
    list_delitem(c, as<List>(obj), int64_t(index.bits));
  else if (index.tag == Tag::Big)
    raise(c, ExcKind::IndexError, "cannot fit 'int' into an index-sized integer");
  else
    raise(c, ExcKind::TypeError, std::string("list indices must be integers or slices, not ") + type_name(index));
}

} // namespace shoal::rt
