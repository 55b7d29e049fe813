#include "runtime/cost_model.hpp"

#include "runtime/containers.hpp"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <numeric>
#include <sstream>
#include <string_view>

#include <unistd.h>

namespace shoal::rt {

namespace {

constexpr const char* header = "shoal-cost-model 1";

/// s(x): the size a power law is fitted on.
double size_pow(double x) { return x > 1 ? x : 1; }
/// g(x): the size an n log n law is fitted on (continuous at 2).
double size_nlogn(double x) { return x < 2 ? size_pow(x) : x * std::log2(x); }

/// The sample's size bucket: a quarter octave of every feature, hashed (FNV-1a).
uint64_t bucket_of(const std::vector<double>& x) {
  uint64_t h = 1469598103934665603ull ^ x.size();
  for (double v : x)
    h = (h ^ uint64_t(int64_t(std::floor(4 * std::log2(size_pow(v)))))) * 1099511628211ull;
  return h;
}

double mean(const std::vector<double>& v) { return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size()); }

size_t distinct(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return size_t(std::unique(v.begin(), v.end()) - v.begin());
}

/// log t = la + b log x with its residual sum of squares.
struct Line {
  double la, b, rss;
};

/// Least squares of y on x; the slope is fixed_b when given.
Line fit_line(const std::vector<double>& x, const std::vector<double>& y, std::optional<double> fixed_b) {
  double mx = mean(x), my = mean(y), sxx = 0, sxy = 0, rss = 0;
  for (size_t i = 0; i < x.size(); ++i) {
    sxx += (x[i] - mx) * (x[i] - mx);
    sxy += (x[i] - mx) * (y[i] - my);
  }
  double b = fixed_b ? *fixed_b : sxx > 0 ? sxy / sxx : 0, la = my - b * mx;
  for (size_t i = 0; i < x.size(); ++i)
    rss += (y[i] - la - b * x[i]) * (y[i] - la - b * x[i]);
  return {la, b, rss};
}

/// Keeps fit when its score, RSS / (n - params), beats the best so far.
void consider(CostFit& best, double& best_score, const CostFit& fit, size_t params) {
  double score = fit.residual * double(fit.samples) / double(fit.samples - params);
  if (score + 1e-15 < best_score) {
    best = fit;
    best_score = score;
  }
}

std::string number(double v) {
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

/// A whole field as a finite, non-negative number.
template <class T> bool parse(std::string_view s, T* out) {
  auto r = std::from_chars(s.data(), s.data() + s.size(), *out);
  return r.ec == std::errc() && r.ptr == s.data() + s.size() && !s.empty() && std::isfinite(double(*out)) &&
         *out >= 0;
}

/// Sets *error (when asked for) and returns false.
bool fail(std::string* error, const std::string& what) {
  if (error)
    *error = what;
  return false;
}

std::string escape(const std::string& key) {
  std::string r;
  for (char ch : key)
    r += ch == '\\' ? "\\\\" : ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : std::string(1, ch);
  return r;
}

bool unescape(std::string_view s, std::string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      *out += s[i];
      continue;
    }
    size_t k = ++i < s.size() ? std::string_view("\\nr").find(s[i]) : std::string_view::npos;
    if (k == std::string_view::npos)
      return false;
    *out += "\\\n\r"[k];
  }
  return true;
}

/// Splits a line at spaces into at most max_fields fields; the last takes the rest of the line.
std::vector<std::string_view> fields(std::string_view line, size_t max_fields) {
  std::vector<std::string_view> r;
  while (r.size() + 1 < max_fields) {
    size_t sp = line.find(' ');
    if (sp == std::string_view::npos)
      break;
    r.push_back(line.substr(0, sp));
    line.remove_prefix(sp + 1);
  }
  r.push_back(line);
  return r;
}

} // namespace

// ---- CostFit ----------------------------------------------------------------------------------

double CostFit::predict(const std::vector<double>& x) const {
  if (form == Form::None || form == Form::Constant)
    return a;
  if (feature < 0 || size_t(feature) >= x.size())
    return 0;
  double v = x[size_t(feature)];
  if (form == Form::Exp) // branching recursion (fib): t = a * e^(b x)
    return a * std::exp(std::min(b * v, 700.0));
  return form == Form::Power ? a * std::pow(size_pow(v), b) : a * size_nlogn(v);
}

std::string CostFit::describe() const {
  char buf[160];
  std::string x = "x" + std::to_string(feature);
  if (form == Form::None)
    return "no samples";
  if (form == Form::Constant)
    std::snprintf(buf, sizeof buf, "t = %.1e s (constant, ", a);
  else if (form == Form::Power)
    std::snprintf(buf, sizeof buf, "t = %.1e * %s^%.2f (", a, x.c_str(), b);
  else if (form == Form::Exp)
    std::snprintf(buf, sizeof buf, "t = %.1e * %.3f^%s (", a, std::exp(b), x.c_str());
  else
    std::snprintf(buf, sizeof buf, "t = %.1e * %s log2 %s (", a, x.c_str(), x.c_str());
  std::string r = buf;
  std::snprintf(buf, sizeof buf, "n=%zu, rms log err %.2f)", samples, std::sqrt(residual));
  return r + buf;
}

