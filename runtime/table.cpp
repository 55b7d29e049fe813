/// Hashing, dict (insertion-ordered: compact entries + open-addressing index) and set/frozenset
/// (a port of CPython 3.11's setobject.c table, so that sets iterate in CPython's order).

#include "runtime/containers_detail.hpp"
#include "runtime/objects.hpp"

#include <cstring>

namespace shoal::rt {

using namespace detail;

namespace {
constexpr Val k_empty{Tag::Dummy, 0};
constexpr Val k_deleted{Tag::Dummy, 1};
constexpr int64_t k_set_minsize = 8;
constexpr int k_linear_probes = 9;
constexpr int k_perturb_shift = 5;

uint64_t mix(uint64_t a, uint64_t b) {
  unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return uint64_t(r) ^ uint64_t(r >> 64);
}

} // namespace

int64_t str_hash_of(const char* data, int64_t len);

namespace {
int64_t str_hash(const Str* s) {
  if (s->hash != -1)
    return s->hash;
  int64_t h = str_hash_of(s->data, s->len);
  const_cast<Str*>(s)->hash = h; // strings are immutable: every thread computes the same value
  return h;
}

} // namespace

/// A fast stable string hash (wyhash-like multiply-mix over 8-byte words).
int64_t str_hash_of(const char* data, int64_t len) {
  constexpr uint64_t k0 = 0xa0761d6478bd642full, k1 = 0xe7037ed1a0b428dbull;
  uint64_t h = k0 ^ uint64_t(len);
  const char* p = data;
  int64_t n = len;
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = mix(h ^ w, k1);
  }
  uint64_t w = 0;
  std::memcpy(&w, p, size_t(n));
  h = mix(mix(h ^ w, k1), k0 ^ uint64_t(len));
  return int64_t(h) == -1 ? -2 : int64_t(h);
}

namespace {

/// CPython's tuplehash (xxHash-based) over precomputed lanes.
struct TupleHasher {
  static constexpr uint64_t p1 = 11400714785074694791ULL, p2 = 14029467366897019727ULL,
                            p5 = 2870177450012600261ULL;
  uint64_t acc = p5;
  void add(int64_t lane) {
    acc += uint64_t(lane) * p2;
    acc = (acc << 31) | (acc >> 33);
    acc *= p1;
  }
  int64_t done(int64_t len) {
    acc += uint64_t(len) ^ (p5 ^ 3527539UL);
    return acc == uint64_t(-1) ? 1546275796 : int64_t(acc);
  }
};

uint64_t shuffle_bits(uint64_t h) { return ((h ^ 89869747UL) ^ (h << 16)) * 3644798167UL; }
} // namespace

int64_t frozenset_hash(const Table* s) {
  uint64_t h = 0;
  int64_t pos = 0;
  while (Entry* e = set_next(s, &pos))
    h ^= shuffle_bits(uint64_t(e->hash));
  h ^= (uint64_t(s->n) + 1) * 1927868237UL;
  h ^= (h >> 11) ^ (h >> 25);
  h = h * 69069U + 907133923UL;
  return h == uint64_t(-1) ? 590923713 : int64_t(h);
}

bool hash_of(Ctx* c, Val v, int64_t* out) {
  if (instance_of(v)) {
    Val r;
    if (call_dunder(c, v, "__hash__", 0, nullptr, &r)) {
      if (c->exc)
        return false;
      if (r.tag != Tag::Int && r.tag != Tag::Bool && r.tag != Tag::Big) {
        raise(c, ExcKind::TypeError, "__hash__ method should return an integer");
        return false;
      }
      *out = int_hash(r);
      return true;
    }
    MemberKind kind;
    if (class_member(class_of(v), "__eq__", &kind)) { // __eq__ without __hash__: unhashable
      raise(c, ExcKind::TypeError, std::string("unhashable type: '") + type_name(v) + "'");
      return false;
    }
    *out = int64_t(v.bits >> 4); // identity, as object.__hash__
    return true;
  }
  switch (v.tag) {
  case Tag::None: *out = 4238894112; return true; // CPython 3.12's constant (3.11 hashes None's address)
  case Tag::Bool:
  case Tag::Int:
  case Tag::Big: *out = int_hash(v); return true;
  case Tag::Float: *out = float_hash(unbox_float(v)); return true;
  case Tag::Str: *out = str_hash(as<Str>(v)); return true;
  case Tag::Tuple: {
    const Tuple* t = as<Tuple>(v);
    TupleHasher th;
    for (int64_t i = 0; i < t->n; ++i) {
      int64_t lane;
      if (!hash_of(c, t->items[i], &lane))
        return false;
      th.add(lane);
    }
    *out = th.done(t->n);
    return true;
  }
  case Tag::FrozenSet: *out = frozenset_hash(as<Table>(v)); return true;
  case Tag::Range: { // hash((len, start, step)) with None for the parts that do not matter
    const RangeObj* r = as<RangeObj>(v);
    uint64_t n = range_len(r);
    int64_t none_hash = 4238894112;
    TupleHasher th;
    th.add(int_hash(box_int(int64_t(n))));
    th.add(n == 0 ? none_hash : int_hash(box_int(r->start)));
    th.add(n <= 1 ? none_hash : int_hash(box_int(r->step)));
    *out = th.done(3);
    return true;
  }
  case Tag::List:
  case Tag::Dict:
  case Tag::Set:
  case Tag::View:
    raise(c, ExcKind::TypeError, std::string("unhashable type: '") + type_name(v) + "'");
    return false;
  default: { // identity, as CPython's _Py_HashPointer
    uint64_t h = (v.bits >> 4) | (v.bits << 60);
    *out = int64_t(h) == -1 ? -2 : int64_t(h);
    return true;
  }
  }
}

