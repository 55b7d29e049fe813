/// str's methods and the string operations compiled code calls (indexing, slicing,
/// concatenation, `in`), with CPython 3.11's results and error messages. ASCII strings
/// (len == ncp) take byte paths; others are walked by code point over their UTF-8.

#include "runtime/format.hpp"
#include "runtime/methods.hpp"
#include "runtime/numeric_detail.hpp"
#include "runtime/str_detail.hpp"

#include <algorithm>
#include <array>
#include <cstdarg>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <vector>

namespace shoal::rt {
using namespace detail;

// ---- allocation and code point offsets ----------------------------------------------------------

namespace {
/// Statically allocated one-character ASCII strings and the empty string (index 128), shared
/// by every result that is one of them (strings are immutable).
struct SmallStr {
  int64_t len, ncp, hash;
  char data[8];
};
constexpr std::array<SmallStr, 129> make_small() {
  std::array<SmallStr, 129> a{};
  for (int i = 0; i < 128; ++i)
    a[size_t(i)] = {1, 1, -1, {char(i)}};
  a[128].hash = -1;
  return a;
}
std::array<SmallStr, 129> g_small = make_small();

/// ASCII whitespace as str.split() and str.isspace() see it: \t\n\v\f\r, \x1c-\x1f, space.
constexpr std::array<bool, 128> k_ascii_space = [] {
  std::array<bool, 128> t{};
  for (int ch : {9, 10, 11, 12, 13, 0x1c, 0x1d, 0x1e, 0x1f, 32})
    t[size_t(ch)] = true;
  return t;
}();
} // namespace

namespace detail {

Str* str_char(unsigned char ch) { return reinterpret_cast<Str*>(&g_small[ch & 0x7F]); }

Str* str_alloc(int64_t len, int64_t ncp) {
  if (len == 0) return reinterpret_cast<Str*>(&g_small[128]);
  auto* s = static_cast<Str*>(gc_alloc_atomic(sizeof(Str) + size_t(len)));
  s->len = len;
  s->ncp = ncp;
  s->hash = -1;
  s->data[len] = 0;
  return s;
}

Str* str_sub(const Str* s, int64_t b, int64_t e) {
  if (e - b == 1 && static_cast<unsigned char>(s->data[b]) < 0x80) return str_char(s->data[b]);
  if (b == 0 && e == s->len) return const_cast<Str*>(s);
  Str* r = str_alloc(e - b, is_ascii(s) ? e - b : utf8_count(s->data + b, e - b));
  std::memcpy(r->data, s->data + b, size_t(e - b));
  return r;
}

int64_t cp_offset(const Str* s, int64_t i) {
  if (is_ascii(s)) return i;
  if (i > s->ncp / 2) { // nearer the end: walk back from it
    int64_t off = s->len;
    for (int64_t k = s->ncp; k > i; --k)
      while (is_cont(s->data[--off])) {}
    return off;
  }
  const char* p = s->data;
  for (int64_t k = 0; k < i; ++k)
    while (is_cont(*++p)) {}
  return p - s->data;
}

int64_t slice_indices(Ctx* c, Val start, Val stop, Val step, int64_t len, int64_t* first, int64_t* stride) {
  auto index = [&](Val v, int64_t dflt, int64_t* out) {
    if (v.tag == Tag::None) *out = dflt;
    else if (v.tag == Tag::Int || v.tag == Tag::Bool) *out = int64_t(v.bits);
    else if (v.tag == Tag::Big) *out = mpz_sgn(as<BigInt>(v)->z) < 0 ? INT64_MIN : INT64_MAX;
    else {
      raise(c, ExcKind::TypeError, "slice indices must be integers or None or have an __index__ method");
      return false;
    }
    return true;
  };
  int64_t st, a, b;
  if (!index(step, 1, &st)) return -1;
  if (st == 0) {
    raise(c, ExcKind::ValueError, "slice step cannot be zero");
    return -1;
  }
  if (st < -INT64_MAX) st = -INT64_MAX;
  if (!index(start, st < 0 ? INT64_MAX : 0, &a) || !index(stop, st < 0 ? INT64_MIN : INT64_MAX, &b)) return -1;
  auto adjust = [&](int64_t& x) {
    if (x < 0) {
      x += len;
      if (x < 0) x = st < 0 ? -1 : 0;
    } else if (x >= len) {
      x = st < 0 ? len - 1 : len;
    }
  };
  adjust(a);
  adjust(b);
  *first = a;
  *stride = st;
  if (st < 0) return b < a ? (a - b - 1) / -st + 1 : 0;
  return a < b ? (b - a - 1) / st + 1 : 0;
}

std::string strf(const char* fmt, ...) {
  va_list ap, again;
  va_start(ap, fmt);
  va_copy(again, ap);
  std::string out(size_t(std::vsnprintf(nullptr, 0, fmt, ap)), '\0');
  std::vsnprintf(out.data(), out.size() + 1, fmt, again);
  va_end(again);
  va_end(ap);
  return out;
}

} // namespace detail

// ---- indexing, slicing, concatenation ---------------------------------------------------------

Str* str_getitem(Ctx* c, const Str* s, int64_t i) {
  if (i < 0) i += s->ncp;
  if (i < 0 || i >= s->ncp) {
    raise(c, ExcKind::IndexError, "string index out of range");
    return nullptr;
  }
  if (is_ascii(s)) return str_char(s->data[i]);
  int64_t b = cp_offset(s, i), e = b + 1;
  while (e < s->len && is_cont(s->data[e])) ++e;
  return str_sub(s, b, e);
}

Str* str_slice(Ctx* c, const Str* s, Val start, Val stop, Val step) {
  int64_t first, stride;
  int64_t n = slice_indices(c, start, stop, step, s->ncp, &first, &stride);
  if (n < 0) return nullptr;
  if (is_ascii(s)) {
    if (stride == 1) return str_sub(s, first, first + n);
    Str* r = str_alloc(n, n);
    for (int64_t k = 0; k < n; ++k)
      r->data[k] = s->data[first + k * stride];
    return r;
  }
  if (stride == 1) {
    int64_t b = cp_offset(s, first), e = b;
    for (int64_t k = 0; k < n; ++k)
      while (++e < s->len && is_cont(s->data[e])) {}
    return str_sub(s, b, e);
  }
  std::vector<int64_t> offs; // byte offset of each code point, and of the end
  offs.reserve(size_t(s->ncp) + 1);
  for (int64_t i = 0; i < s->len; ++i)
    if (!is_cont(s->data[i])) offs.push_back(i);
  offs.push_back(s->len);
  int64_t bytes = 0;
  for (int64_t k = 0, i = first; k < n; ++k, i += stride)
    bytes += offs[size_t(i) + 1] - offs[size_t(i)];
  Str* r = str_alloc(bytes, n);
  char* o = r->data;
  for (int64_t k = 0, i = first; k < n; ++k, i += stride) {
    int64_t len = offs[size_t(i) + 1] - offs[size_t(i)];
    std::memcpy(o, s->data + offs[size_t(i)], size_t(len));
    o += len;
  }
  return r;
}

Str* str_concat(Ctx* c, const Str* a, const Str* b) {
  Str* const parts[] = {const_cast<Str*>(a), const_cast<Str*>(b)};
  return str_join_n(c, 2, parts);
}

Str* str_join_n(Ctx* c, int64_t n, Str* const* parts) {
  int64_t len = 0, ncp = 0;
  for (int64_t i = 0; i < n; ++i) {
    len += parts[i]->len;
    ncp += parts[i]->ncp;
  }
  if (c->memory_limit > 0 && len > c->memory_limit) {
    raise(c, ExcKind::MemoryError, nullptr);
    return nullptr;
  }
  for (int64_t i = 0; i < n; ++i) // one non-empty part: no copy
    if (parts[i]->len == len) return parts[i];
  Str* r = str_alloc(len, ncp);
  char* o = r->data;
  for (int64_t i = 0; i < n; ++i) {
    std::memcpy(o, parts[i]->data, size_t(parts[i]->len));
    o += parts[i]->len;
  }
  return r;
}

bool str_contains(const Str* s, const Str* sub) {
  return sub->len == 0 || memmem(s->data, size_t(s->len), sub->data, size_t(sub->len)) != nullptr;
}

// ---- argument parsing ---------------------------------------------------------------------------

namespace {

/// How a method takes its arguments in CPython, which decides the wording of arity errors.
enum class Conv : uint8_t {
  NoArgs,   ///< METH_NOARGS: "str.lower() takes no arguments (1 given)"
  One,      ///< METH_O: "str.join() takes exactly one argument (0 given)"
  Posonly,  ///< Argument Clinic, positional-only: "strip expected at most 1 argument, got 2"
  Varargs,  ///< PyArg_ParseTuple: "find() takes at least 1 argument (0 given)"
  Keywords, ///< Argument Clinic with keywords: "split() takes at most 2 arguments (3 given)"
};

struct Sig {
  const char* name;
  Conv conv;
  int min, max;
  const char* kw[2];
};

constexpr Val k_absent = {Tag::Dummy, 0};
bool given(Val v) { return v.tag != Tag::Dummy && v.tag != Tag::None; }

const char* plural(int64_t n) { return n == 1 ? "" : "s"; }

/// Checks a call's arity and keywords against sig and spreads the values over out[0..sig.max)
/// (absent ones as k_absent). False with CPython's TypeError raised otherwise.
bool unpack(Ctx* c, const Sig& s, const Args& a, Val* out) {
  for (int i = 0; i < s.max; ++i)
    out[i] = k_absent;
  const char* name = s.name;
  std::string err;
  if (s.conv == Conv::Keywords) {
    int64_t total = a.n + a.nkw;
    if (total > s.max)
      err = strf("%s() takes at most %d %sargument%s (%lld given)", name, s.max, a.n ? "" : "keyword ",
                 plural(s.max), (long long)total);
    else {
      for (int64_t i = 0; i < a.n; ++i)
        out[i] = a.v[i];
      int64_t left = a.nkw;
      for (int64_t i = a.n; i < s.max; ++i)
        for (int64_t k = 0; k < a.nkw; ++k)
          if (std::strcmp(a.kw[k], s.kw[i]) == 0) {
            out[i] = a.v[a.n + k];
            --left;
          }
      for (int64_t i = 0; left && err.empty() && i < a.n; ++i)
        for (int64_t k = 0; k < a.nkw; ++k)
          if (std::strcmp(a.kw[k], s.kw[i]) == 0)
            err = strf("argument for %s() given by name ('%s') and position (%lld)", name, s.kw[i], (long long)i + 1);
      for (int64_t k = 0; left && err.empty() && k < a.nkw; ++k) {
        bool known = false;
        for (int i = 0; i < s.max; ++i)
          known |= std::strcmp(a.kw[k], s.kw[i]) == 0;
        if (!known) err = strf("'%s' is an invalid keyword argument for %s()", a.kw[k], name);
      }
    }
  } else if (a.nkw) {
    err = strf("str.%s() takes no keyword arguments", name);
  } else if (a.n < s.min || a.n > s.max) {
    long long n = a.n;
    switch (s.conv) {
    case Conv::NoArgs: err = strf("str.%s() takes no arguments (%lld given)", name, n); break;
    case Conv::One: err = strf("str.%s() takes exactly one argument (%lld given)", name, n); break;
    case Conv::Posonly: {
      int lim = a.n < s.min ? s.min : s.max;
      err = strf("%s expected %s%d argument%s, got %lld", name,
                 s.min == s.max ? "" : a.n < s.min ? "at least " : "at most ", lim, plural(lim), n);
      break;
    }
    default: {
      int lim = a.n < s.min ? s.min : s.max;
      err = strf("%s() takes %s %d argument%s (%lld given)", name,
                 s.min == s.max ? "exactly" : a.n < s.min ? "at least" : "at most", lim, plural(lim), n);
    }
    }
  } else {
    for (int64_t i = 0; i < a.n; ++i)
      out[i] = a.v[i];
  }
  if (err.empty()) return true;
  raise(c, ExcKind::TypeError, err);
  return false;
}

/// A Py_ssize_t argument: TypeError for non-ints, OverflowError beyond int64 (beyond int32 for
/// the C int parameters: `small`).
bool to_size(Ctx* c, Val v, int64_t* out, bool small = false) {
  if (v.tag == Tag::Int || v.tag == Tag::Bool) {
    *out = int64_t(v.bits);
    if (!small || (*out >= INT32_MIN && *out <= INT32_MAX)) return true;
  } else if (v.tag != Tag::Big) {
    raise(c, ExcKind::TypeError, strf("'%s' object cannot be interpreted as an integer", type_name(v)));
    return false;
  }
  raise(c, ExcKind::OverflowError, small ? "Python int too large to convert to C int"
                                         : "Python int too large to convert to C ssize_t");
  return false;
}

/// A start/end argument of find() and friends: None or an int (big ones clamp).
bool to_slice_index(Ctx* c, Val v, int64_t* out) {
  if (!given(v)) return true;
  if (v.tag == Tag::Int || v.tag == Tag::Bool) *out = int64_t(v.bits);
  else if (v.tag == Tag::Big) *out = mpz_sgn(as<BigInt>(v)->z) < 0 ? INT64_MIN : INT64_MAX;
  else {
    raise(c, ExcKind::TypeError, "slice indices must be integers or None or have an __index__ method");
    return false;
  }
  return true;
}

/// A str argument; TypeError "<prefix>must be str, not int" otherwise.
const Str* want_str(Ctx* c, Val v, const char* prefix = "") {
  if (v.tag == Tag::Str) return as<Str>(v);
  raise(c, ExcKind::TypeError, strf("%smust be str, not %s", prefix, type_name(v)));
  return nullptr;
}

bool too_big(Ctx* c, int64_t bytes) {
  if (bytes >= 0 && (c->memory_limit <= 0 || bytes <= c->memory_limit)) return false;
  raise(c, ExcKind::MemoryError, nullptr);
  return true;
}

const Str* self_of(Val self) { return as<Str>(self); }
Val box(const Str* s) { return s ? str_box(s) : none(); }

/// CPython's ADJUST_INDICES: clamps [start, end) to a sequence of len items.
void adjust_indices(int64_t& start, int64_t& end, int64_t len) {
  if (end > len) end = len;
  else if (end < 0 && (end += len) < 0) end = 0;
  if (start < 0 && (start += len) < 0) start = 0;
}

/// A list under construction, built directly in the List layout.
class ListOut {
public:
  explicit ListOut(int64_t cap = 8) {
    l_ = static_cast<List*>(gc_alloc(sizeof(List)));
    l_->cap = cap;
    l_->items = static_cast<Val*>(gc_alloc(sizeof(Val) * size_t(cap)));
  }
  void push(const Str* s) { push(str_box(s)); }
  void push(Val v) {
    if (l_->n == l_->cap) {
      auto* items = static_cast<Val*>(gc_alloc(sizeof(Val) * size_t(l_->cap * 2)));
      std::memcpy(items, l_->items, sizeof(Val) * size_t(l_->n));
      l_->items = items;
      l_->cap *= 2;
    }
    l_->items[l_->n++] = v;
  }
  Val reversed() {
    for (int64_t i = 0, j = l_->n - 1; i < j; ++i, --j)
      std::swap(l_->items[i], l_->items[j]);
    return done();
  }
  Val done() { return box_ptr(Tag::List, l_); }

private:
  List* l_;
};

// ---- whitespace and line breaks ---------------------------------------------------------------

/// Bytes of the whitespace character at p (p before the NUL), 0 if it is not whitespace.
template <bool Ascii> int space_at(const char* p) {
  auto b = static_cast<unsigned char>(*p);
  if (b < 0x80) return k_ascii_space[b];
  if (Ascii || b < 0xC0) return 0;
  const char* q = p;
  return is_unicode_space(utf8_next(q)) ? int(q - p) : 0;
}

/// Bytes of the whitespace character ending at p (p > begin), 0 if it is not whitespace.
template <bool Ascii> int space_before(const char* begin, const char* p) {
  auto b = static_cast<unsigned char>(p[-1]);
  if (b < 0x80) return k_ascii_space[b];
  if (Ascii) return 0;
  const char* q = p;
  return is_unicode_space(utf8_prev(begin, q)) ? int(p - q) : 0;
}

template <bool Ascii> Val split_ws(const Str* s, int64_t maxsplit) {
  const char *p = s->data, *end = p + s->len;
  ListOut out;
  for (int n; maxsplit-- > 0;) {
    while (p < end && (n = space_at<Ascii>(p))) p += n;
    if (p == end) break;
    const char* w = p++;
    while (p < end && !space_at<Ascii>(p)) ++p;
    out.push(str_sub(s, w - s->data, p - s->data));
  }
  for (int n; p < end && (n = space_at<Ascii>(p));) p += n;
  if (p < end) out.push(str_sub(s, p - s->data, s->len));
  return out.done();
}

template <bool Ascii> Val rsplit_ws(const Str* s, int64_t maxsplit) {
  const char *begin = s->data, *p = begin + s->len;
  ListOut out;
  for (int n; maxsplit-- > 0;) {
    while (p > begin && (n = space_before<Ascii>(begin, p))) p -= n;
    if (p == begin) break;
    const char* w = p--;
    while (p > begin && !space_before<Ascii>(begin, p)) --p;
    out.push(str_sub(s, p - begin, w - begin));
  }
  for (int n; p > begin && (n = space_before<Ascii>(begin, p));) p -= n;
  if (p > begin) out.push(str_sub(s, 0, p - begin));
  return out.reversed();
}

Val split_sep(Ctx* c, const Str* s, const Str* sep, int64_t maxsplit, bool right) {
  if (sep->len == 0) {
    raise(c, ExcKind::ValueError, "empty separator");
    return none();
  }
  ListOut out;
  std::string_view hay(s->data, size_t(s->len)), needle(sep->data, size_t(sep->len));
  if (!right) {
    size_t from = 0;
    for (size_t at; maxsplit-- > 0 && (at = hay.find(needle, from)) != hay.npos; from = at + needle.size())
      out.push(str_sub(s, int64_t(from), int64_t(at)));
    out.push(str_sub(s, int64_t(from), s->len));
    return out.done();
  }
  size_t to = hay.size();
  for (size_t at; maxsplit-- > 0 && to >= needle.size() && (at = hay.rfind(needle, to - needle.size())) != hay.npos;
       to = at)
    out.push(str_sub(s, int64_t(at + needle.size()), int64_t(to)));
  out.push(str_sub(s, 0, int64_t(to)));
  return out.reversed();
}

Val do_split(Ctx* c, Val self, const Args& a, bool right) {
  static const Sig split{"split", Conv::Keywords, 0, 2, {"sep", "maxsplit"}};
  static const Sig rsplit{"rsplit", Conv::Keywords, 0, 2, {"sep", "maxsplit"}};
  Val v[2];
  int64_t maxsplit = -1;
  if (!unpack(c, right ? rsplit : split, a, v) || (v[1].tag != Tag::Dummy && !to_size(c, v[1], &maxsplit)))
    return none();
  if (maxsplit < 0) maxsplit = INT64_MAX;
  const Str* s = self_of(self);
  if (given(v[0])) {
    if (v[0].tag != Tag::Str) {
      raise(c, ExcKind::TypeError, strf("must be str or None, not %s", type_name(v[0])));
      return none();
    }
    return split_sep(c, s, as<Str>(v[0]), maxsplit, right);
  }
  if (right) return is_ascii(s) ? rsplit_ws<true>(s, maxsplit) : rsplit_ws<false>(s, maxsplit);
  return is_ascii(s) ? split_ws<true>(s, maxsplit) : split_ws<false>(s, maxsplit);
}

Val m_split(Ctx* c, Val self, const Args& a) { return do_split(c, self, a, false); }
Val m_rsplit(Ctx* c, Val self, const Args& a) { return do_split(c, self, a, true); }

Val m_splitlines(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"splitlines", Conv::Keywords, 0, 1, {"keepends"}};
  Val v[1];
  int64_t keep = 0;
  if (!unpack(c, sig, a, v) || (v[0].tag != Tag::Dummy && !to_size(c, v[0], &keep, true))) return none();
  const Str* s = self_of(self);
  const char *begin = s->data, *end = begin + s->len, *p = begin;
  ListOut out;
  while (p < end) {
    const char* line = p;
    const char* eol = end;
    while (p < end) {
      const char* q = p;
      uint32_t cp = static_cast<unsigned char>(*p) < 0x80 ? uint32_t(*q++) : utf8_next(q);
      if (is_linebreak(cp)) {
        eol = p;
        p = cp == '\r' && *q == '\n' && q < end ? q + 1 : q;
        break;
      }
      p = q;
    }
    out.push(str_sub(s, line - begin, (keep && eol != end ? p : eol) - begin));
  }
  return out.done();
}

// ---- join, strip, find family -------------------------------------------------------------------

Val m_join(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"join", Conv::One, 1, 1, {}};
  Val arg;
  if (!unpack(c, sig, a, &arg)) return none();
  const Val* items;
  int64_t n;
  if (arg.tag == Tag::List) {
    items = as<List>(arg)->items;
    n = as<List>(arg)->n;
  } else if (arg.tag == Tag::Tuple) {
    items = as<Tuple>(arg)->items;
    n = as<Tuple>(arg)->n;
  } else {
    Iter* it = iter_of(c, arg);
    if (c->exc) {
      if (c->exc->kind == ExcKind::TypeError) {
        c->exc = nullptr;
        raise(c, ExcKind::TypeError, "can only join an iterable");
      }
      return none();
    }
    ListOut out;
    for (Val v; iter_next(c, it, &v);)
      out.push(v);
    if (c->exc) return none();
    const List* collected = as<List>(out.done());
    items = collected->items;
    n = collected->n;
  }
  const Str* sep = self_of(self);
  int64_t len = sep->len * (n ? n - 1 : 0), ncp = sep->ncp * (n ? n - 1 : 0);
  for (int64_t i = 0; i < n; ++i) {
    if (items[i].tag != Tag::Str) {
      raise(c, ExcKind::TypeError,
            strf("sequence item %lld: expected str instance, %s found", (long long)i, type_name(items[i])));
      return none();
    }
    len += as<Str>(items[i])->len;
    ncp += as<Str>(items[i])->ncp;
  }
  if (n == 1) return items[0];
  if (too_big(c, len)) return none();
  Str* r = str_alloc(len, ncp);
  char* o = r->data;
  for (int64_t i = 0; i < n; ++i) {
    if (i) {
      std::memcpy(o, sep->data, size_t(sep->len));
      o += sep->len;
    }
    const Str* p = as<Str>(items[i]);
    std::memcpy(o, p->data, size_t(p->len));
    o += p->len;
  }
  return str_box(r);
}

