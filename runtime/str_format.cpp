/// String formatting with CPython 3.11's results and messages: the format-spec mini-language
/// (format(), f-strings, str.format) and printf-style `%` formatting. The number layout
/// (sign, prefix, zero padding, grouping, alignment) follows CPython's calc_number_widths and
/// fill_number; float digits come from the C library's correctly rounded printf conversions and
/// from float_repr for the shortest form.

#include "runtime/format.hpp"
#include "runtime/methods.hpp"
#include "runtime/numeric_detail.hpp"
#include "runtime/str_detail.hpp"

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string_view>

namespace shoal::rt {
using namespace detail;

namespace {

bool is_int(Val v) { return v.tag == Tag::Int || v.tag == Tag::Big || v.tag == Tag::Bool; }

/// ascii(v): repr with every non-ASCII code point escaped.
std::string ascii_of(Val v) {
  std::string r = repr_of(v), out;
  for (const char *p = r.data(), *end = p + r.size(); p < end;) {
    uint32_t cp = utf8_next(p);
    if (cp < 0x80) out += char(cp);
    else out += strf(cp <= 0xff ? "\\x%02x" : cp <= 0xffff ? "\\u%04x" : "\\U%08x", unsigned(cp));
  }
  return out;
}

/// A format character in messages: itself when printable ASCII, else \x.. (CPython's wording).
std::string code_char(uint32_t t) { return t > 32 && t < 128 ? std::string(1, char(t)) : strf("\\x%x", unsigned(t)); }

// ---- the format-spec mini-language ----------------------------------------------------------------

struct Spec {
  std::string fill = " "; ///< UTF-8 of the fill code point
  char align = 0;         ///< '<', '>', '^', '=' or 0 (the type's default)
  char sign = 0;
  bool no_neg_0 = false, alt = false;
  char group = 0; ///< ',' or '_'
  int group_every = 3;
  int64_t width = -1, prec = -1;
  uint32_t type = 0;
};

/// Reads a decimal integer at p; false with ValueError on overflow.
bool read_int(Ctx* c, const char*& p, const char* end, int64_t* out) {
  int64_t v = 0;
  const char* start = p;
  for (; p < end && *p >= '0' && *p <= '9'; ++p) {
    if (v > (INT64_MAX - (*p - '0')) / 10) {
      raise(c, ExcKind::ValueError, "Too many decimal digits in format string");
      return false;
    }
    v = v * 10 + (*p - '0');
  }
  *out = p == start ? -1 : v;
  return true;
}

/// CPython's parse_internal_render_format_spec.
bool parse_spec(Ctx* c, const Str* spec, uint32_t default_type, char default_align, Val v, Spec* s) {
  const char *p = spec->data, *end = p + spec->len;
  auto is_align = [](char ch) { return ch == '<' || ch == '>' || ch == '=' || ch == '^'; };
  bool fill_given = false, align_given = false;
  const char* second = p;
  if (p < end) utf8_next(second);
  if (second < end && is_align(*second)) {
    s->fill.assign(p, second);
    s->align = *second;
    p = second + 1;
    fill_given = align_given = true;
  } else if (p < end && is_align(*p)) {
    s->align = *p++;
    align_given = true;
  }
  if (p < end && (*p == '+' || *p == '-' || *p == ' ')) s->sign = *p++;
  if (p < end && *p == 'z') {
    s->no_neg_0 = true;
    ++p;
  }
  if (p < end && *p == '#') {
    s->alt = true;
    ++p;
  }
  if (!fill_given && p < end && *p == '0') {
    s->fill = "0";
    if (!align_given && default_align == '>') s->align = '=';
    ++p;
  }
  if (!read_int(c, p, end, &s->width)) return false;
  if (p < end && *p == ',') s->group = *p++;
  if (p < end && *p == '_') {
    if (s->group) {
      raise(c, ExcKind::ValueError, "Cannot specify both ',' and '_'.");
      return false;
    }
    s->group = *p++;
  }
  if (p < end && *p == ',' && s->group == '_') {
    raise(c, ExcKind::ValueError, "Cannot specify both ',' and '_'.");
    return false;
  }
  if (p < end && *p == '.') {
    if (!read_int(c, ++p, end, &s->prec)) return false;
    if (s->prec < 0) {
      raise(c, ExcKind::ValueError, "Format specifier missing precision");
      return false;
    }
  }
  if (p < end) {
    const char* q = p;
    s->type = utf8_next(q);
    if (q < end) {
      raise(c, ExcKind::ValueError, strf("Invalid format specifier '%s' for object of type '%s'", spec->data, type_name(v)));
      return false;
    }
  }
  if (!s->type) s->type = default_type;
  if (!s->align) s->align = default_align;
  if (s->group) {
    switch (s->type) {
    case 'd': case 'e': case 'f': case 'g': case 'E': case 'G': case '%': case 'F': case 0: return true;
    case 'b': case 'o': case 'x': case 'X':
      if (s->group == '_') {
        s->group_every = 4;
        return true;
      }
      [[fallthrough]];
    default:
      raise(c, ExcKind::ValueError, strf("Cannot specify '%c' with '%s'.", s->group, code_char(s->type).c_str()));
      return false;
    }
  }
  return true;
}

void unknown_code(Ctx* c, uint32_t type, Val v) {
  raise(c, ExcKind::ValueError,
        strf("Unknown format code '%s' for object of type '%s'", code_char(type).c_str(), type_name(v)));
}

void append_fill(std::string& out, const std::string& fill, int64_t n) {
  if (fill.size() == 1) out.append(size_t(n > 0 ? n : 0), fill[0]);
  else
    for (int64_t i = 0; i < n; ++i) out += fill;
}

/// Digits with thousands separators, zero-padded to min_width when the spec asks for '0' fill
/// with '=' alignment (CPython's _PyUnicode_InsertThousandsGrouping).
std::string group_digits(std::string_view digits, int64_t min_width, char sep, int every) {
  std::string rev; // built from the right
  int64_t remaining = int64_t(digits.size());
  if (min_width < 0) min_width = 0;
  bool use_sep = false;
  auto emit = [&](int64_t l) {
    int64_t zeros = std::max<int64_t>(0, l - remaining), chars = std::max<int64_t>(0, std::min(remaining, l));
    if (use_sep) rev += sep;
    for (int64_t i = 0; i < chars; ++i)
      rev += digits[size_t(remaining - 1 - i)];
    rev.append(size_t(zeros), '0');
    remaining -= chars;
  };
  bool done = false;
  while (sep) {
    emit(std::min<int64_t>(every, std::max<int64_t>({remaining, min_width, 1})));
    use_sep = true;
    min_width -= every;
    if (remaining <= 0 && min_width <= 0) {
      done = true;
      break;
    }
    min_width -= 1;
  }
  if (!done) emit(std::max<int64_t>({remaining, min_width, 1}));
  return {rev.rbegin(), rev.rend()};
}

/// Lays a number out: [padding] sign prefix [padding] digits rest [padding]; `negative` gives
/// the '-' sign, the spec's sign option the others.
bool layout_number(Ctx* c, const Spec& s, bool negative, std::string_view prefix, std::string_view digits,
                   std::string_view rest, std::string& out) {
  char sign = negative ? '-' : s.sign == '+' || s.sign == ' ' ? s.sign : 0;
  int64_t fixed = (sign != 0) + int64_t(prefix.size()) + utf8_count(rest.data(), int64_t(rest.size()));
  int64_t min_width = s.fill == "0" && s.align == '=' ? s.width - fixed : 0;
  if (c->memory_limit > 0 && s.width > c->memory_limit) {
    raise(c, ExcKind::MemoryError, nullptr);
    return false;
  }
  std::string grouped = digits.empty() ? "" : group_digits(digits, min_width, s.group, s.group_every);
  int64_t pad = std::max<int64_t>(0, s.width - fixed - int64_t(grouped.size()));
  int64_t left = s.align == '>' ? pad : s.align == '^' ? pad / 2 : 0;
  int64_t middle = s.align == '=' ? pad : 0;
  append_fill(out, s.fill, left);
  if (sign) out += sign;
  out += prefix;
  append_fill(out, s.fill, middle);
  out += grouped;
  out += rest;
  append_fill(out, s.fill, pad - left - middle);
  return true;
}

/// printf of a double with a '%.*<conv>' conversion (conv in e E f F), '#' when alt.
std::string c_format(double d, int prec, char conv, bool alt) {
  char fmt[8] = {'%', 0};
  char* f = fmt + 1;
  if (alt) *f++ = '#';
  *f++ = '.';
  *f++ = '*';
  *f++ = conv;
  *f = 0;
  char buf[64];
  int n = std::snprintf(buf, sizeof buf, fmt, prec, d);
  if (size_t(n) < sizeof buf) return {buf, size_t(n)};
  std::string big(size_t(n) + 1, '\0');
  std::snprintf(big.data(), big.size(), fmt, prec, d);
  big.resize(size_t(n));
  return big;
}

/// 'g' (and the type-less form with a precision, add_dot_0) from prec significant digits, as
/// CPython's format_float_short lays them out.
std::string g_format(double d, int prec, bool alt, bool add_dot_0, bool upper) {
  if (prec == 0) prec = 1;
  std::string e = c_format(std::fabs(d), prec - 1, 'e', false); // "d.ddde+XX"
  size_t epos = e.find('e');
  std::string digits = e.substr(0, 1) + (epos > 1 ? e.substr(2, epos - 2) : "");
  int decpt = std::atoi(e.c_str() + epos + 1) + 1;
  if (!alt)
    while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  int nd = int(digits.size());
  std::string out = std::signbit(d) ? "-" : "";
  if (decpt <= -4 || decpt > (add_dot_0 ? prec - 1 : prec)) {
    out += digits[0];
    if (nd > 1 || alt) out += "." + digits.substr(1);
    int x = decpt - 1;
    out += strf("%c%c%02d", upper ? 'E' : 'e', x < 0 ? '-' : '+', std::abs(x));
  } else if (decpt <= 0) {
    out += "0." + std::string(size_t(-decpt), '0') + digits;
  } else if (decpt >= nd) {
    out += digits + std::string(size_t(decpt - nd), '0');
    if (alt) out += '.';
    else if (add_dot_0) out += ".0";
  } else {
    out += digits.substr(0, size_t(decpt)) + "." + digits.substr(size_t(decpt));
  }
  return out;
}

/// CPython's PyOS_double_to_string for types r (repr), e, E, f, F, g, G.
std::string double_to_string(double d, char type, int prec, bool alt, bool add_dot_0, bool no_neg_0) {
  bool upper = type == 'E' || type == 'F' || type == 'G';
  if (std::isnan(d)) return upper ? "NAN" : "nan";
  if (std::isinf(d)) return std::string(d < 0 ? "-" : "") + (upper ? "INF" : "inf");
  std::string out;
  if (type == 'r') {
    out = float_repr(d);
    if (alt && out.find('.') == std::string::npos) {
      size_t at = out.find('e');
      out.insert(at == std::string::npos ? out.size() : at, ".");
    }
  } else if (type == 'g' || type == 'G') {
    out = g_format(d, prec, alt, add_dot_0, upper);
  } else {
    out = c_format(d, prec, type == 'F' ? 'f' : type, alt);
  }
  if (no_neg_0 && out[0] == '-') {
    size_t mant_end = out.find_first_of("eE");
    if (out.find_first_of("123456789", 1) >= mant_end) out.erase(0, 1);
  }
  return out;
}

bool format_float(Ctx* c, double d, const Spec& s, Val v, std::string& out) {
  uint32_t type = s.type;
  switch (type) {
  case 0: case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case 'n': case '%': break;
  default: unknown_code(c, type, v); return false;
  }
  if (s.prec > INT_MAX) {
    raise(c, ExcKind::ValueError, "precision too big");
    return false;
  }
  int prec = int(s.prec);
  bool add_dot_0 = false, pct = type == '%';
  if (type == 0) {
    add_dot_0 = true;
    type = prec < 0 ? 'r' : 'g';
  }
  if (type == 'n') type = 'g';
  if (pct) {
    type = 'f';
    d *= 100;
  }
  if (prec < 0) prec = 6;
  std::string text = double_to_string(d, char(type), prec, s.alt, add_dot_0, s.no_neg_0);
  if (pct) text += '%';
  bool negative = text[0] == '-';
  std::string_view body(text);
  if (negative) body.remove_prefix(1);
  size_t nd = 0;
  while (nd < body.size() && body[nd] >= '0' && body[nd] <= '9') ++nd;
  return layout_number(c, s, negative, "", body.substr(0, nd), body.substr(nd), out);
}

bool format_int(Ctx* c, Val v, const Spec& s, std::string& out) {
  int base = 10;
  switch (s.type) {
  case 'b': base = 2; break;
  case 'o': base = 8; break;
  case 'x': case 'X': base = 16; break;
  case 'd': case 'n': case 'c': break;
  case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': case '%': {
    double d = int_to_double(c, v);
    return !c->exc && format_float(c, d, s, v, out);
  }
  default: unknown_code(c, s.type, v); return false;
  }
  if (s.prec != -1) {
    raise(c, ExcKind::ValueError, "Precision not allowed in integer format specifier");
    return false;
  }
  if (s.no_neg_0) {
    raise(c, ExcKind::ValueError, "Negative zero coercion (z) not allowed in integer format specifier");
    return false;
  }
  if (s.type == 'c') {
    const char* err = s.sign ? "Sign not allowed with integer format specifier 'c'"
                    : s.alt  ? "Alternate form (#) not allowed with integer format specifier 'c'"
                             : nullptr;
    if (err) {
      raise(c, ExcKind::ValueError, err);
      return false;
    }
    if (v.tag == Tag::Big || int64_t(v.bits) < 0 || int64_t(v.bits) > 0x10FFFF) {
      raise(c, ExcKind::OverflowError, v.tag == Tag::Big ? "Python int too large to convert to C long"
                                                         : "%c arg not in range(0x110000)");
      return false;
    }
    std::string ch;
    utf8_append(ch, uint32_t(v.bits));
    return layout_number(c, s, false, "", "", ch, out);
  }
  bool negative;
  std::string digits;
  if (base == 10) {
    digits = int_to_string(c, v);
    if (c->exc) return false;
    negative = digits[0] == '-';
    if (negative) digits.erase(0, 1);
  } else if (v.tag == Tag::Big) {
    negative = mpz_sgn(as<BigInt>(v)->z) < 0;
    char* text = mpz_get_str(nullptr, base, as<BigInt>(v)->z); // collected memory (gc_init)
    digits = text + negative;
  } else {
    int64_t i = int64_t(v.bits);
    negative = i < 0;
    uint64_t mag = negative ? 0 - uint64_t(i) : uint64_t(i);
    char buf[72];
    digits.assign(buf, std::to_chars(buf, buf + sizeof buf, mag, base).ptr);
  }
  std::string prefix;
  if (s.alt && base != 10) prefix = base == 2 ? "0b" : base == 8 ? "0o" : s.type == 'X' ? "0X" : "0x";
  if (s.type == 'X')
    for (char& ch : digits) ch = char(std::toupper(static_cast<unsigned char>(ch)));
  return layout_number(c, s, negative, prefix, digits, "", out);
}

bool format_str(Ctx* c, const Str* str, const Spec& s, Val v, std::string& out) {
  if (s.type != 's') {
    unknown_code(c, s.type, v);
    return false;
  }
  const char* err = s.sign == ' ' ? "Space not allowed in string format specifier"
                  : s.sign        ? "Sign not allowed in string format specifier"
                  : s.no_neg_0    ? "Negative zero coercion (z) not allowed in string format specifier"
                  : s.alt         ? "Alternate form (#) not allowed in string format specifier"
                  : s.align == '=' ? "'=' alignment not allowed in string format specifier"
                                   : nullptr;
  if (err) {
    raise(c, ExcKind::ValueError, err);
    return false;
  }
  int64_t n = s.prec >= 0 && s.prec < str->ncp ? s.prec : str->ncp;
  int64_t pad = std::max<int64_t>(0, s.width - n);
  if (c->memory_limit > 0 && pad > c->memory_limit) {
    raise(c, ExcKind::MemoryError, nullptr);
    return false;
  }
  int64_t left = s.align == '>' ? pad : s.align == '^' ? pad / 2 : 0;
  append_fill(out, s.fill, left);
  out.append(str->data, size_t(n == str->ncp ? str->len : cp_offset(str, n)));
  append_fill(out, s.fill, pad - left);
  return true;
}

/// Appends format(v, spec); false with the exception raised.
bool format_into(Ctx* c, Val v, const Str* spec, std::string& out) {
  if (spec->len == 0) {
    if (v.tag == Tag::Str) out.append(as<Str>(v)->data, size_t(as<Str>(v)->len));
    else if (v.tag == Tag::Int || v.tag == Tag::Big) out += int_to_string(c, v);
    else out += str_of(v);
    return !c->exc;
  }
  Spec s;
  switch (v.tag) {
  case Tag::Str: return parse_spec(c, spec, 's', '<', v, &s) && format_str(c, as<Str>(v), s, v, out);
  case Tag::Int:
  case Tag::Big:
  case Tag::Bool: return parse_spec(c, spec, 'd', '>', v, &s) && format_int(c, v, s, out);
  case Tag::Float: return parse_spec(c, spec, 0, '>', v, &s) && format_float(c, unbox_float(v), s, v, out);
  default:
    raise(c, ExcKind::TypeError, strf("unsupported format string passed to %s.__format__", type_name(v)));
    return false;
  }
}

} // namespace

