#pragma once
/// Internal helpers shared by the numeric_*.cpp files; not part of the runtime's public API.

#include "runtime/numeric.hpp"

#include <cstdint>
#include <string>

namespace shoal::rt::detail {

/// A scoped mpz_t for temporaries (BigInt objects never use this: they are never cleared).
struct Mpz {
  mpz_t z;
  Mpz() { mpz_init(z); }
  explicit Mpz(Val v) {
    mpz_init(z);
    int_to_mpz(v, z);
  }
  Mpz(const Mpz&) = delete;
  Mpz& operator=(const Mpz&) = delete;
  ~Mpz() { mpz_clear(z); }
  operator mpz_ptr() { return z; }
  operator mpz_srcptr() const { return z; }
};

/// A read-only mpz view of an int Val: borrows a Big's limbs, or converts a small int.
class MpzView {
 public:
  explicit MpzView(Val v) {
    if (v.tag == Tag::Big) {
      p_ = as<BigInt>(v)->z;
    } else {
      mpz_init_set_si(tmp_, static_cast<long>(v.bits));
      p_ = tmp_;
      owned_ = true;
    }
  }
  MpzView(const MpzView&) = delete;
  MpzView& operator=(const MpzView&) = delete;
  ~MpzView() {
    if (owned_) mpz_clear(tmp_);
  }
  mpz_srcptr get() const { return p_; }

 private:
  mpz_t tmp_;
  mpz_srcptr p_;
  bool owned_ = false;
};

/// Boxes r, moving its limbs into a new BigInt when it does not fit int64 (r is left empty).
Val take_mpz(Mpz& r);

/// Whether v is an int held in one word (Int or Bool).
inline bool is_small(Val v) { return v.tag == Tag::Int || v.tag == Tag::Bool; }
inline int64_t small_val(Val v) { return static_cast<int64_t>(v.bits); }

/// Raises MemoryError (no args) when a result of about `bits` bits would exceed
/// c->memory_limit bytes (a limit <= 0 means no limit) or 2**36 bits, beyond which GMP aborts.
/// Returns whether it raised.
bool over_memory_limit(Ctx* c, double bits);

/// a / b correctly rounded to the nearest double (ties to even), CPython's long_true_divide.
/// b must be non-zero. Returns false when the quotient is too large for a double.
bool mpz_true_divide(mpz_srcptr a, mpz_srcptr b, double* out);

/// CPython's float pow for finite/non-finite doubles (raises on c; returns a dummy on error).
double float_pow(Ctx* c, double a, double b);

/// The decimal value (0..9) of a Unicode decimal digit above ASCII, else -1.
int decimal_value(uint32_t cp);
/// Whether a code point above ASCII is whitespace for str.isspace() and str.split().
bool is_unicode_space(uint32_t cp);
/// Whether repr() shows a code point as is (str.isprintable()).
bool is_printable(uint32_t cp);

/// CPython's _PyUnicode_TransformDecimalAndSpaceToASCII over UTF-8: Unicode decimal digits
/// become '0'..'9', Unicode whitespace becomes ' ', other non-ASCII ends the string with '?'.
std::string to_ascii_digits(const std::string& utf8);

/// repr(str) for error messages, truncated to `max_cp` code points when max_cp >= 0 (as
/// CPython's %.200R does).
std::string str_repr(const std::string& utf8, int64_t max_cp = -1);

} // namespace shoal::rt::detail