enum Side { Left = 1, Right = 2, Both = 3 };

/// The characters strip() removes: whitespace, or those of a given string.
class CharSet {
public:
  explicit CharSet(const Str* chars) : chars_(chars) {
    if (!chars) return;
    for (const char* p = chars->data; p < chars->data + chars->len;) {
      uint32_t cp = utf8_next(p);
      if (cp < 0x80) ascii_[cp] = true;
      else wide_.push_back(cp);
    }
  }
  bool has(uint32_t cp) const {
    if (!chars_) return is_space(cp);
    if (cp < 0x80) return ascii_[cp];
    for (uint32_t w : wide_)
      if (w == cp) return true;
    return false;
  }

private:
  const Str* chars_;
  bool ascii_[128] = {};
  std::vector<uint32_t> wide_;
};

Val do_strip(Ctx* c, Val self, const Args& a, Side side) {
  static const Sig sigs[] = {{"lstrip", Conv::Posonly, 0, 1, {}},
                             {"rstrip", Conv::Posonly, 0, 1, {}},
                             {"strip", Conv::Posonly, 0, 1, {}}};
  const Sig& sig = sigs[side - 1];
  Val v;
  if (!unpack(c, sig, a, &v)) return none();
  if (given(v) && v.tag != Tag::Str) {
    raise(c, ExcKind::TypeError, strf("%s arg must be None or str", sig.name));
    return none();
  }
  const Str* s = self_of(self);
  const Str* chars = given(v) ? as<Str>(v) : nullptr;
  const char *begin = s->data, *b = begin, *e = begin + s->len;
  if (chars && is_ascii(chars) && is_ascii(s)) {
    // ASCII text and characters (the common case, e.g. stripping punctuation): a byte table
    bool table[128] = {};
    for (int64_t i = 0; i < chars->len; ++i)
      table[static_cast<unsigned char>(chars->data[i])] = true;
    while (side & Left && b < e && table[static_cast<unsigned char>(*b)])
      ++b;
    while (side & Right && e > b && table[static_cast<unsigned char>(e[-1])])
      --e;
  } else {
    CharSet set(chars);
    for (const char* q = b; side & Left && b < e && set.has(utf8_next(q));)
      b = q;
    for (const char* q = e; side & Right && e > b && set.has(utf8_prev(b, q));)
      e = q;
  }
  if (b == begin && e == begin + s->len)
    return self; // nothing stripped: the same string, as CPython returns it
  return str_box(str_sub(s, b - begin, e - begin));
}

