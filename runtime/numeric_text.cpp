/// The Unicode pieces of int()/float() parsing: mapping Unicode digits and spaces to ASCII,
/// and repr(str) for the error messages. Tables from Python 3.11's unicodedata (Unicode 14.0).

#include "runtime/numeric_detail.hpp"

#include <algorithm>
#include <cstdio>
#include <iterator>

namespace shoal::rt::detail {

namespace {

/// Code points whose Unicode decimal value is 0, above ASCII; each starts a run of ten digits.
constexpr uint32_t k_decimal_zeros[] = {
    0x660,   0x6f0,   0x7c0,   0x966,   0x9e6,   0xa66,   0xae6,   0xb66,   0xbe6,   0xc66,
    0xce6,   0xd66,   0xde6,   0xe50,   0xed0,   0xf20,   0x1040,  0x1090,  0x17e0,  0x1810,
    0x1946,  0x19d0,  0x1a80,  0x1a90,  0x1b50,  0x1bb0,  0x1c40,  0x1c50,  0xa620,  0xa8d0,
    0xa900,  0xa9d0,  0xa9f0,  0xaa50,  0xabf0,  0xff10,  0x104a0, 0x10d30, 0x11066, 0x110f0,
    0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950,
    0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0, 0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec,
    0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0};

/// Non-ASCII code points for which str.isspace() is true.
constexpr uint32_t k_spaces[] = {0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003,
                                 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a,
                                 0x2028, 0x2029, 0x202f, 0x205f, 0x3000};

struct Range {
  uint32_t lo, hi;
};

/// Non-printable code points above ASCII (repr escapes them): every assigned one, plus the
/// large unassigned blocks; small unassigned gaps inside scripts are not listed.
constexpr Range k_unprintable[] = {
    {0x80, 0xa0},       {0xad, 0xad},       {0x600, 0x605},     {0x61c, 0x61c},
    {0x6dd, 0x6dd},     {0x70f, 0x70f},     {0x890, 0x891},     {0x8e2, 0x8e2},
    {0x1680, 0x1680},   {0x180e, 0x180e},   {0x2000, 0x200f},   {0x2028, 0x202f},
    {0x205f, 0x2064},   {0x2066, 0x206f},   {0x3000, 0x3000},   {0xd800, 0xf8ff},
    {0xfeff, 0xfeff},   {0xfff9, 0xfffb},   {0x110bd, 0x110bd}, {0x110cd, 0x110cd},
    {0x12544, 0x12f8f}, {0x13430, 0x143ff}, {0x14647, 0x167ff}, {0x18d09, 0x1afef},
    {0x1b2fc, 0x1bbff}, {0x1bca0, 0x1ceff}, {0x1d173, 0x1d17a}, {0x2ebe1, 0x2f7ff},
    {0x3134b, 0xe0001}, {0xe0020, 0xe007f}, {0xe01f0, 0x10ffff}};

/// Decodes one UTF-8 sequence at s[i]; a malformed byte decodes as itself, length 1.
uint32_t decode_utf8(const std::string& s, size_t i, size_t* len) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char b0 = b(0);
  size_t n = b0 < 0x80 ? 1 : b0 >= 0xf0 ? 4 : b0 >= 0xe0 ? 3 : b0 >= 0xc0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) n = 1;
  uint32_t cp = n == 1 ? b0 : (b0 & (0x7f >> n));
  for (size_t k = 1; k < n; ++k) {
    if ((b(k) & 0xc0) != 0x80) {
      *len = 1;
      return b0;
    }
    cp = (cp << 6) | (b(k) & 0x3f);
  }
  *len = n;
  return cp;
}

/// Appends the escape repr uses for a non-printable code point.
void append_escape(std::string* out, uint32_t cp) {
  char buf[16];
  if (cp == '\t') *out += "\\t";
  else if (cp == '\n') *out += "\\n";
  else if (cp == '\r') *out += "\\r";
  else {
    const char* fmt = cp <= 0xff ? "\\x%02x" : cp <= 0xffff ? "\\u%04x" : "\\U%08x";
    std::snprintf(buf, sizeof buf, fmt, static_cast<unsigned>(cp));
    *out += buf;
  }
}

} // namespace

int decimal_value(uint32_t cp) {
  const uint32_t* end = std::end(k_decimal_zeros);
  const uint32_t* it = std::upper_bound(std::begin(k_decimal_zeros), end, cp);
  if (it == std::begin(k_decimal_zeros)) return -1;
  uint32_t zero = *(it - 1);
  return cp - zero < 10 ? static_cast<int>(cp - zero) : -1;
}

bool is_unicode_space(uint32_t cp) {
  return std::find(std::begin(k_spaces), std::end(k_spaces), cp) != std::end(k_spaces);
}

bool is_printable(uint32_t cp) {
  if (cp < 0x80) return cp >= 0x20 && cp < 0x7f;
  if ((cp & 0xfffe) == 0xfffe || (cp >= 0xfdd0 && cp <= 0xfdef)) return false; // noncharacters
  for (const Range& r : k_unprintable)
    if (cp >= r.lo && cp <= r.hi) return false;
  return true;
}

std::string to_ascii_digits(const std::string& utf8) {
  std::string out;
  out.reserve(utf8.size());
  for (size_t i = 0, len = 0; i < utf8.size(); i += len) {
    uint32_t cp = decode_utf8(utf8, i, &len);
    int d = cp < 0x7f ? -1 : decimal_value(cp);
    if (cp < 0x7f) {
      out.push_back(static_cast<char>(cp));
    } else if (is_unicode_space(cp)) {
      out.push_back(' ');
    } else if (d >= 0) {
      out.push_back(static_cast<char>('0' + d));
    } else {
      out.push_back('?');
      break;
    }
  }
  return out;
}

/// Python's unicode_repr: single quotes unless the text has ' and no ".
std::string str_repr(const std::string& utf8, int64_t max_cp) {
  bool has_single = utf8.find('\'') != std::string::npos;
  char quote = has_single && utf8.find('"') == std::string::npos ? '"' : '\'';
  std::string out(1, quote);
  for (size_t i = 0, len = 0; i < utf8.size(); i += len) {
    uint32_t cp = decode_utf8(utf8, i, &len);
    if (cp == static_cast<uint32_t>(quote) || cp == '\\') {
      out.push_back('\\');
      out.push_back(static_cast<char>(cp));
    } else if (is_printable(cp)) {
      out.append(utf8, i, len);
    } else {
      append_escape(&out, cp);
    }
  }
  out.push_back(quote);
  if (max_cp < 0) return out;
  size_t cps = 0, i = 0; // the repr is ASCII except for printable characters kept as is
  for (size_t len = 0; i < out.size() && cps < static_cast<size_t>(max_cp); i += len, ++cps)
    decode_utf8(out, i, &len);
  out.resize(i);
  return out;
}

} // namespace shoal::rt::detail