// ---- recording and fitting ------------------------------------------------------------------------

void CostModel::record(const std::string& key, const std::vector<double>& features, double seconds) {
  if (!std::isfinite(seconds) || seconds < min_seconds)
    seconds = min_seconds;
  Key& k = keys_[key];
  k.calls++;
  k.total += seconds;
  add_sample(k, features, seconds);
}

void CostModel::add_sample(Key& k, std::vector<double> x, double t) {
  for (double& v : x)
    if (!std::isfinite(v) || v < 0)
      v = 0;
  uint64_t bucket = bucket_of(x);
  k.samples.push_back(Sample{std::move(x), t, bucket});
  k.buckets[bucket]++;
  k.dirty = true;
  if (k.samples.size() <= max_samples)
    return;
  // Evict the oldest sample of a most populated bucket: rare sizes survive, crowded ones refresh.
  uint32_t most = 0;
  for (const auto& [b, n] : k.buckets)
    most = std::max(most, n);
  auto victim = std::find_if(k.samples.begin(), k.samples.end(),
                             [&](const Sample& s) { return k.buckets[s.bucket] == most; });
  if (--k.buckets[victim->bucket] == 0)
    k.buckets.erase(victim->bucket);
  k.samples.erase(victim);
}

void CostModel::refit() {
  for (auto& [key, k] : keys_)
    if (k.dirty) {
      k.fit = fit_samples(k.samples);
      k.dirty = false;
    }
}

CostFit CostModel::fit_samples(const std::vector<Sample>& s) {
  size_t n = s.size(), nf = n ? s[0].x.size() : 0;
  if (n == 0)
    return {};
  std::vector<double> y(n), lx(n), lg(n), raw(n);
  double sum_t = 0;
  for (size_t i = 0; i < n; ++i) {
    y[i] = std::log(s[i].t);
    sum_t += s[i].t;
    nf = std::min(nf, s[i].x.size());
  }
  Line c = fit_line(lx, y, 0.0); // lx is all zeros here: la = mean log t
  CostFit best{CostFit::Form::Constant, -1, sum_t / double(n), 0, c.rss / double(n), n};
  double best_score = n > 1 ? c.rss / double(n - 1) : 0;
  for (size_t j = 0; j < nf; ++j) {
    for (size_t i = 0; i < n; ++i) {
      lx[i] = std::log(size_pow(s[i].x[j]));
      lg[i] = std::log(size_nlogn(s[i].x[j]));
      raw[i] = s[i].x[j];
    }
    if (distinct(lx) < min_distinct)
      continue;
    Line g = fit_line(lg, y, 1.0), p = fit_line(lx, y, std::nullopt);
    consider(best, best_score, {CostFit::Form::NLogN, int(j), std::exp(g.la), 0, g.rss / double(n), n}, 1);
    consider(best, best_score, {CostFit::Form::Power, int(j), std::exp(p.la), p.b, p.rss / double(n), n}, 2);
    // an exponential only where the feature stays small (a recursion's depth, not a size)
    if (*std::max_element(raw.begin(), raw.end()) <= 200) {
      Line e = fit_line(raw, y, std::nullopt);
      consider(best, best_score, {CostFit::Form::Exp, int(j), std::exp(e.la), e.b, e.rss / double(n), n}, 2);
    }
  }
  return best;
}

// ---- queries ------------------------------------------------------------------------------------

std::optional<double> CostModel::predict(const std::string& key, const std::vector<double>& features) const {
  const CostFit* f = fit(key);
  if (!f || f->form == CostFit::Form::None)
    return std::nullopt;
  if (f->form != CostFit::Form::Constant && size_t(f->feature) >= features.size())
    return std::nullopt;
  return f->predict(features);
}

const CostFit* CostModel::fit(const std::string& key) const {
  auto it = keys_.find(key);
  return it == keys_.end() ? nullptr : &it->second.fit;
}

std::vector<CostModel::Stats> CostModel::profile() const {
  std::vector<Stats> r;
  for (const auto& [key, k] : keys_)
    r.push_back(Stats{key, k.calls, k.total, k.calls ? k.total / double(k.calls) : 0, k.fit});
  std::stable_sort(r.begin(), r.end(), [](const Stats& a, const Stats& b) { return a.total > b.total; });
  return r;
}

void CostModel::merge(const CostModel& other) {
  if (&other == this) {
    CostModel copy = other;
    merge(copy);
    return;
  }
  for (const auto& [key, o] : other.keys_) {
    Key& k = keys_[key];
    k.calls += o.calls;
    k.total += o.total;
    for (const Sample& s : o.samples)
      add_sample(k, s.x, s.t);
  }
}