Str* format_value(Ctx* c, Val v, const Str* spec) {
  if (spec->len == 0 && v.tag == Tag::Str) return as<Str>(v);
  std::string out;
  return format_into(c, v, spec, out) ? str_new(out) : nullptr;
}

// ---- str.format ---------------------------------------------------------------------------------

namespace {

struct FormatCall {
  const Args& a;
  enum { Init, Auto, Manual } numbering = Init;
  int64_t next = 0;
};

/// A field name's leading index: its value if all digits, else -1 (or -2 with ValueError raised).
int64_t field_index(Ctx* c, std::string_view name) {
  if (name.empty()) return -1;
  for (char ch : name)
    if (ch < '0' || ch > '9') return -1;
  const char* p = name.data();
  int64_t v;
  return read_int(c, p, p + name.size(), &v) ? v : -2;
}

bool unsupported_access(Ctx* c) {
  raise(c, ExcKind::UnsupportedError, "format field attribute/index access is not supported by shoal yet");
  return false;
}

/// obj[key] for a field's "[key]" part.
bool field_item(Ctx* c, Val obj, std::string_view key, Val* out) {
  int64_t i = field_index(c, key);
  if (i == -2) return false;
  if (obj.tag == Tag::Dict) {
    Val k = i >= 0 ? box_int(i) : str_box(str_new(key.data(), int64_t(key.size())));
    int r = dict_get(c, as<Table>(obj), k, out);
    if (r == 0) {
      c->exc = exc_new(ExcKind::KeyError, tuple_of({k}));
      return false;
    }
    return r > 0;
  }
  if (i < 0 || (obj.tag != Tag::Tuple && obj.tag != Tag::List && obj.tag != Tag::Str)) return unsupported_access(c);
  if (obj.tag == Tag::List) {
    if (i >= as<List>(obj)->n) {
      raise(c, ExcKind::IndexError, "list index out of range");
      return false;
    }
    *out = as<List>(obj)->items[i];
    return true;
  }
  *out = dyn_index(c, obj, box_int(i));
  return !c->exc;
}

/// The value a replacement field names: an argument, then its [key] parts.
bool field_value(Ctx* c, FormatCall& call, std::string_view name, Val* out) {
  size_t first_end = name.find_first_of(".[");
  if (first_end == name.npos) first_end = name.size();
  std::string_view first = name.substr(0, first_end), rest = name.substr(first_end);
  int64_t index = field_index(c, first);
  if (index == -2) return false;
  if (first.empty() || index >= 0) {
    if (call.numbering == FormatCall::Init) call.numbering = first.empty() ? FormatCall::Auto : FormatCall::Manual;
    if (call.numbering == FormatCall::Manual && first.empty()) {
      raise(c, ExcKind::ValueError, "cannot switch from manual field specification to automatic field numbering");
      return false;
    }
    if (call.numbering == FormatCall::Auto && !first.empty()) {
      raise(c, ExcKind::ValueError, "cannot switch from automatic field numbering to manual field specification");
      return false;
    }
    if (first.empty()) index = call.next++;
    if (index >= call.a.n) {
      raise(c, ExcKind::IndexError,
            strf("Replacement index %lld out of range for positional args tuple", (long long)index));
      return false;
    }
    *out = call.a.v[index];
  } else {
    int64_t k = 0;
    while (k < call.a.nkw && first != call.a.kw[k]) ++k;
    if (k == call.a.nkw) {
      c->exc = exc_new(ExcKind::KeyError, tuple_of({str_box(str_new(first.data(), int64_t(first.size())))}));
      return false;
    }
    *out = call.a.v[call.a.n + k];
  }
  while (!rest.empty()) {
    char kind = rest[0];
    rest.remove_prefix(1);
    size_t end = kind == '.' ? rest.find_first_of(".[") : rest.find(']');
    if (kind != '.' && kind != '[') {
      raise(c, ExcKind::ValueError, "Only '.' or '[' may follow ']' in format field specifier");
      return false;
    }
    if (kind == '[' && end == rest.npos) {
      raise(c, ExcKind::ValueError, "Missing ']' in format string");
      return false;
    }
    std::string_view part = rest.substr(0, end);
    rest.remove_prefix(end == rest.npos ? rest.size() : end + (kind == '['));
    if (part.empty()) {
      raise(c, ExcKind::ValueError, "Empty attribute in format string");
      return false;
    }
    if (kind == '.' ? !unsupported_access(c) : !field_item(c, *out, part, out)) return false;
  }
  return true;
}

bool build_format(Ctx* c, FormatCall& call, std::string_view fmt, int depth, std::string& out);

/// One replacement field: name, conversion and spec already split (CPython's output_markup).
bool render_field(Ctx* c, FormatCall& call, std::string_view name, uint32_t conversion, std::string_view spec,
                  bool expand, int depth, std::string& out) {
  Val v;
  if (!field_value(c, call, name, &v)) return false;
  if (conversion) {
    std::string text;
    switch (conversion) {
    case 'r': text = repr_of(v); break;
    case 's': text = str_of(v); break;
    case 'a': text = ascii_of(v); break;
    default:
      raise(c, ExcKind::ValueError, strf("Unknown conversion specifier %s", conversion > 32 && conversion < 127
                                                                             ? std::string(1, char(conversion)).c_str()
                                                                             : strf("\\x%x", unsigned(conversion)).c_str()));
      return false;
    }
    v = str_box(str_new(text));
  }
  std::string expanded;
  if (expand) {
    if (!build_format(c, call, spec, depth - 1, expanded)) return false;
    spec = expanded;
  }
  Str* spec_str = str_new(spec.data(), int64_t(spec.size()));
  return format_into(c, v, spec_str, out);
}

/// CPython's build_string over MarkupIterator: literal text, {{ }} escapes and fields.
bool build_format(Ctx* c, FormatCall& call, std::string_view fmt, int depth, std::string& out) {
  if (depth <= 0) {
    raise(c, ExcKind::ValueError, "Max string recursion exceeded");
    return false;
  }
  size_t i = 0, n = fmt.size();
  while (i < n) {
    size_t start = i;
    char ch = 0;
    while (i < n && (ch = fmt[i++]) != '{' && ch != '}') {}
    bool markup = ch == '{' || ch == '}';
    if (!markup) {
      out.append(fmt, start, i - start);
      break;
    }
    bool at_end = i >= n;
    if (ch == '}' && (at_end || fmt[i] != '}')) {
      raise(c, ExcKind::ValueError, "Single '}' encountered in format string");
      return false;
    }
    if (at_end) {
      raise(c, ExcKind::ValueError, "Single '{' encountered in format string");
      return false;
    }
    if (fmt[i] == ch) { // an escaped {{ or }}
      out.append(fmt, start, i - start);
      ++i;
      continue;
    }
    out.append(fmt, start, i - 1 - start);
    // parse_field: the name runs to ':', '!' or '}' ('[...]' may hold any of them but '{').
    size_t name_start = i;
    ch = 0;
    while (i < n) {
      ch = fmt[i++];
      if (ch == '{') {
        raise(c, ExcKind::ValueError, "unexpected '{' in field name");
        return false;
      }
      if (ch == '[') {
        while (i < n && fmt[i] != ']') ++i;
        continue;
      }
      if (ch == '}' || ch == ':' || ch == '!') break;
    }
    std::string_view name = fmt.substr(name_start, i - 1 - name_start);
    uint32_t conversion = 0;
    std::string_view spec;
    bool expand = false;
    if (ch == '!' || ch == ':') {
      bool closed = false;
      if (ch == '!') {
        if (i >= n) {
          raise(c, ExcKind::ValueError, "end of string while looking for conversion specifier");
          return false;
        }
        const char* p = fmt.data() + i;
        conversion = utf8_next(p);
        i = size_t(p - fmt.data());
        if (i < n) {
          char next = fmt[i++];
          closed = next == '}';
          if (!closed && next != ':') {
            raise(c, ExcKind::ValueError, "expected ':' after conversion specifier");
            return false;
          }
        }
      }
      if (!closed) {
        size_t spec_start = i;
        int count = 1;
        while (i < n && count > 0) {
          char sc = fmt[i++];
          if (sc == '{') {
            expand = true;
            ++count;
          } else if (sc == '}') {
            --count;
          }
        }
        if (count > 0) {
          raise(c, ExcKind::ValueError, "unmatched '{' in format spec");
          return false;
        }
        spec = fmt.substr(spec_start, i - 1 - spec_start);
      }
    } else if (ch != '}') {
      raise(c, ExcKind::ValueError, "expected '}' before end of string");
      return false;
    }
    if (!render_field(c, call, name, conversion, spec, expand, depth, out)) return false;
  }
  return true;
}

} // namespace