bool check_mutable(Ctx* c, const char* frozen, const char* what) {
  if (!frozen)
    return true;
  raise(c, ExcKind::ImmutabilityError,
        std::string("cannot mutate this ") + what + ": it was frozen when shared at " + frozen);
  return false;
}

void raise_key_error(Ctx* c, Val key) { c->exc = exc_new(ExcKind::KeyError, tuple_of({key})); }

// ---- dict ---------------------------------------------------------------------------------------

namespace {
void dict_alloc(Table* d, int64_t size) {
  d->mask = size - 1;
  d->cap = (size << 1) / 3;
  d->index = static_cast<int64_t*>(gc_alloc_atomic(sizeof(int64_t) * size_t(size)));
  std::memset(d->index, 0xff, sizeof(int64_t) * size_t(size));
  d->entries = static_cast<Entry*>(gc_alloc(sizeof(Entry) * size_t(d->cap)));
  d->used = 0;
  d->n = 0;
}

/// Size of the index for n live entries: the smallest power of two (at least 8) whose usable
/// two thirds hold them.
int64_t dict_size_for(int64_t n) {
  int64_t size = 8;
  while ((size << 1) / 3 < n)
    size <<= 1;
  return size;
}

/// Places an entry known to be absent, with room in entries.
void dict_insert_clean(Table* d, Val key, int64_t hash, Val value) {
  uint64_t mask = uint64_t(d->mask), perturb = uint64_t(hash), i = uint64_t(hash) & mask;
  while (d->index[i] >= 0) {
    perturb >>= k_perturb_shift;
    i = (i * 5 + perturb + 1) & mask;
  }
  d->index[i] = d->used;
  d->entries[d->used++] = Entry{hash, key, value};
  d->n++;
}

/// Rebuilds d with room for at least `minused` entries, dropping deleted ones.
void dict_resize(Table* d, int64_t minused) {
  Entry* old = d->entries;
  int64_t old_used = d->used;
  int64_t size = 8;
  while (size < minused)
    size <<= 1;
  dict_alloc(d, size);
  for (int64_t i = 0; i < old_used; ++i)
    if (old[i].key.tag != Tag::Dummy)
      dict_insert_clean(d, old[i].key, old[i].hash, old[i].value);
}

/// The index slot that points at entry ix.
uint64_t dict_slot_of(const Table* d, int64_t ix) {
  uint64_t mask = uint64_t(d->mask), perturb = uint64_t(d->entries[ix].hash), i = perturb & mask;
  while (d->index[i] != ix) {
    perturb >>= k_perturb_shift;
    i = (i * 5 + perturb + 1) & mask;
  }
  return i;
}

void dict_remove_at(Table* d, int64_t ix) {
  d->index[dict_slot_of(d, ix)] = -2;
  d->entries[ix].key = k_deleted;
  d->entries[ix].value = none();
  d->n--;
}
} // namespace

