/// The statistical cost model: fitting synthetic timings, the profile, persistence and the
/// features of runtime values.

#include "runtime/containers.hpp"
#include "runtime/cost_model.hpp"
#include "runtime/format.hpp"
#include "runtime/numeric.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <unistd.h>

using namespace shoal::rt;

namespace {
/// Deterministic pseudo-random numbers in [0, 1) (an LCG).
struct Noise {
  uint64_t state = 12345;
  double next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return double(state >> 11) / double(1ull << 53);
  }
  /// A factor in [1 - spread, 1 + spread].
  double factor(double spread) { return 1 + spread * (2 * next() - 1); }
};

double nlogn(double n) { return n * std::log2(n); }

/// Records t(n) for n in a geometric series from 16 by factor 1.25 up to 100000, with ±3% noise.
CostModel synthetic(double (*t)(double)) {
  CostModel m;
  Noise noise;
  for (double n = 16; n < 100000; n *= 1.25)
    m.record("f", {std::round(n)}, t(std::round(n)) * noise.factor(0.03));
  m.refit();
  return m;
}

bool within(double got, double want, double rel) { return std::fabs(got - want) <= rel * want; }
} // namespace

TEST_CASE("cost model recovers n log n", "[runtime][cost]") {
  auto t = [](double n) { return 2e-8 * nlogn(n); };
  CostModel m = synthetic(t);
  const CostFit* f = m.fit("f");
  REQUIRE(f != nullptr);
  INFO(f->describe());
  CHECK(f->form == CostFit::Form::NLogN);
  CHECK(f->feature == 0);
  for (double n : {100.0, 3000.0, 77777.0, 1e6})
    CHECK(within(*m.predict("f", {n}), t(n), 0.10));
  CHECK(f->describe().find("x0 log2 x0") != std::string::npos);
}

TEST_CASE("cost model recovers n squared", "[runtime][cost]") {
  auto t = [](double n) { return 1e-9 * n * n; };
  CostModel m = synthetic(t);
  const CostFit* f = m.fit("f");
  REQUIRE(f != nullptr);
  INFO(f->describe());
  CHECK(f->form == CostFit::Form::Power);
  CHECK(f->feature == 0);
  CHECK(f->b >= 1.95);
  CHECK(f->b <= 2.05);
  for (double n : {100.0, 3000.0, 77777.0, 1e6})
    CHECK(within(*m.predict("f", {n}), t(n), 0.10));
  CHECK(f->describe().find("x0^2.0") != std::string::npos);
}

TEST_CASE("cost model chooses the explanatory feature", "[runtime][cost]") {
  CostModel m;
  Noise noise;
  for (int i = 0; i < 200; ++i) {
    double unrelated = std::floor(1 + 5000 * noise.next());
    double n = std::floor(10 + 10000 * noise.next());
    m.record("g", {unrelated, n}, 3e-7 * n * noise.factor(0.03));
  }
  m.refit();
  const CostFit* f = m.fit("g");
  REQUIRE(f != nullptr);
  INFO(f->describe());
  CHECK(f->feature == 1);
  CHECK(within(*m.predict("g", {1, 5000}), 3e-7 * 5000, 0.10));
  CHECK(m.predict("g", {1}) == std::nullopt); // the fitted feature is missing
}

TEST_CASE("cost model fits a constant time", "[runtime][cost]") {
  CostModel m;
  Noise noise;
  double total = 0;
  for (int i = 0; i < 100; ++i) {
    double t = 5e-6 * noise.factor(0.03);
    total += t;
    m.record("h", {std::floor(1 + 1000 * noise.next())}, t);
  }
  m.refit();
  const CostFit* f = m.fit("h");
  REQUIRE(f != nullptr);
  INFO(f->describe());
  bool flat = f->form == CostFit::Form::Constant || (f->form == CostFit::Form::Power && std::fabs(f->b) < 0.02);
  CHECK(flat);
  CHECK(within(*m.predict("h", {10}), total / 100, 0.05));
  CHECK(within(*m.predict("h", {900}), total / 100, 0.05));
}