Val m_strip(Ctx* c, Val self, const Args& a) { return do_strip(c, self, a, Both); }
Val m_lstrip(Ctx* c, Val self, const Args& a) { return do_strip(c, self, a, Left); }
Val m_rstrip(Ctx* c, Val self, const Args& a) { return do_strip(c, self, a, Right); }

/// sub's code point index in s[start:end] (searching from the right when `right`), or -1.
int64_t find_in(const Str* s, const Str* sub, int64_t start, int64_t end, bool right) {
  adjust_indices(start, end, s->ncp);
  if (end - start < sub->ncp) return -1;
  if (sub->len == 0) return right ? end : start;
  int64_t b = cp_offset(s, start), e = cp_offset(s, end);
  std::string_view hay(s->data + b, size_t(e - b)), needle(sub->data, size_t(sub->len));
  size_t at = right ? hay.rfind(needle) : hay.find(needle);
  if (at == hay.npos) return -1;
  return start + (is_ascii(s) ? int64_t(at) : utf8_count(hay.data(), int64_t(at)));
}

/// Parses (sub, start=None, end=None) of find, index, count, startswith, endswith.
bool find_args(Ctx* c, const Sig& sig, const Args& a, Val* sub, int64_t* start, int64_t* end) {
  Val v[3];
  *start = 0;
  *end = INT64_MAX;
  if (!unpack(c, sig, a, v)) return false;
  *sub = v[0];
  return to_slice_index(c, v[1], start) && to_slice_index(c, v[2], end);
}