int64_t detail::dict_find(Ctx* c, const Table* d, Val key, int64_t hash) {
  if (!d->index)
    return -1;
  uint64_t mask = uint64_t(d->mask), perturb = uint64_t(hash), i = uint64_t(hash) & mask;
  for (;;) {
    int64_t ix = d->index[i];
    if (ix == -1)
      return -1;
    if (ix >= 0) {
      const Entry& e = d->entries[ix];
      if (e.hash == hash) {
        if (e.key.tag == Tag::Str && key.tag == Tag::Str) { // the common key: compared here
          const Str* a = as<Str>(e.key);
          const Str* b = as<Str>(key);
          if (a == b || (a->len == b->len && std::memcmp(a->data, b->data, size_t(a->len)) == 0))
            return ix;
        } else {
          int r = eq_item(c, e.key, key);
          if (r)
            return r < 0 ? -2 : ix;
        }
      }
    }
    perturb >>= k_perturb_shift;
    i = (i * 5 + perturb + 1) & mask;
  }
}

Entry* detail::dict_next(const Table* d, int64_t* pos) {
  for (int64_t i = *pos; i < d->used; ++i)
    if (d->entries[i].key.tag != Tag::Dummy) {
      *pos = i + 1;
      return &d->entries[i];
    }
  *pos = d->used;
  return nullptr;
}

bool detail::dict_insert(Ctx* c, Table* d, Val key, int64_t hash, Val value) {
  int64_t ix = dict_find(c, d, key, hash);
  if (ix == -2)
    return false;
  if (ix >= 0) {
    d->entries[ix].value = value;
    return true;
  }
  if (d->used == d->cap)
    dict_resize(d, d->n * 3);
  dict_insert_clean(d, key, hash, value);
  return true;
}

Table* dict_new(int64_t capacity_hint) {
  auto* d = static_cast<Table*>(gc_alloc(sizeof(Table)));
  if (capacity_hint > 0)
    dict_alloc(d, dict_size_for(capacity_hint));
  return d;
}

int dict_get(Ctx* c, const Table* d, Val key, Val* out) {
  int64_t hash;
  if (!hash_of(c, key, &hash))
    return -1;
  int64_t ix = dict_find(c, d, key, hash);
  if (ix < 0)
    return ix == -1 ? 0 : -1;
  *out = d->entries[ix].value;
  return 1;
}

bool dict_set(Ctx* c, Table* d, Val key, Val value) {
  int64_t hash;
  if (!check_mutable(c, d->frozen, "dict") || !hash_of(c, key, &hash))
    return false;
  return dict_insert(c, d, key, hash, value);
}

Val dict_setdefault(Ctx* c, Table* d, Val key, Val dflt) {
  int64_t hash;
  if (!check_mutable(c, d->frozen, "dict") || !hash_of(c, key, &hash))
    return none();
  int64_t ix = dict_find(c, d, key, hash);
  if (ix >= 0)
    return d->entries[ix].value;
  if (ix == -2 || !dict_insert(c, d, key, hash, dflt))
    return none();
  return dflt;
}

int dict_del(Ctx* c, Table* d, Val key, Val* out) {
  int64_t hash;
  if (!check_mutable(c, d->frozen, "dict") || !hash_of(c, key, &hash))
    return -1;
  int64_t ix = dict_find(c, d, key, hash);
  if (ix < 0)
    return ix == -1 ? 0 : -1;
  if (out)
    *out = d->entries[ix].value;
  dict_remove_at(d, ix);
  return 1;
}

Table* dict_copy(const Table* d) {
  Table* r = dict_new(d->n);
  int64_t pos = 0;
  while (Entry* e = dict_next(d, &pos))
    dict_insert_clean(r, e->key, e->hash, e->value);
  return r;
}