TEST_CASE("cost model falls back to a constant with few distinct sizes", "[runtime][cost]") {
  CostModel m;
  CHECK(m.predict("k", {1}) == std::nullopt);
  CHECK(m.fit("k") == nullptr);
  m.record("k", {10}, 1e-3);
  m.record("k", {20}, 3e-3);
  m.record("k", {20}, 0); // clamped to a tiny positive time
  CHECK(m.fit("k")->form == CostFit::Form::None); // not refitted yet
  m.refit();
  CHECK(m.fit("k")->form == CostFit::Form::Constant);
  CHECK(m.fit("k")->samples == 3);
  CHECK(within(*m.predict("k", {1000}), 4e-3 / 3, 1e-6));
  CHECK(m.fit("k")->describe().find("constant") != std::string::npos);
}

TEST_CASE("cost model keeps the size range when its samples are full", "[runtime][cost]") {
  CostModel m;
  for (double n : {1e5, 2e5, 4e5})
    m.record("f", {n}, 1e-9 * n * n);
  for (int i = 0; i < 2000; ++i) // many small calls must not push the rare large ones out
    m.record("f", {double(10 + i % 50)}, 1e-9 * double(10 + i % 50) * double(10 + i % 50));
  m.refit();
  CHECK(m.fit("f")->samples == CostModel::max_samples);
  CHECK(m.fit("f")->form == CostFit::Form::Power);
  CHECK(within(*m.predict("f", {1e6}), 1e-9 * 1e12, 0.05));
  int large = 0; // retained samples of the three large calls, read from the saved text
  std::istringstream text(m.save());
  for (std::string line; std::getline(text, line);)
    large += line[0] == 's' && std::stod(line.substr(line.rfind(' '))) >= 1e5;
  CHECK(large == 3);
}

TEST_CASE("cost model profile counts and orders by total time", "[runtime][cost]") {
  CostModel m;
  m.record("small", {1}, 1.0);
  for (int i = 0; i < 4; ++i)
    m.record("big", {double(i)}, 2.0);
  m.record("mid", {1}, 1.5);
  m.record("mid", {2}, 2.5);
  m.refit();
  auto p = m.profile();
  REQUIRE(p.size() == 3);
  CHECK(p[0].key == "big");
  CHECK(p[0].calls == 4);
  CHECK(p[0].total == 8.0);
  CHECK(p[0].mean == 2.0);
  CHECK(p[1].key == "mid");
  CHECK(p[1].calls == 2);
  CHECK(p[1].mean == 2.0);
  CHECK(p[2].key == "small");
  CHECK(p[2].total == 1.0);
  CHECK(p[2].fit.form == CostFit::Form::Constant);
}

TEST_CASE("cost model save and load round trip", "[runtime][cost]") {
  CostModel m = synthetic([](double n) { return 2e-8 * nlogn(n); });
  m.record("odd key\\with\nnewline", {3, 4}, 0.25);
  m.record("odd key\\with\nnewline", {}, 0.5);
  m.refit();
  std::string text = m.save();
  CHECK(text.rfind("shoal-cost-model 1\n", 0) == 0);
  CostModel r;
  std::string error;
  REQUIRE(r.load(text, &error));
  CHECK(r.save() == text);
  auto a = m.profile(), b = r.profile();
  REQUIRE(a.size() == b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    CHECK(a[i].key == b[i].key);
    CHECK(a[i].calls == b[i].calls);
    CHECK(a[i].total == b[i].total);
    CHECK(a[i].fit.describe() == b[i].fit.describe());
  }
  for (double n : {50.0, 5000.0})
    CHECK(*m.predict("f", {n}) == *r.predict("f", {n}));
  CHECK(*r.predict("odd key\\with\nnewline", {}) == 0.375);
}

