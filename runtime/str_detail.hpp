#pragma once
/// Internal helpers shared by the str_*.cpp files: UTF-8 walking, string allocation and the
/// Unicode properties behind str's predicates and case mappings. Not part of the public API.

#include "runtime/object.hpp"

#include <cstdint>
#include <string>

namespace shoal::rt::detail {

/// A string of len bytes whose data the caller fills (the NUL is set); ncp is set to ncp.
Str* str_alloc(int64_t len, int64_t ncp);
/// s's bytes [b, e) as a new string (the empty string and single ASCII characters are shared).
Str* str_sub(const Str* s, int64_t b, int64_t e);
/// The shared string of one ASCII character.
Str* str_char(unsigned char ch);
inline bool is_ascii(const Str* s) { return s->len == s->ncp; }
inline Val str_box(const Str* s) { return box_ptr(Tag::Str, s); }

inline bool is_cont(char b) { return (static_cast<unsigned char>(b) & 0xC0) == 0x80; }

/// Decodes the code point at p and advances p past it. A stray byte decodes as itself; the
/// terminating NUL stops a truncated sequence.
inline uint32_t utf8_next(const char*& p) {
  auto b0 = static_cast<unsigned char>(*p++);
  if (b0 < 0x80) return b0;
  int n = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : b0 >= 0xC0 ? 1 : 0;
  uint32_t cp = b0 & (0x3Fu >> n);
  for (int k = 0; k < n && is_cont(*p); ++k)
    cp = cp << 6 | (static_cast<unsigned char>(*p++) & 0x3F);
  return cp;
}

/// Decodes the code point that ends just before p (p > begin) and moves p to its start.
inline uint32_t utf8_prev(const char* begin, const char*& p) {
  const char* q = p - 1;
  while (q > begin && is_cont(*q)) --q;
  p = q;
  return utf8_next(q);
}

/// s[start:stop:step] normalised as CPython's PySlice_Unpack + PySlice_AdjustIndices for a
/// sequence of len items: the item count (first index in *first, step in *step), or -1 with
/// TypeError/ValueError raised.
int64_t slice_indices(Ctx* c, Val start, Val stop, Val step, int64_t len, int64_t* first, int64_t* stride);

/// printf into a std::string (error messages).
std::string strf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

/// Appends the UTF-8 encoding of cp.
void utf8_append(std::string& out, uint32_t cp);

/// Byte offset of code point index i (0 <= i <= ncp) in s.
int64_t cp_offset(const Str* s, int64_t i);

// ---- Unicode properties (str_unicode.cpp; Python 3.11's Unicode 14.0 where noted) ----------
/// Whitespace for isspace()/split()/strip(): ASCII \t\n\v\f\r\x1c-\x1f and space, and the
/// Unicode spaces.
bool is_space(uint32_t cp);
/// A line boundary for splitlines(): \n \r \v \f \x1c \x1d \x1e \x85 \u2028 \u2029.
bool is_linebreak(uint32_t cp);
bool is_alpha(uint32_t cp);
bool is_decimal(uint32_t cp);
bool is_digit(uint32_t cp);
bool is_numeric(uint32_t cp);
bool is_upper(uint32_t cp);
bool is_lower(uint32_t cp);
bool is_title(uint32_t cp);
inline bool is_cased(uint32_t cp) { return is_upper(cp) || is_lower(cp) || is_title(cp); }
bool is_id_start(uint32_t cp);
bool is_id_continue(uint32_t cp);
/// Case-ignorable code points for the final-sigma rule (apostrophes, periods, marks, ...).
bool is_case_ignorable(uint32_t cp);

/// Full case mappings appended as UTF-8 (one code point may map to several, as 'ß'.upper()).
void append_lower(std::string& out, uint32_t cp);
void append_upper(std::string& out, uint32_t cp);
void append_title(std::string& out, uint32_t cp);
void append_casefold(std::string& out, uint32_t cp);

} // namespace shoal::rt::detail