Val do_find(Ctx* c, Val self, const Args& a, const Sig& sig, bool right, bool must) {
  Val sub;
  int64_t start, end;
  if (!find_args(c, sig, a, &sub, &start, &end) || !want_str(c, sub)) return none();
  int64_t r = find_in(self_of(self), as<Str>(sub), start, end, right);
  if (r < 0 && must) {
    raise(c, ExcKind::ValueError, "substring not found");
    return none();
  }
  return box_int(r);
}

constexpr Sig k_find{"find", Conv::Varargs, 1, 3, {}};
constexpr Sig k_rfind{"rfind", Conv::Varargs, 1, 3, {}};
constexpr Sig k_index{"index", Conv::Varargs, 1, 3, {}};
constexpr Sig k_rindex{"rindex", Conv::Varargs, 1, 3, {}};
Val m_find(Ctx* c, Val self, const Args& a) { return do_find(c, self, a, k_find, false, false); }
Val m_rfind(Ctx* c, Val self, const Args& a) { return do_find(c, self, a, k_rfind, true, false); }
Val m_index(Ctx* c, Val self, const Args& a) { return do_find(c, self, a, k_index, false, true); }
Val m_rindex(Ctx* c, Val self, const Args& a) { return do_find(c, self, a, k_rindex, true, true); }