TEST_CASE("cost model load rejects malformed text and keeps its content", "[runtime][cost]") {
  CostModel m;
  m.record("f", {1}, 1.0);
  m.refit();
  std::string before = m.save(), error;
  CHECK_FALSE(m.load("shoal-cost-model 1\nk 1 1 1 f\ns 1 x\n", &error));
  CHECK(error.find("line 3") != std::string::npos);
  CHECK_FALSE(m.load("shoal-cost-model 1\nk 1 1 2 f\ns 1 2\n", &error));
  CHECK(error.find("line 3") != std::string::npos); // one sample line missing
  CHECK_FALSE(m.load("shoal-cost-model 1\nk 1 one 0 f\n", &error));
  CHECK(error.find("line 2") != std::string::npos);
  CHECK_FALSE(m.load("shoal-cost-model 2\n", &error));
  CHECK(error.find("line 1") != std::string::npos);
  CHECK(m.save() == before);
  REQUIRE(m.load("shoal-cost-model 1\n", &error));
  CHECK(m.profile().empty());
}

TEST_CASE("cost model files: atomic save, missing file loads empty", "[runtime][cost]") {
  auto dir = std::filesystem::temp_directory_path() / ("shoal_cost_test_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string path = (dir / "model.txt").string(), error;
  CostModel m;
  m.record("f", {7}, 0.5);
  m.refit();
  REQUIRE(m.save_file(path, &error));
  CostModel r;
  REQUIRE(r.load_file(path, &error));
  CHECK(r.save() == m.save());
  CHECK(std::distance(std::filesystem::directory_iterator(dir), {}) == 1); // no temporary left
  REQUIRE(r.load_file((dir / "missing.txt").string(), &error));
  CHECK(r.profile().empty());
  CHECK_FALSE(m.save_file((dir / "no" / "such" / "dir.txt").string(), &error));
  CHECK_FALSE(error.empty());
  std::filesystem::remove_all(dir);
}

TEST_CASE("cost model merge adds counters and samples", "[runtime][cost]") {
  CostModel a, b;
  a.record("f", {1}, 1.0);
  b.record("f", {2}, 3.0);
  b.record("g", {2}, 1.0);
  a.merge(b);
  a.refit();
  auto p = a.profile();
  REQUIRE(p.size() == 2);
  CHECK(p[0].key == "f");
  CHECK(p[0].calls == 2);
  CHECK(p[0].total == 4.0);
  CHECK(p[0].fit.samples == 2);
}

TEST_CASE("features of runtime values", "[runtime][cost]") {
  gc_init();
  Ctx c{};
  c.memory_limit = 1 << 30;
  c.depth_limit = 1000;
  Val items[] = {box_int(3), box_int(4)};
  Table* d = dict_new(0);
  dict_set(&c, d, box_int(1), box_int(2));
  dict_set(&c, d, box_int(2), box_int(3));
  dict_set(&c, d, box_int(5), box_int(3));
  Table* s = set_new(0);
  set_add(&c, s, box_int(9));
  Val args[] = {box_int(-42),
                box_ptr(Tag::Str, str_new("hello")),
                box_ptr(Tag::List, list_from(2, items)),
                tuple_of({box_int(1), box_int(2), box_int(3)}),
                box_ptr(Tag::Dict, d),
                range_new(&c, 0, 100, 3),
                box_ptr(Tag::Set, s),
                box_float(2.5),
                box_bool(true),
                none()};
  REQUIRE(c.exc == nullptr);
  std::vector<double> want = {42, 5, 2, 3, 3, 34, 1, 0, 0, 0};
  CHECK(features_of(args, std::size(args)) == want);
  CHECK(features_of(args, 0).empty());
  Val big[] = {int_from_double(&c, std::ldexp(-1.0, 70)), int_from_string(&c, "1" + std::string(400, '0'))};
  REQUIRE(big[0].tag == Tag::Big);
  REQUIRE(big[1].tag == Tag::Big);
  CHECK(features_of(big, 2) == std::vector<double>{std::ldexp(1.0, 71), std::ldexp(1.0, 1023)});
}