Str* str_format(Ctx* c, const Str* fmt, const Args& a) {
  FormatCall call{a};
  std::string out;
  return build_format(c, call, std::string_view(fmt->data, size_t(fmt->len)), 2, out) ? str_new(out) : nullptr;
}

// ---- printf-style % -----------------------------------------------------------------------------

namespace {

enum Flag { LJust = 1, Sign = 2, Blank = 4, Alt = 8, Zero = 16 };

/// CPython's unicode_format_arg_output for a converted argument: padding, and for numbers
/// (`number`) the sign, zero fill and alternate-form prefix.
void percent_output(std::string& out, std::string_view text, int flags, int64_t width, char conv, bool number) {
  char fill = number && (flags & Zero) ? '0' : ' ';
  char sign = 0;
  if (number) {
    if (!text.empty() && (text[0] == '+' || text[0] == '-')) {
      sign = text[0];
      text.remove_prefix(1);
    } else if (flags & Sign) {
      sign = '+';
    } else if (flags & Blank) {
      sign = ' ';
    }
  }
  int64_t len = utf8_count(text.data(), int64_t(text.size())) + (sign != 0);
  bool prefix = number && (flags & Alt) && (conv == 'x' || conv == 'X' || conv == 'o');
  if (prefix) text.remove_prefix(2);
  int64_t pad = std::max<int64_t>(0, width - len);
  if (fill == '0') { // sign and prefix before the zeros
    if (sign) out += sign;
    if (prefix) out += {'0', conv};
  }
  if (!(flags & LJust)) out.append(size_t(pad), fill);
  if (fill == ' ') {
    if (sign) out += sign;
    if (prefix) out += {'0', conv};
  }
  out += text;
  if (flags & LJust) out.append(size_t(pad), ' ');
}

/// CPython's _PyUnicode_FormatLong: sign, alternate prefix, digits zero-padded to prec.
bool percent_int(Ctx* c, Val v, int flags, int64_t prec, char conv, std::string& text) {
  Spec s;
  s.type = conv == 'o' || conv == 'x' || conv == 'X' ? uint32_t(conv) : 'd';
  if (!format_int(c, v, s, text)) return false;
  bool negative = text[0] == '-';
  size_t digits = text.size() - negative;
  if (prec > int64_t(digits)) text.insert(negative, size_t(prec) - digits, '0');
  if ((flags & Alt) && conv != 'd') text.insert(negative, conv == 'o' ? "0o" : conv == 'x' ? "0x" : "0X");
  return true;
}

} // namespace