Val m_count(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"count", Conv::Varargs, 1, 3, {}};
  Val sub;
  int64_t start, end;
  if (!find_args(c, sig, a, &sub, &start, &end) || !want_str(c, sub)) return none();
  const Str *s = self_of(self), *n = as<Str>(sub);
  adjust_indices(start, end, s->ncp);
  if (end - start < n->ncp) return box_int(0);
  if (n->len == 0) return box_int(end - start + 1);
  int64_t b = cp_offset(s, start), e = cp_offset(s, end);
  int64_t count = 0;
  for (const char* p = s->data + b; (p = static_cast<const char*>(
                                         memmem(p, size_t(s->data + e - p), n->data, size_t(n->len))));
       p += n->len)
    ++count;
  return box_int(count);
}

/// Whether s[start:end] starts (ends, when `at_end`) with sub, as CPython's tailmatch.
bool tailmatch(const Str* s, const Str* sub, int64_t start, int64_t end, bool at_end) {
  adjust_indices(start, end, s->ncp);
  if (end - sub->ncp < start) return false;
  if (sub->len == 0) return true;
  int64_t pos = at_end ? cp_offset(s, end) - sub->len : cp_offset(s, start);
  if (pos < (at_end ? cp_offset(s, start) : 0) || pos + sub->len > s->len) return false;
  return std::memcmp(s->data + pos, sub->data, size_t(sub->len)) == 0;
}

Val do_affix(Ctx* c, Val self, const Args& a, bool at_end) {
  static const Sig starts{"startswith", Conv::Varargs, 1, 3, {}};
  static const Sig ends{"endswith", Conv::Varargs, 1, 3, {}};
  const Sig& sig = at_end ? ends : starts;
  Val sub;
  int64_t start, end;
  if (!find_args(c, sig, a, &sub, &start, &end)) return none();
  const Str* s = self_of(self);
  if (sub.tag == Tag::Tuple) {
    const Tuple* t = as<Tuple>(sub);
    for (int64_t i = 0; i < t->n; ++i) {
      if (t->items[i].tag != Tag::Str) {
        raise(c, ExcKind::TypeError,
              strf("tuple for %s must only contain str, not %s", sig.name, type_name(t->items[i])));
        return none();
      }
      if (tailmatch(s, as<Str>(t->items[i]), start, end, at_end)) return box_bool(true);
    }
    return box_bool(false);
  }
  if (sub.tag != Tag::Str) {
    raise(c, ExcKind::TypeError,
          strf("%s first arg must be str or a tuple of str, not %s", sig.name, type_name(sub)));
    return none();
  }
  return box_bool(tailmatch(s, as<Str>(sub), start, end, at_end));
}

Val m_startswith(Ctx* c, Val self, const Args& a) { return do_affix(c, self, a, false); }
Val m_endswith(Ctx* c, Val self, const Args& a) { return do_affix(c, self, a, true); }