bool dict_update(Ctx* c, Table* d, Val other) {
  if (!check_mutable(c, d->frozen, "dict"))
    return false;
  if (other.tag == Tag::Dict) {
    const Table* o = as<Table>(other);
    if (o == d)
      return true;
    if (d->used + o->n > d->cap)
      dict_resize(d, (d->n + o->n) * 3 / 2 + 1);
    int64_t pos = 0;
    while (Entry* e = dict_next(o, &pos))
      if (!dict_insert(c, d, e->key, e->hash, e->value))
        return false;
    return true;
  }
  Iter* it = iter_of(c, other);
  if (!it)
    return false;
  Val item;
  for (int64_t k = 0; iter_next(c, it, &item); ++k) {
    Val pair[2];
    int64_t len = 0;
    Iter* inner = item.tag == Tag::Tuple || item.tag == Tag::List ? nullptr : iter_of(c, item);
    if (item.tag == Tag::Tuple || item.tag == Tag::List) {
      len = item.tag == Tag::Tuple ? as<Tuple>(item)->n : as<List>(item)->n;
      const Val* items = item.tag == Tag::Tuple ? as<Tuple>(item)->items : as<List>(item)->items;
      for (int64_t i = 0; i < len && i < 2; ++i)
        pair[i] = items[i];
    } else if (!inner) {
      c->exc = nullptr;
      raise(c, ExcKind::TypeError,
            "cannot convert dictionary update sequence element #" + std::to_string(k) + " to a sequence");
      return false;
    } else {
      Val v;
      while (iter_next(c, inner, &v)) {
        if (len < 2)
          pair[len] = v;
        ++len;
      }
      if (c->exc)
        return false;
    }
    if (len != 2) {
      raise(c, ExcKind::ValueError, "dictionary update sequence element #" + std::to_string(k) + " has length " +
                                        std::to_string(len) + "; 2 is required");
      return false;
    }
    if (!dict_set(c, d, pair[0], pair[1]))
      return false;
  }
  return !c->exc;
}

Val dict_popitem(Ctx* c, Table* d) {
  if (!check_mutable(c, d->frozen, "dict"))
    return none();
  if (d->n == 0) {
    raise(c, ExcKind::KeyError, "popitem(): dictionary is empty");
    return none();
  }
  int64_t i = d->used - 1;
  while (d->entries[i].key.tag == Tag::Dummy)
    --i;
  Val r = tuple_of({d->entries[i].key, d->entries[i].value});
  dict_remove_at(d, i);
  // Trim the deleted tail so that repeated popitem() stays O(1), as CPython. Their index slots
  // stay marked deleted, so the capacity shrinks with them: the index keeps an empty slot.
  d->cap -= d->used - i;
  d->used = i;
  return r;
}

void dict_clear(Ctx* c, Table* d) {
  if (!check_mutable(c, d->frozen, "dict"))
    return;
  d->n = d->used = d->cap = d->mask = 0;
  d->entries = nullptr;
  d->index = nullptr;
}

// ---- set and frozenset ----------------------------------------------------------------------------

