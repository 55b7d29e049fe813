#pragma once
/// A statistical cost model of compiled calls: per key (a function or a parallel construct's piece,
/// opaque here) it counts calls and seconds, keeps a bounded set of (features, seconds) samples and
/// fits the time as a constant, a power law or n log n of one feature. Single-threaded: callers
/// serialise access.
///
/// Fitting works in log space (log t). The size transform of a feature x is s(x) = max(x, 1) for a
/// power law and g(x) = max(x, 1) for x < 2, x log2 x otherwise, for n log n (continuous at 2).
/// A feature is a candidate only when every retained sample has it and it takes at least
/// min_distinct distinct values of s(x). Each candidate form is scored by RSS / (n - params) (the
/// unbiased residual variance; Constant has 1 parameter, NLogN 1, Power 2) and the smallest score
/// wins; on ties the simpler form and the lower feature index win.

#include "runtime/object.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace shoal::rt {

/// One fitted model: seconds = f(features[feature]).
struct CostFit {
  enum class Form { None, Constant, Power, NLogN, Exp };
  Form form = Form::None; ///< None: no samples yet
  int feature = -1;       ///< which feature explains the time (Power/NLogN)
  /// Constant: t = a (the arithmetic mean of the samples); Power: t = a * s(x)^b;
  /// NLogN: t = a * g(x) (see the file comment for s and g).
  double a = 0, b = 0;
  double residual = 0; ///< mean squared residual of log t for the chosen fit
  size_t samples = 0;
  /// Predicted seconds for these features (0 when form is None or the feature is missing).
  double predict(const std::vector<double>& x) const;
  /// e.g. "t = 3.1e-09 * x0^2.00 (n=40, rms log err 0.05)", "t = 2.0e-08 * x1 log2 x1 (...)",
  /// "t = 1.2e-06 s (constant, ...)", "no samples".
  std::string describe() const;
};

/// Per-key call statistics, samples and fits (see the file comment).
class CostModel {
public:
  /// Most samples kept per key; beyond it a new sample replaces the oldest one of the most populated
  /// size bucket (a quarter octave of every feature), so the feature range stays covered.
  static constexpr size_t max_samples = 256;
  /// Fewer distinct sizes than this give a Constant fit.
  static constexpr size_t min_distinct = 3;
  /// Seconds at or below zero (or not a number) are recorded as this.
  static constexpr double min_seconds = 1e-12;

  /// Records one observed call.
  void record(const std::string& key, const std::vector<double>& features, double seconds);
  /// Refits the keys that gained samples since their last fit (cheap enough to call after each
  /// top-level call).
  void refit();
  /// Prediction for a key (after refit); std::nullopt when the key has no usable fit or the
  /// features lack the fitted one.
  std::optional<double> predict(const std::string& key, const std::vector<double>& features) const;
  /// The key's fit as of the last refit, or null for an unknown key.
  const CostFit* fit(const std::string& key) const;

  struct Stats {
    std::string key;
    uint64_t calls = 0;
    double total = 0;
    double mean = 0;
    CostFit fit;
  };
  /// Per key: calls, total and mean seconds, and the fitted model; sorted by total time, largest
  /// first (then by key).
  std::vector<Stats> profile() const;

  /// A text form that load() reads back: a header line "shoal-cost-model 1", then per key a line
  /// "k <calls> <total> <samples> <key>" followed by that many lines "s <seconds> <features...>".
  /// Keys escape backslash, newline and carriage return as \\, \n, \r.
  std::string save() const;
  /// Replaces the content with a saved text (refitted); returns false with *error set (naming the
  /// line number) on malformed input, leaving the model unchanged.
  bool load(const std::string& text, std::string* error);
  /// Writes save() atomically (a temporary file beside path, then rename).
  bool save_file(const std::string& path, std::string* error) const;
  /// load() of a file's content; a missing file loads as empty (true).
  bool load_file(const std::string& path, std::string* error);
  /// Adds other's counters and samples to this model (refit afterwards).
  void merge(const CostModel& other);
  /// Number of keys.
  size_t size() const { return keys_.size(); }

private:
  struct Sample {
    std::vector<double> x;
    double t = 0;
    uint64_t bucket = 0;
  };
  struct Key {
    uint64_t calls = 0;
    double total = 0;
    std::vector<Sample> samples; ///< oldest first
    std::map<uint64_t, uint32_t> buckets; ///< samples per size bucket
    bool dirty = false;
    CostFit fit;
  };
  struct Loader;
  static void add_sample(Key& k, std::vector<double> x, double t);
  static CostFit fit_samples(const std::vector<Sample>& s);

  std::map<std::string, Key> keys_;
};

/// Features of call arguments, one per argument so that index j is argument j: an int's absolute
/// value, a big int's magnitude 2^bits (capped at 2^1023), the length of a str (in bytes), list,
/// tuple, dict, set, frozenset or dict view, a range's length; bools, floats, None and every other
/// value give 0.
std::vector<double> features_of(const Val* args, size_t n);

} // namespace shoal::rt