// ---- replace, partition, affixes ----------------------------------------------------------------

Val m_replace(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"replace", Conv::Posonly, 2, 3, {}};
  Val v[3];
  int64_t count = -1;
  if (!unpack(c, sig, a, v) || !want_str(c, v[0], "replace() argument 1 ") ||
      !want_str(c, v[1], "replace() argument 2 ") || (v[2].tag != Tag::Dummy && !to_size(c, v[2], &count)))
    return none();
  const Str *s = self_of(self), *old = as<Str>(v[0]), *rep = as<Str>(v[1]);
  if (count < 0) count = INT64_MAX;
  const char *begin = s->data, *end = begin + s->len;
  // Matches: each code point boundary for an empty `old`, else non-overlapping occurrences.
  auto next = [&](const char* p) -> const char* {
    if (old->len == 0) return p <= end ? p : nullptr;
    return static_cast<const char*>(memmem(p, size_t(end - p), old->data, size_t(old->len)));
  };
  auto step = [&](const char* at) {
    if (old->len) return at + old->len;
    while (++at < end && is_cont(*at)) {}
    return at;
  };
  int64_t n = 0;
  for (const char* p = begin; n < count && (p = next(p)); p = step(p))
    ++n;
  if (n == 0) return self;
  int64_t len = s->len + n * (rep->len - old->len);
  if (too_big(c, len)) return none();
  Str* r = str_alloc(len, s->ncp + n * (rep->ncp - old->ncp));
  char* o = r->data;
  const char* p = begin;
  for (int64_t k = 0; k < n; ++k) {
    const char* at = next(p);
    std::memcpy(o, p, size_t(at - p));
    o += at - p;
    std::memcpy(o, rep->data, size_t(rep->len));
    o += rep->len;
    p = at + old->len;
    if (!old->len && p < end) { // copy the code point the empty match sits before
      const char* q = step(p);
      std::memcpy(o, p, size_t(q - p));
      o += q - p;
      p = q;
    }
  }
  std::memcpy(o, p, size_t(end - p));
  return str_box(r);
}

Val do_partition(Ctx* c, Val self, const Args& a, bool right) {
  static const Sig part{"partition", Conv::One, 1, 1, {}};
  static const Sig rpart{"rpartition", Conv::One, 1, 1, {}};
  Val v;
  if (!unpack(c, right ? rpart : part, a, &v) || !want_str(c, v)) return none();
  const Str *s = self_of(self), *sep = as<Str>(v);
  if (sep->len == 0) {
    raise(c, ExcKind::ValueError, "empty separator");
    return none();
  }
  std::string_view hay(s->data, size_t(s->len)), needle(sep->data, size_t(sep->len));
  size_t at = right ? hay.rfind(needle) : hay.find(needle);
  Val empty = str_box(str_alloc(0, 0));
  if (at == hay.npos) return right ? tuple_of({empty, empty, self}) : tuple_of({self, empty, empty});
  return tuple_of({str_box(str_sub(s, 0, int64_t(at))), v, str_box(str_sub(s, int64_t(at + needle.size()), s->len))});
}

Val m_partition(Ctx* c, Val self, const Args& a) { return do_partition(c, self, a, false); }
Val m_rpartition(Ctx* c, Val self, const Args& a) { return do_partition(c, self, a, true); }

Val do_remove_affix(Ctx* c, Val self, const Args& a, bool suffix) {
  static const Sig pre{"removeprefix", Conv::One, 1, 1, {}};
  static const Sig suf{"removesuffix", Conv::One, 1, 1, {}};
  Val v;
  if (!unpack(c, suffix ? suf : pre, a, &v) ||
      !want_str(c, v, suffix ? "removesuffix() argument " : "removeprefix() argument "))
    return none();
  const Str *s = self_of(self), *x = as<Str>(v);
  if (x->len == 0 || x->len > s->len) return self;
  int64_t at = suffix ? s->len - x->len : 0;
  if (std::memcmp(s->data + at, x->data, size_t(x->len)) != 0) return self;
  return suffix ? str_box(str_sub(s, 0, at)) : str_box(str_sub(s, x->len, s->len));
}

Val m_removeprefix(Ctx* c, Val self, const Args& a) { return do_remove_affix(c, self, a, false); }
Val m_removesuffix(Ctx* c, Val self, const Args& a) { return do_remove_affix(c, self, a, true); }

// ---- padding --------------------------------------------------------------------------------------

/// s with `left` and `right` fill characters (UTF-8 `fill`) around it.
Str* pad(Ctx* c, const Str* s, int64_t left, int64_t right, std::string_view fill) {
  int64_t len = s->len + (left + right) * int64_t(fill.size());
  if (too_big(c, len)) return nullptr;
  Str* r = str_alloc(len, s->ncp + left + right);
  char* o = r->data;
  auto put_fill = [&](int64_t n) {
    if (fill.size() == 1) std::memset(o, fill[0], size_t(n)), o += n;
    else
      for (int64_t i = 0; i < n; ++i, o += fill.size()) std::memcpy(o, fill.data(), fill.size());
  };
  put_fill(left);
  std::memcpy(o, s->data, size_t(s->len));
  o += s->len;
  put_fill(right);
  return r;
}

enum class Align { Left, Right, Center };

Val do_justify(Ctx* c, Val self, const Args& a, Align how) {
  static const Sig sigs[] = {{"ljust", Conv::Posonly, 1, 2, {}},
                             {"rjust", Conv::Posonly, 1, 2, {}},
                             {"center", Conv::Posonly, 1, 2, {}}};
  Val v[2];
  int64_t width;
  if (!unpack(c, sigs[int(how)], a, v) || !to_size(c, v[0], &width)) return none();
  std::string_view fill = " ";
  if (v[1].tag != Tag::Dummy) {
    if (v[1].tag != Tag::Str) {
      raise(c, ExcKind::TypeError,
            strf("The fill character must be a unicode character, not %s", type_name(v[1])));
      return none();
    }
    if (as<Str>(v[1])->ncp != 1) {
      raise(c, ExcKind::TypeError, "The fill character must be exactly one character long");
      return none();
    }
    fill = {as<Str>(v[1])->data, size_t(as<Str>(v[1])->len)};
  }
  const Str* s = self_of(self);
  if (s->ncp >= width) return self;
  int64_t marg = width - s->ncp;
  int64_t left = how == Align::Left ? 0 : how == Align::Right ? marg : marg / 2 + (marg & width & 1);
  return box(pad(c, s, left, marg - left, fill));
}