// ---- persistence ------------------------------------------------------------------------------------

std::string CostModel::save() const {
  std::string out = std::string(header) + "\n";
  for (const auto& [key, k] : keys_) {
    out += "k " + std::to_string(k.calls) + " " + number(k.total) + " " + std::to_string(k.samples.size()) + " " +
           escape(key) + "\n";
    for (const Sample& s : k.samples) {
      out += "s " + number(s.t);
      for (double v : s.x)
        out += " " + number(v);
      out += "\n";
    }
  }
  return out;
}

/// The state of one load(): the keys read so far and the samples the current key still expects.
struct CostModel::Loader {
  std::map<std::string, Key> keys;
  Key* current = nullptr;
  uint64_t pending = 0;

  /// Reads one line after the header; returns what is wrong with it, or "" when it is fine.
  std::string line(std::string_view line) {
    if (line.empty())
      return "";
    if (line.substr(0, 2) == "k ")
      return key_line(fields(line, 5));
    if (line.substr(0, 2) == "s ")
      return sample_line(fields(line, size_t(-1)));
    return "unrecognised line";
  }
  std::string key_line(const std::vector<std::string_view>& f) {
    uint64_t calls = 0, count = 0;
    double total = 0;
    std::string key;
    if (pending)
      return "key line where a sample line was expected";
    if (f.size() != 5 || !parse(f[1], &calls) || !parse(f[2], &total) || !parse(f[3], &count) ||
        count > max_samples || !unescape(f[4], &key))
      return "malformed key line";
    if (!keys.emplace(key, Key{}).second)
      return "duplicate key '" + key + "'";
    current = &keys[key];
    current->calls = calls;
    current->total = total;
    pending = count;
    return "";
  }
  std::string sample_line(const std::vector<std::string_view>& f) {
    std::vector<double> x(f.size() - 2);
    double t = 0;
    if (!pending)
      return "sample line outside a key";
    if (!parse(f[1], &t) || t <= 0)
      return "malformed sample time";
    for (size_t i = 2; i < f.size(); ++i)
      if (!parse(f[i], &x[i - 2]))
        return "malformed feature " + std::to_string(i - 2);
    add_sample(*current, std::move(x), t);
    --pending;
    return "";
  }
};

bool CostModel::load(const std::string& text, std::string* error) {
  Loader loader;
  std::istringstream in(text);
  std::string line, what;
  size_t line_no = 0;
  while (what.empty() && std::getline(in, line))
    what = ++line_no > 1 ? loader.line(line) : line == header ? "" : "expected header '" + std::string(header) + "'";
  if (what.empty() && line_no == 0)
    what = "empty text";
  if (what.empty() && loader.pending)
    what = "missing " + std::to_string(loader.pending) + " sample line(s)";
  if (!what.empty())
    return fail(error, "line " + std::to_string(line_no) + ": " + what);
  keys_.swap(loader.keys);
  refit();
  return true;
}

bool CostModel::save_file(const std::string& path, std::string* error) const {
  std::string tmp = path + ".tmp." + std::to_string(::getpid());
  std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
  out << save();
  out.close();
  if (!out || std::rename(tmp.c_str(), path.c_str()) != 0) {
    std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return fail(error, "cannot write " + path + ": " + why);
  }
  return true;
}

bool CostModel::load_file(const std::string& path, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in.is_open() && errno == ENOENT) {
    keys_.clear();
    return true;
  }
  std::stringstream text;
  if (!in.is_open() || (!(text << in.rdbuf()) && in.bad()))
    return fail(error, "cannot read " + path + ": " + std::strerror(errno));
  std::string why;
  return load(text.str(), &why) || fail(error, path + ": " + why);
}

// ---- features of runtime values ---------------------------------------------------------------------

namespace {
double feature_of(Val v) {
  auto i = int64_t(v.bits);
  switch (v.tag) {
  case Tag::Int: return i < 0 ? -double(i) : double(i);
  case Tag::Big: return std::ldexp(1.0, int(std::min<size_t>(mpz_sizeinbase(as<BigInt>(v)->z, 2), 1023)));
  case Tag::Str: return double(as<Str>(v)->len);
  case Tag::Tuple: return double(as<Tuple>(v)->n);
  case Tag::List: return double(as<List>(v)->n);
  case Tag::Dict:
  case Tag::Set:
  case Tag::FrozenSet: return double(as<Table>(v)->n);
  case Tag::View: return double(as<DictView>(v)->dict->n);
  case Tag::Range: return double(range_len(as<RangeObj>(v)));
  default: return 0;
  }
}
} // namespace

std::vector<double> features_of(const Val* args, size_t n) {
  std::vector<double> r(n);
  for (size_t i = 0; i < n; ++i)
    r[i] = feature_of(args[i]);
  return r;
}

} // namespace shoal::rt