Str* str_percent(Ctx* c, const Str* fmt, Val args) {
  const Val* items = &args;
  int64_t nargs = -1, argi = -2; // a single non-tuple argument, as CPython's arglen/argidx
  if (args.tag == Tag::Tuple) {
    items = as<Tuple>(args)->items;
    nargs = as<Tuple>(args)->n;
    argi = 0;
  }
  bool mapping = args.tag == Tag::Dict || args.tag == Tag::List || args.tag == Tag::Range;
  Val current = args;
  auto next_arg = [&](Val* out) {
    if (argi < nargs) {
      *out = nargs < 0 ? current : items[argi];
      ++argi;
      return true;
    }
    raise(c, ExcKind::TypeError, "not enough arguments for format string");
    return false;
  };
  std::string out;
  const char *p = fmt->data, *end = p + fmt->len;
  while (p < end) {
    const char* pct = static_cast<const char*>(std::memchr(p, '%', size_t(end - p)));
    if (!pct) {
      out.append(p, end);
      break;
    }
    out.append(p, pct);
    p = pct + 1;
    if (p < end && *p == '%') {
      out += '%';
      ++p;
      continue;
    }
    uint32_t ch = '%';
    bool eof = false;
    auto more = [&] {
      if (p >= end) return !(eof = true);
      ch = utf8_next(p);
      return true;
    };
    if (p < end && *p == '(') {
      if (!mapping) {
        raise(c, ExcKind::TypeError, "format requires a mapping");
        return nullptr;
      }
      const char* key = ++p;
      int depth = 1;
      for (; p < end && depth > 0; ++p)
        depth += *p == '(' ? 1 : *p == ')' ? -1 : 0;
      if (depth > 0) {
        raise(c, ExcKind::ValueError, "incomplete format key");
        return nullptr;
      }
      Val k = str_box(str_new(key, p - 1 - key));
      if (args.tag != Tag::Dict) {
        raise(c, ExcKind::TypeError, strf("%s indices must be integers or slices, not str", type_name(args)));
        return nullptr;
      }
      int r = dict_get(c, as<Table>(args), k, &current);
      if (r <= 0) {
        if (r == 0) c->exc = exc_new(ExcKind::KeyError, tuple_of({k}));
        return nullptr;
      }
      nargs = -1;
      argi = -2;
    }
    int flags = 0;
    while (more()) {
      int f = ch == '-' ? LJust : ch == '+' ? Sign : ch == ' ' ? Blank : ch == '#' ? Alt : ch == '0' ? Zero : 0;
      if (!f) break;
      flags |= f;
    }
    auto star = [&](int64_t* out_value) {
      Val w;
      if (!next_arg(&w)) return false;
      if (!is_int(w)) {
        raise(c, ExcKind::TypeError, "* wants int");
        return false;
      }
      if (w.tag == Tag::Big) {
        raise(c, ExcKind::OverflowError, "Python int too large to convert to C ssize_t");
        return false;
      }
      *out_value = int64_t(w.bits);
      more();
      return true;
    };
    auto digits = [&](int64_t* out_value, int64_t limit, const char* too_big) {
      *out_value = ch - '0';
      while (more() && ch >= '0' && ch <= '9') {
        if (*out_value > (limit - int64_t(ch - '0')) / 10) {
          raise(c, ExcKind::ValueError, too_big);
          return false;
        }
        *out_value = *out_value * 10 + (ch - '0');
      }
      return true;
    };
    int64_t width = -1, prec = -1;
    if (ch == '*' && !eof) {
      if (!star(&width)) return nullptr;
      if (width < 0) {
        flags |= LJust;
        width = -width;
      }
    } else if (ch >= '0' && ch <= '9' && !eof) {
      if (!digits(&width, INT64_MAX, "width too big")) return nullptr;
    }
    if (ch == '.' && !eof) {
      prec = 0;
      more();
      if (ch == '*' && !eof) {
        if (!star(&prec)) return nullptr;
        if (prec > INT_MAX) {
          raise(c, ExcKind::OverflowError, "Python int too large to convert to C int");
          return nullptr;
        }
        if (prec < 0) prec = 0;
      } else if (ch >= '0' && ch <= '9' && !eof) {
        if (!digits(&prec, INT_MAX, "precision too big")) return nullptr;
      }
    }
    if (!eof && (ch == 'h' || ch == 'l' || ch == 'L')) more();
    if (eof) {
      raise(c, ExcKind::ValueError, "incomplete format");
      return nullptr;
    }
    Val v;
    if (!next_arg(&v)) return nullptr;
    if (c->memory_limit > 0 && width > c->memory_limit) {
      raise(c, ExcKind::MemoryError, nullptr);
      return nullptr;
    }
    std::string text;
    char conv = ch < 0x80 ? char(ch) : 0;
    switch (conv) {
    case 's': case 'r': case 'a': {
      text = conv == 's' ? (v.tag == Tag::Str ? std::string(as<Str>(v)->data, size_t(as<Str>(v)->len)) : str_of(v))
           : conv == 'r' ? repr_of(v)
                         : ascii_of(v);
      if (prec >= 0) {
        const char* q = text.data();
        for (int64_t k = 0; k < prec && q < text.data() + text.size(); ++k) utf8_next(q);
        text.resize(size_t(q - text.data()));
      }
      percent_output(out, text, flags, width, conv, false);
      break;
    }
    case 'd': case 'i': case 'u': case 'o': case 'x': case 'X': {
      bool hex_oct = conv == 'o' || conv == 'x' || conv == 'X';
      if (v.tag == Tag::Float && !hex_oct) {
        v = int_from_double(c, unbox_float(v));
        if (c->exc) return nullptr;
      } else if (!is_int(v)) {
        raise(c, ExcKind::TypeError, strf("%%%c format: %s is required, not %s", conv,
                                          hex_oct ? "an integer" : "a real number", type_name(v)));
        return nullptr;
      }
      if (!percent_int(c, v, flags, prec, hex_oct ? conv : 'd', text)) return nullptr;
      percent_output(out, text, flags, width, conv, true);
      break;
    }
    case 'e': case 'E': case 'f': case 'F': case 'g': case 'G': {
      double d;
      if (v.tag == Tag::Float) d = unbox_float(v);
      else if (is_int(v)) {
        d = int_to_double(c, v);
        if (c->exc) return nullptr;
      } else {
        raise(c, ExcKind::TypeError, strf("must be real number, not %s", type_name(v)));
        return nullptr;
      }
      text = double_to_string(d, conv, prec < 0 ? 6 : int(prec), flags & Alt, false, false);
      percent_output(out, text, flags, width, conv, true);
      break;
    }
    case 'c': {
      if (v.tag == Tag::Str && as<Str>(v)->ncp == 1) {
        text.assign(as<Str>(v)->data, size_t(as<Str>(v)->len));
      } else if (v.tag == Tag::Int || v.tag == Tag::Bool || v.tag == Tag::Big) {
        if (v.tag == Tag::Big || int64_t(v.bits) < 0 || int64_t(v.bits) > 0x10FFFF) {
          raise(c, ExcKind::OverflowError, "%c arg not in range(0x110000)");
          return nullptr;
        }
        utf8_append(text, uint32_t(v.bits));
      } else {
        raise(c, ExcKind::TypeError, "%c requires int or char");
        return nullptr;
      }
      percent_output(out, text, flags, width, conv, false);
      break;
    }
    default:
      raise(c, ExcKind::ValueError,
            strf("unsupported format character '%c' (0x%x) at index %lld", ch >= 31 && ch <= 126 ? char(ch) : '?',
                 unsigned(ch), (long long)utf8_count(fmt->data, p - fmt->data) - 1));
      return nullptr;
    }
  }
  if (argi < nargs && !mapping) {
    raise(c, ExcKind::TypeError, "not all arguments converted during string formatting");
    return nullptr;
  }
  return str_new(out);
}

} // namespace shoal::rt