Val m_ljust(Ctx* c, Val self, const Args& a) { return do_justify(c, self, a, Align::Left); }
Val m_rjust(Ctx* c, Val self, const Args& a) { return do_justify(c, self, a, Align::Right); }
Val m_center(Ctx* c, Val self, const Args& a) { return do_justify(c, self, a, Align::Center); }

Val m_zfill(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"zfill", Conv::One, 1, 1, {}};
  Val v;
  int64_t width;
  if (!unpack(c, sig, a, &v) || !to_size(c, v, &width)) return none();
  const Str* s = self_of(self);
  if (s->ncp >= width) return self;
  int64_t fill = width - s->ncp;
  Str* r = pad(c, s, fill, 0, "0");
  if (r && (r->data[fill] == '+' || r->data[fill] == '-')) {
    r->data[0] = r->data[fill];
    r->data[fill] = '0';
  }
  return box(r);
}

Val m_expandtabs(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"expandtabs", Conv::Keywords, 0, 1, {"tabsize"}};
  Val v;
  int64_t tab = 8;
  if (!unpack(c, sig, a, &v) || (v.tag != Tag::Dummy && !to_size(c, v, &tab, true))) return none();
  const Str* s = self_of(self);
  if (!std::memchr(s->data, '\t', size_t(s->len))) return self;
  std::string out;
  int64_t col = 0;
  for (const char* p = s->data; p < s->data + s->len; ++p) {
    if (*p == '\t') {
      if (tab > 0) {
        int64_t n = tab - col % tab;
        if (too_big(c, int64_t(out.size()) + n)) return none();
        out.append(size_t(n), ' ');
        col += n;
      }
      continue;
    }
    out += *p;
    if (!is_cont(*p)) ++col;
    if (*p == '\n' || *p == '\r') col = 0;
  }
  return str_box(str_new(out));
}

// ---- case mapping and predicates ------------------------------------------------------------------

/// Whether the 'Σ' at p ends a word (Unicode's Final_Sigma: a cased letter before it and none
/// after it, skipping case-ignorable characters both ways).
bool final_sigma(const Str* s, const char* p) {
  const char *begin = s->data, *end = begin + s->len, *q = p;
  bool cased_before = false;
  while (q > begin) {
    uint32_t x = utf8_prev(begin, q);
    if (!is_case_ignorable(x)) {
      cased_before = is_cased(x);
      break;
    }
  }
  if (!cased_before) return false;
  utf8_next(q = p);
  while (q < end) {
    uint32_t x = utf8_next(q);
    if (!is_case_ignorable(x)) return !is_cased(x);
  }
  return true;
}

/// Lower case of the code point cp at p in s ('Σ' by the final-sigma rule).
void lower_at(std::string& out, const Str* s, const char* p, uint32_t cp) {
  if (cp == 0x3A3) out += final_sigma(s, p) ? "\u03c2" : "\u03c3";
  else append_lower(out, cp);
}

enum class Case { Lower, Upper, Capitalize, Title, Swap, Fold };

Val map_case(Ctx* c, Val self, const Args& a, Case how) {
  static const Sig sigs[] = {{"lower", Conv::NoArgs, 0, 0, {}},      {"upper", Conv::NoArgs, 0, 0, {}},
                             {"capitalize", Conv::NoArgs, 0, 0, {}}, {"title", Conv::NoArgs, 0, 0, {}},
                             {"swapcase", Conv::NoArgs, 0, 0, {}},   {"casefold", Conv::NoArgs, 0, 0, {}}};
  if (!unpack(c, sigs[int(how)], a, nullptr)) return none();
  const Str* s = self_of(self);
  // ASCII letters map by flipping bit 5: lower/casefold flip upper case, upper flips lower case.
  auto map_ascii = [how](const char* src, char* dst, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      char ch = src[i];
      bool up = ch >= 'A' && ch <= 'Z', low = ch >= 'a' && ch <= 'z';
      dst[i] = (how == Case::Upper ? low : how == Case::Swap ? up || low : up) ? char(ch ^ 0x20) : ch;
    }
  };
  bool by_run = how != Case::Capitalize && how != Case::Title; // no context beyond 'Σ'
  if (is_ascii(s) && by_run) {
    Str* r = str_alloc(s->len, s->ncp);
    map_ascii(s->data, r->data, s->len);
    return str_box(r);
  }
  std::string out;
  out.reserve(size_t(s->len));
  bool prev_cased = false; // title: whether the previous code point was cased
  for (const char *p = s->data, *end = p + s->len; p < end;) {
    if (by_run && static_cast<unsigned char>(*p) < 0x80) {
      const char* q = p;
      while (q < end && static_cast<unsigned char>(*q) < 0x80) ++q;
      size_t at = out.size();
      out.resize(at + size_t(q - p));
      map_ascii(p, out.data() + at, q - p);
      p = q;
      continue;
    }
    const char* at = p;
    uint32_t cp = utf8_next(p);
    switch (how) {
    case Case::Lower: lower_at(out, s, at, cp); break;
    case Case::Upper: append_upper(out, cp); break;
    case Case::Fold: append_casefold(out, cp); break;
    case Case::Capitalize: at == s->data ? append_title(out, cp) : lower_at(out, s, at, cp); break;
    case Case::Title:
      prev_cased ? lower_at(out, s, at, cp) : append_title(out, cp);
      prev_cased = is_cased(cp);
      break;
    case Case::Swap:
      if (is_upper(cp)) lower_at(out, s, at, cp);
      else if (is_lower(cp)) append_upper(out, cp);
      else utf8_append(out, cp);
      break;
    }
  }
  return str_box(str_new(out));
}