namespace {
bool is_empty_slot(const Entry& e) { return e.hash == 0 && e.key.tag == Tag::Dummy; }

void set_alloc(Table* s, int64_t size) {
  s->entries = static_cast<Entry*>(gc_alloc(sizeof(Entry) * size_t(size)));
  for (int64_t i = 0; i < size; ++i)
    s->entries[i].key = k_empty;
  s->mask = size - 1;
  s->cap = size;
}

void set_insert_clean(Entry* table, uint64_t mask, Val key, int64_t hash) {
  uint64_t perturb = uint64_t(hash), i = uint64_t(hash) & mask;
  Entry* e;
  for (;;) {
    e = &table[i];
    if (e->key.tag == Tag::Dummy)
      goto found;
    if (i + k_linear_probes <= mask)
      for (int j = 0; j < k_linear_probes; ++j) {
        ++e;
        if (e->key.tag == Tag::Dummy)
          goto found;
      }
    perturb >>= k_perturb_shift;
    i = (i * 5 + 1 + perturb) & mask;
  }
found:
  e->key = key;
  e->hash = hash;
}

/// CPython's set_table_resize: a table of the smallest power of two above minused.
void set_resize(Table* s, int64_t minused) {
  int64_t size = k_set_minsize;
  while (size <= minused)
    size <<= 1;
  if (size == k_set_minsize && s->cap == k_set_minsize && s->used == s->n)
    return; // the small table, without dummies: nothing to do
  Entry* old = s->entries;
  int64_t old_size = s->cap;
  set_alloc(s, size);
  for (int64_t i = 0; i < old_size; ++i)
    if (old[i].key.tag != Tag::Dummy)
      set_insert_clean(s->entries, uint64_t(s->mask), old[i].key, old[i].hash);
  s->used = s->n;
}

Entry* set_lookkey(Ctx* c, const Table* s, Val key, int64_t hash, bool* error) {
  uint64_t mask = uint64_t(s->mask), perturb = uint64_t(hash), i = uint64_t(hash) & mask;
  for (;;) {
    Entry* e = &s->entries[i];
    int probes = i + k_linear_probes <= mask ? k_linear_probes : 0;
    do {
      if (is_empty_slot(*e))
        return nullptr;
      if (e->hash == hash) {
        int r = eq_item(c, e->key, key);
        if (r < 0)
          *error = true;
        if (r)
          return r > 0 ? e : nullptr;
      }
      ++e;
    } while (probes--);
    perturb >>= k_perturb_shift;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

int set_discard_hashed(Ctx* c, Table* s, Val key, int64_t hash) {
  bool error = false;
  Entry* e = set_lookkey(c, s, key, hash, &error);
  if (error)
    return -1;
  if (!e)
    return 0;
  e->key = k_deleted;
  e->hash = -1;
  s->n--;
  return 1;
}

/// hash(key) for set lookups: a set key is looked up as the equal frozenset, as CPython does.
bool set_key_hash(Ctx* c, Val key, int64_t* hash) {
  if (key.tag == Tag::Set) {
    *hash = frozenset_hash(as<Table>(key));
    return true;
  }
  return hash_of(c, key, hash);
}

/// CPython's set_merge: adds every key of other (a set or frozenset).
void set_merge(Ctx* c, Table* s, const Table* o) {
  if (o == s || o->n == 0)
    return;
  if ((s->used + o->n) * 5 >= s->mask * 3)
    set_resize(s, (s->n + o->n) * 2);
  if (s->used == 0 && s->mask == o->mask && o->used == o->n) {
    std::memcpy(s->entries, o->entries, sizeof(Entry) * size_t(o->cap));
    s->used = o->used;
    s->n = o->n;
    return;
  }
  if (s->used == 0) {
    for (int64_t i = 0; i < o->cap; ++i)
      if (o->entries[i].key.tag != Tag::Dummy)
        set_insert_clean(s->entries, uint64_t(s->mask), o->entries[i].key, o->entries[i].hash);
    s->used = s->n = o->n;
    return;
  }
  for (int64_t i = 0; i < o->cap; ++i)
    if (o->entries[i].key.tag != Tag::Dummy)
      set_add_hashed(c, s, o->entries[i].key, o->entries[i].hash);
}

Table* set_alloc_new() {
  auto* s = static_cast<Table*>(gc_alloc(sizeof(Table)));
  set_alloc(s, k_set_minsize);
  return s;
}

/// A new set of the given kind holding the keys of s.
Table* set_copy_as(const Table* s) {
  Table* r = set_alloc_new();
  set_merge(nullptr, r, s);
  return r;
}

void swap_bodies(Table* a, Table* b) {
  std::swap(a->n, b->n);
  std::swap(a->used, b->used);
  std::swap(a->cap, b->cap);
  std::swap(a->entries, b->entries);
  std::swap(a->mask, b->mask);
}

/// CPython's set_intersection; the result has `kind`.
Table* intersect(Ctx* c, const Table* s, Val other) {
  if (is_anyset(other) && as<Table>(other) == s)
    return set_copy_as(s);
  Table* r = set_alloc_new();
  if (is_anyset(other)) {
    const Table* a = s;
    const Table* b = as<Table>(other);
    if (b->n > a->n)
      std::swap(a, b);
    int64_t pos = 0;
    while (Entry* e = set_next(b, &pos)) {
      int found = set_find(c, a, e->key, e->hash);
      if (found < 0 || (found && !set_add_hashed(c, r, e->key, e->hash)))
        return nullptr;
    }
    return r;
  }
  Iter* it = iter_of(c, other);
  if (!it)
    return nullptr;
  Val key;
  while (iter_next(c, it, &key)) {
    int64_t hash;
    if (!hash_of(c, key, &hash))
      return nullptr;
    int found = set_find(c, s, key, hash);
    if (found < 0 || (found && !set_add_hashed(c, r, key, hash)))
      return nullptr;
    if (found && r->n >= s->n)
      break;
  }
  return c->exc ? nullptr : r;
}

/// CPython's set_difference_update_internal.
bool difference_update(Ctx* c, Table* s, Val other) {
  if (is_anyset(other) && as<Table>(other) == s) {
    set_clear(c, s);
    return true;
  }
  if (is_anyset(other)) {
    const Table* o = as<Table>(other);
    if ((o->n >> 3) > s->n && !(o = intersect(c, s, other)))
      return false;
    int64_t pos = 0;
    while (Entry* e = set_next(o, &pos))
      if (set_discard_hashed(c, s, e->key, e->hash) < 0)
        return false;
  } else {
    Iter* it = iter_of(c, other);
    if (!it)
      return false;
    Val key;
    while (iter_next(c, it, &key)) {
      int64_t hash;
      if (!set_key_hash(c, key, &hash) || set_discard_hashed(c, s, key, hash) < 0)
        return false;
    }
    if (c->exc)
      return false;
  }
  if (uint64_t(s->used - s->n) > uint64_t(s->mask) / 4)
    set_resize(s, s->n > 50000 ? s->n * 2 : s->n * 4);
  return true;
}

/// CPython's set_difference: s - other as a new set.
Table* difference(Ctx* c, const Table* s, Val other) {
  int64_t other_size = is_anyset(other) || other.tag == Tag::Dict ? as<Table>(other)->n : -1;
  if (other_size < 0 || (s->n >> 2) > other_size) {
    Table* r = set_copy_as(s);
    return difference_update(c, r, other) ? r : nullptr;
  }
  Table* r = set_alloc_new();
  const Table* o = as<Table>(other);
  int64_t pos = 0;
  while (Entry* e = set_next(s, &pos)) {
    int found = other.tag == Tag::Dict ? (dict_find(c, o, e->key, e->hash) == -1 ? 0 : 1) : set_find(c, o, e->key, e->hash);
    if (c->exc || (!found && !set_add_hashed(c, r, e->key, e->hash)))
      return nullptr;
  }
  return r;
}

/// CPython's set_symmetric_difference_update.
bool symmetric_update(Ctx* c, Table* s, Val other) {
  if (is_anyset(other) && as<Table>(other) == s) {
    set_clear(c, s);
    return true;
  }
  auto toggle = [&](Val key, int64_t hash) {
    int r = set_discard_hashed(c, s, key, hash);
    return r > 0 || (r == 0 && set_add_hashed(c, s, key, hash));
  };
  if (other.tag == Tag::Dict) {
    int64_t pos = 0;
    while (Entry* e = dict_next(as<Table>(other), &pos))
      if (!toggle(e->key, e->hash))
        return false;
    return true;
  }
  const Table* o;
  if (is_anyset(other)) {
    o = as<Table>(other);
  } else {
    Table* t = set_alloc_new();
    if (!set_update_internal(c, t, other))
      return false;
    o = t;
  }
  int64_t pos = 0;
  while (Entry* e = set_next(o, &pos))
    if (!toggle(e->key, e->hash))
      return false;
  return true;
}

int issubset_sets(Ctx* c, const Table* a, const Table* b) {
  if (a->n > b->n)
    return 0;
  int64_t pos = 0;
  while (Entry* e = set_next(a, &pos)) {
    int r = set_find(c, b, e->key, e->hash);
    if (r <= 0)
      return r;
  }
  return 1;
}

Val boxed(Tag kind, Table* t) { return t ? box_ptr(kind, t) : none(); }

bool check_set_mutable(Ctx* c, const Table* s) { return check_mutable(c, s->frozen, "set"); }

/// set(other) as a temporary for methods that accept any iterable.
const Table* as_set(Ctx* c, Val other) {
  if (is_anyset(other))
    return as<Table>(other);
  Table* t = set_alloc_new();
  return set_update_internal(c, t, other) ? t : nullptr;
}
} // namespace

Entry* detail::set_next(const Table* s, int64_t* pos) {
  for (int64_t i = *pos; i < s->cap; ++i)
    if (s->entries[i].key.tag != Tag::Dummy) {
      *pos = i + 1;
      return &s->entries[i];
    }
  *pos = s->cap;
  return nullptr;
}

int detail::set_find(Ctx* c, const Table* s, Val key, int64_t hash) {
  bool error = false;
  Entry* e = set_lookkey(c, s, key, hash, &error);
  return error ? -1 : e != nullptr;
}

bool detail::set_add_hashed(Ctx* c, Table* s, Val key, int64_t hash) {
  uint64_t mask = uint64_t(s->mask), perturb = uint64_t(hash), i = uint64_t(hash) & mask;
  Entry* freeslot = nullptr;
  Entry* e;
  for (;;) {
    e = &s->entries[i];
    int probes = i + k_linear_probes <= mask ? k_linear_probes : 0;
    do {
      if (is_empty_slot(*e))
        goto found_unused_or_dummy;
      if (e->hash == hash) {
        int r = eq_item(c, e->key, key);
        if (r)
          return r > 0;
      } else if (e->hash == -1) {
        freeslot = e;
      }
      ++e;
    } while (probes--);
    perturb >>= k_perturb_shift;
    i = (i * 5 + 1 + perturb) & mask;
  }
found_unused_or_dummy:
  if (freeslot) {
    s->n++;
    freeslot->key = key;
    freeslot->hash = hash;
    return true;
  }
  s->used++;
  s->n++;
  e->key = key;
  e->hash = hash;
  if (uint64_t(s->used) * 5 >= mask * 3)
    set_resize(s, s->n > 50000 ? s->n * 2 : s->n * 4);
  return true;
}

Val detail::new_set(Tag kind) { return box_ptr(kind, set_alloc_new()); }

bool detail::set_update_internal(Ctx* c, Table* s, Val other) {
  if (is_anyset(other)) {
    set_merge(c, s, as<Table>(other));
    return !c->exc;
  }
  if (other.tag == Tag::Dict) {
    const Table* d = as<Table>(other);
    if ((s->used + d->n) * 5 >= s->mask * 3)
      set_resize(s, (s->n + d->n) * 2);
    int64_t pos = 0;
    while (Entry* e = dict_next(d, &pos))
      if (!set_add_hashed(c, s, e->key, e->hash))
        return false;
    return true;
  }
  Iter* it = iter_of(c, other);
  if (!it)
    return false;
  Val key;
  while (iter_next(c, it, &key)) {
    int64_t hash;
    if (!hash_of(c, key, &hash) || !set_add_hashed(c, s, key, hash))
      return false;
  }
  return !c->exc;
}

Table* set_new(int64_t) { return set_alloc_new(); } // CPython does not presize: same order as CPython

Table* set_display(Ctx* c, int64_t n, const Val* items, bool constant) {
  Table* s = set_alloc_new();
  for (int64_t i = 0; i < n; ++i)
    if (!set_add(c, s, items[i]))
      return nullptr;
  if (!constant || n <= 2)
    return s;
  Table* rebuilt = set_alloc_new(); // frozenset(tuple(frozenset(items))), then set().update(it)
  int64_t pos = 0;
  while (Entry* e = set_next(s, &pos))
    set_add_hashed(c, rebuilt, e->key, e->hash);
  return set_copy_as(rebuilt);
}

int set_contains(Ctx* c, const Table* s, Val key) {
  int64_t hash;
  if (!set_key_hash(c, key, &hash))
    return -1;
  return set_find(c, s, key, hash);
}

bool set_add(Ctx* c, Table* s, Val key) {
  int64_t hash;
  return check_set_mutable(c, s) && hash_of(c, key, &hash) && set_add_hashed(c, s, key, hash);
}

int set_discard(Ctx* c, Table* s, Val key) {
  int64_t hash;
  if (!check_set_mutable(c, s) || !set_key_hash(c, key, &hash))
    return -1;
  return set_discard_hashed(c, s, key, hash);
}

void set_remove(Ctx* c, Table* s, Val key) {
  if (set_discard(c, s, key) == 0)
    raise_key_error(c, key);
}

Val set_pop(Ctx* c, Table* s) {
  if (!check_set_mutable(c, s))
    return none();
  if (s->n == 0) {
    raise(c, ExcKind::KeyError, "pop from an empty set");
    return none();
  }
  int64_t i = s->finger & s->mask;
  while (s->entries[i].key.tag == Tag::Dummy)
    i = i == s->mask ? 0 : i + 1;
  Val key = s->entries[i].key;
  s->entries[i].key = k_deleted;
  s->entries[i].hash = -1;
  s->n--;
  s->finger = i + 1;
  return key;
}

Table* set_copy(const Table* s) { return set_copy_as(s); }

void set_clear(Ctx* c, Table* s) {
  if (!check_set_mutable(c, s))
    return;
  set_alloc(s, k_set_minsize);
  s->n = s->used = 0;
}

bool set_update(Ctx* c, Table* s, Val iterable) {
  return check_set_mutable(c, s) && set_update_internal(c, s, iterable);
}

Val set_union(Ctx* c, Val s, int64_t n, const Val* others) {
  Table* r = set_copy_as(as<Table>(s));
  for (int64_t i = 0; i < n; ++i)
    if (!same(others[i], s) && !set_update_internal(c, r, others[i]))
      return none();
  return box_ptr(s.tag, r);
}

Val set_intersection(Ctx* c, Val s, int64_t n, const Val* others) {
  Table* r = n == 0 ? set_copy_as(as<Table>(s)) : as<Table>(s);
  for (int64_t i = 0; i < n && r; ++i)
    r = intersect(c, r, others[i]);
  return boxed(s.tag, r);
}

Val set_difference(Ctx* c, Val s, int64_t n, const Val* others) {
  Table* r = n == 0 ? set_copy_as(as<Table>(s)) : difference(c, as<Table>(s), others[0]);
  for (int64_t i = 1; i < n && r; ++i)
    if (!difference_update(c, r, others[i]))
      r = nullptr;
  return boxed(s.tag, r);
}

Val set_symmetric_difference(Ctx* c, Val s, Val other) {
  Table* r = set_alloc_new();
  if (!set_update_internal(c, r, other) || !symmetric_update(c, r, s))
    return none();
  return box_ptr(s.tag, r);
}

bool set_intersection_update(Ctx* c, Table* s, int64_t n, const Val* others) {
  if (!check_set_mutable(c, s))
    return false;
  Val r = set_intersection(c, box_ptr(Tag::Set, s), n, others);
  if (c->exc)
    return false;
  swap_bodies(s, as<Table>(r));
  return true;
}

bool set_difference_update(Ctx* c, Table* s, int64_t n, const Val* others) {
  if (!check_set_mutable(c, s))
    return false;
  for (int64_t i = 0; i < n; ++i)
    if (!difference_update(c, s, others[i]))
      return false;
  return true;
}

bool set_symmetric_difference_update(Ctx* c, Table* s, Val other) {
  return check_set_mutable(c, s) && symmetric_update(c, s, other);
}

int set_issubset(Ctx* c, Val s, Val other) {
  const Table* o = as_set(c, other);
  return o ? issubset_sets(c, as<Table>(s), o) : -1;
}

int set_issuperset(Ctx* c, Val s, Val other) {
  const Table* o = as_set(c, other);
  return o ? issubset_sets(c, o, as<Table>(s)) : -1;
}

int set_isdisjoint(Ctx* c, Val s, Val other) {
  const Table* a = as<Table>(s);
  if (is_anyset(other)) {
    const Table* b = as<Table>(other);
    if (b->n > a->n)
      std::swap(a, b);
    int64_t pos = 0;
    while (Entry* e = set_next(b, &pos)) {
      int r = set_find(c, a, e->key, e->hash);
      if (r)
        return r < 0 ? -1 : 0;
    }
    return 1;
  }
  Iter* it = iter_of(c, other);
  if (!it)
    return -1;
  Val key;
  while (iter_next(c, it, &key)) {
    int r = set_contains(c, a, key);
    if (r)
      return r < 0 ? -1 : 0;
  }
  return c->exc ? -1 : 1;
}

Val set_binop(Ctx* c, BinOp op, Val a, Val b) {
  if (!is_anyset(a) || !is_anyset(b) ||
      (op != BinOp::BitOr && op != BinOp::BitAnd && op != BinOp::Sub && op != BinOp::BitXor)) {
    raise(c, ExcKind::TypeError, std::string("unsupported operand type(s) for ") + binop_symbol(op) + ": '" +
                                     type_name(a) + "' and '" + type_name(b) + "'");
    return none();
  }
  switch (op) {
  case BinOp::BitOr: return set_union(c, a, 1, &b);
  case BinOp::BitAnd: return boxed(a.tag, intersect(c, as<Table>(a), b));
  case BinOp::Sub: return boxed(a.tag, difference(c, as<Table>(a), b));
  default: return set_symmetric_difference(c, a, b);
  }
}

bool set_inplace(Ctx* c, BinOp op, Table* s, Val other) {
  if (!check_set_mutable(c, s))
    return false;
  switch (op) {
  case BinOp::BitOr: return set_update_internal(c, s, other);
  case BinOp::BitAnd: return set_intersection_update(c, s, 1, &other);
  case BinOp::Sub: return difference_update(c, s, other);
  default: return symmetric_update(c, s, other);
  }
}

int set_compare(Ctx* c, CmpOp op, Val a, Val b) {
  const Table* x = as<Table>(a);
  const Table* y = as<Table>(b);
  switch (op) {
  case CmpOp::Eq: return x->n == y->n ? issubset_sets(c, x, y) : 0;
  case CmpOp::Ne: {
    int r = x->n == y->n ? issubset_sets(c, x, y) : 0;
    return r < 0 ? r : !r;
  }
  case CmpOp::Le: return issubset_sets(c, x, y);
  case CmpOp::Ge: return issubset_sets(c, y, x);
  case CmpOp::Lt: return x->n < y->n ? issubset_sets(c, x, y) : 0;
  case CmpOp::Gt: return x->n > y->n ? issubset_sets(c, y, x) : 0;
  }
  return 0;
}

} // namespace shoal::rt