Val m_lower(Ctx* c, Val self, const Args& a) { return map_case(c, self, a, Case::Lower); }
Val m_upper(Ctx* c, Val self, const Args& a) { return map_case(c, self, a, Case::Upper); }
Val m_capitalize(Ctx* c, Val self, const Args& a) { return map_case(c, self, a, Case::Capitalize); }
Val m_title(Ctx* c, Val self, const Args& a) { return map_case(c, self, a, Case::Title); }
Val m_swapcase(Ctx* c, Val self, const Args& a) { return map_case(c, self, a, Case::Swap); }
Val m_casefold(Ctx* c, Val self, const Args& a) { return map_case(c, self, a, Case::Fold); }

/// A predicate true when s is non-empty and every code point satisfies `pred`.
template <bool (*Pred)(uint32_t)> Val all_of(Ctx* c, Val self, const Args& a, const char* name) {
  Sig sig{name, Conv::NoArgs, 0, 0, {}};
  if (!unpack(c, sig, a, nullptr)) return none();
  const Str* s = self_of(self);
  for (const char *p = s->data, *end = p + s->len; p < end;)
    if (!Pred(utf8_next(p))) return box_bool(false);
  return box_bool(s->len > 0);
}

bool alnum(uint32_t cp) { return is_alpha(cp) || is_numeric(cp); }
bool printable(uint32_t cp) { return is_printable(cp); }
Val m_isalpha(Ctx* c, Val self, const Args& a) { return all_of<is_alpha>(c, self, a, "isalpha"); }
Val m_isalnum(Ctx* c, Val self, const Args& a) { return all_of<alnum>(c, self, a, "isalnum"); }
Val m_isdecimal(Ctx* c, Val self, const Args& a) { return all_of<is_decimal>(c, self, a, "isdecimal"); }
Val m_isdigit(Ctx* c, Val self, const Args& a) { return all_of<is_digit>(c, self, a, "isdigit"); }
Val m_isnumeric(Ctx* c, Val self, const Args& a) { return all_of<is_numeric>(c, self, a, "isnumeric"); }
Val m_isspace(Ctx* c, Val self, const Args& a) { return all_of<is_space>(c, self, a, "isspace"); }

Val m_isprintable(Ctx* c, Val self, const Args& a) {
  Val r = all_of<printable>(c, self, a, "isprintable");
  return c->exc ? r : box_bool(r.bits || self_of(self)->len == 0);
}

Val m_isascii(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"isascii", Conv::NoArgs, 0, 0, {}};
  return unpack(c, sig, a, nullptr) ? box_bool(is_ascii(self_of(self))) : none();
}

/// isupper / islower / istitle, as CPython's loops over cased characters.
Val cased_check(Ctx* c, Val self, const Args& a, const char* name, int kind) {
  Sig sig{name, Conv::NoArgs, 0, 0, {}};
  if (!unpack(c, sig, a, nullptr)) return none();
  const Str* s = self_of(self);
  bool cased = false, prev_cased = false;
  for (const char *p = s->data, *end = p + s->len; p < end;) {
    uint32_t cp = utf8_next(p);
    bool up = is_upper(cp), low = is_lower(cp), title = is_title(cp);
    if (kind == 0) { // isupper
      if (low || title) return box_bool(false);
      cased |= up;
    } else if (kind == 1) { // islower
      if (up || title) return box_bool(false);
      cased |= low;
    } else if (up || title) {
      if (prev_cased) return box_bool(false);
      prev_cased = cased = true;
    } else if (low) {
      if (!prev_cased) return box_bool(false);
      prev_cased = cased = true;
    } else {
      prev_cased = false;
    }
  }
  return box_bool(cased);
}

Val m_isupper(Ctx* c, Val self, const Args& a) { return cased_check(c, self, a, "isupper", 0); }
Val m_islower(Ctx* c, Val self, const Args& a) { return cased_check(c, self, a, "islower", 1); }
Val m_istitle(Ctx* c, Val self, const Args& a) { return cased_check(c, self, a, "istitle", 2); }

Val m_isidentifier(Ctx* c, Val self, const Args& a) {
  static const Sig sig{"isidentifier", Conv::NoArgs, 0, 0, {}};
  if (!unpack(c, sig, a, nullptr)) return none();
  const Str* s = self_of(self);
  const char *p = s->data, *end = p + s->len;
  if (p == end || !is_id_start(utf8_next(p))) return box_bool(false);
  while (p < end)
    if (!is_id_continue(utf8_next(p))) return box_bool(false);
  return box_bool(true);
}

Val m_format(Ctx* c, Val self, const Args& a) { return box(str_format(c, self_of(self), a)); }

struct Method {
  const char* name;
  MethodFn fn;
};

/// Sorted by name for the binary search in str_method.
constexpr Method k_methods[] = {
    {"capitalize", m_capitalize}, {"casefold", m_casefold},         {"center", m_center},
    {"count", m_count},           {"endswith", m_endswith},         {"expandtabs", m_expandtabs},
    {"find", m_find},             {"format", m_format},             {"index", m_index},
    {"isalnum", m_isalnum},       {"isalpha", m_isalpha},           {"isascii", m_isascii},
    {"isdecimal", m_isdecimal},   {"isdigit", m_isdigit},           {"isidentifier", m_isidentifier},
    {"islower", m_islower},       {"isnumeric", m_isnumeric},       {"isprintable", m_isprintable},
    {"isspace", m_isspace},       {"istitle", m_istitle},           {"isupper", m_isupper},
    {"join", m_join},             {"ljust", m_ljust},               {"lower", m_lower},
    {"lstrip", m_lstrip},         {"partition", m_partition},       {"removeprefix", m_removeprefix},
    {"removesuffix", m_removesuffix}, {"replace", m_replace},       {"rfind", m_rfind},
    {"rindex", m_rindex},         {"rjust", m_rjust},               {"rpartition", m_rpartition},
    {"rsplit", m_rsplit},         {"rstrip", m_rstrip},             {"split", m_split},
    {"splitlines", m_splitlines}, {"startswith", m_startswith},     {"strip", m_strip},
    {"swapcase", m_swapcase},     {"title", m_title},               {"upper", m_upper},
    {"zfill", m_zfill},
};

} // namespace

MethodFn str_method(const char* name) {
  auto it = std::lower_bound(std::begin(k_methods), std::end(k_methods), name,
                             [](const Method& m, const char* n) { return std::strcmp(m.name, n) < 0; });
  return it != std::end(k_methods) && std::strcmp(it->name, name) == 0 ? it->fn : nullptr;
}

} // namespace shoal::rt
