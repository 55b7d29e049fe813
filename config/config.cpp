#include "config/config.hpp"

#include <boost/program_options.hpp>

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <charconv>
#include <climits>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>
#include <utility>

namespace shoal::config {
namespace {

namespace po = boost::program_options;

/// A parse failure whose what() is already the final "shoal: ..." message.
struct config_error : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// One `name = value`, from the command line (where empty) or a file line ("node.ini:3").
struct setting {
  std::string name;
  std::string value;
  std::string where;
};

/// Stores a textual value into a config; throws std::invalid_argument saying what was expected.
using setter = void (*)(node_config&, const std::string&);

/// One option: how --help shows it and how its value lands in a node_config.
struct option_spec {
  std::string name;
  std::string value_name;   // empty: a flag without a value on the command line
  std::string default_text; // empty: no default shown
  std::string help;
  setter set = nullptr; // null for --config and --help, which are not settings
  bool in_run = false;  // also a `shoal run` command-line option
};

// ---- small text helpers ----

std::string trim(std::string_view s) {
  const auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string_view::npos) return "";
  const auto end = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(begin, end - begin + 1));
}

std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}

/// Replaces control characters so a message stays on one line.
std::string one_line(std::string s) {
  for (auto& ch : s)
    if (static_cast<unsigned char>(ch) < 0x20 || ch == 0x7f) ch = '?';
  return s;
}

[[noreturn]] void fail(const std::string& where, const std::string& text) {
  throw config_error("shoal: " + (where.empty() ? "" : where + ": ") + text);
}

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t replace = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      diagonal = std::exchange(row[j], std::min({row[j] + 1, row[j - 1] + 1, replace}));
    }
  }
  return row[b.size()];
}

/// " (did you mean 'X'?)" for the closest of names when it is a plausible typo, else "".
std::string did_you_mean(const std::string& name, const std::vector<std::string>& names,
                         const std::string& prefix) {
  const std::string* best = nullptr;
  size_t best_distance = 3;
  for (const auto& candidate : names) {
    const size_t d = edit_distance(name, candidate);
    if (d < best_distance && d * 2 < candidate.size()) best = &candidate, best_distance = d;
  }
  return best ? " (did you mean '" + prefix + *best + "'?)" : "";
}

// ---- value parsers ----

uint64_t parse_whole(const std::string& text, uint64_t low, uint64_t high,
                     const std::string& expected) {
  const std::string s = trim(text);
  uint64_t n = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size() || n < low || n > high)
    throw std::invalid_argument(expected);
  return n;
}

bool parse_bool(const std::string& text) {
  const std::string s = lower(trim(text));
  if (s == "true" || s == "yes" || s == "on" || s == "1") return true;
  if (s == "false" || s == "no" || s == "off" || s == "0") return false;
  throw std::invalid_argument("expected true or false");
}

std::string home_dir() {
  if (const char* home = std::getenv("HOME"); home && *home) return home;
  if (const passwd* pw = getpwuid(getuid()); pw && pw->pw_dir && *pw->pw_dir) return pw->pw_dir;
  return "";
}

/// "~" and "~/x" become the home directory (config files get no shell expansion).
std::string expand_home(const std::string& path) {
  if (path != "~" && path.rfind("~/", 0) != 0) return path;
  const std::string home = home_dir();
  return home.empty() ? path : home + path.substr(1);
}

/// Validates a comma list of dump stages; returns it without spaces or repeats.
std::string normalize_dump(const std::string& text) {
  static const std::vector<std::string> stages{"ast", "ir", "llvm"};
  std::vector<std::string> picked;
  std::istringstream items(text);
  for (std::string item; std::getline(items, item, ',');) {
    item = lower(trim(item));
    if (std::find(stages.begin(), stages.end(), item) == stages.end())
      throw std::invalid_argument("expected a comma list of ast, ir, llvm");
    if (std::find(picked.begin(), picked.end(), item) == picked.end()) picked.push_back(item);
  }
  if (!text.empty() && text.back() == ',') throw std::invalid_argument("empty stage in the list");
  std::string out;
  for (const auto& stage : picked) out += (out.empty() ? "" : ",") + stage;
  return out;
}

/// Whether s contains whitespace or control characters (not allowed in addresses).
bool has_blank(const std::string& s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char ch) { return ch <= ' ' || ch == 0x7f; });
}

void check_seed(const std::string& seed) {
  const auto colon = seed.rfind(':');
  const std::string expected = "expected host:port with a port from 1 to 65535";
  if (colon == std::string::npos || colon == 0 || has_blank(seed))
    throw std::invalid_argument(expected);
  parse_whole(seed.substr(colon + 1), 1, 65535, expected);
}

// ---- setters, one per option ----

void set_host(node_config& c, const std::string& v) {
  if (v.empty() || has_blank(v)) throw std::invalid_argument("expected a host name or address");
  c.host = v;
}

void set_port(node_config& c, const std::string& v) {
  c.port = static_cast<uint16_t>(parse_whole(v, 0, 65535, "expected a port from 0 to 65535"));
}

void set_workers(node_config& c, const std::string& v) {
  c.workers = static_cast<unsigned>(
      parse_whole(v, 0, UINT_MAX, "expected a whole number of threads, 0 = all cores"));
}

void set_memory_limit(node_config& c, const std::string& v) { c.memory_limit = parse_size(v); }

void set_data_dir(node_config& c, const std::string& v) {
  if (v.empty()) throw std::invalid_argument("expected a directory path");
  c.data_dir = expand_home(v);
}

void set_log_level(node_config& c, const std::string& v) {
  const std::string level = lower(trim(v));
  if (level != "error" && level != "warning" && level != "info" && level != "debug")
    throw std::invalid_argument("expected one of error, warning, info, debug");
  c.log_level = level;
}

void add_seed(node_config& c, const std::string& v) {
  check_seed(v);
  c.seeds.push_back(v);
}

void set_recursion_limit(node_config& c, const std::string& v) {
  c.recursion_limit = static_cast<unsigned>(
      parse_whole(v, 1, INT_MAX, "expected a whole number from 1 to 2147483647"));
}

void set_dump(node_config& c, const std::string& v) { c.dump = normalize_dump(v); }

void set_progress(node_config& c, const std::string& v) { c.progress = parse_bool(v); }

void set_no_progress(node_config& c, const std::string& v) { c.progress = !parse_bool(v); }

// ---- the option table and what is built from it ----

std::vector<option_spec> option_table() {
  return {
      {"config", "FILE", "", "read options from FILE; the command line wins", nullptr, true},
      {"host", "ADDR", "127.0.0.1", "listen address", set_host, false},
      {"port", "N", "7788", "listen port; 0 picks a free one", set_port, false},
      {"workers", "N", "0", "worker threads; 0 = all cores", set_workers, true},
      {"memory-limit", "SIZE", "0", "memory one call may use, e.g. 4G; 0 = 3/4 of RAM",
       set_memory_limit, true},
      {"data-dir", "DIR", default_data_dir(), "where persisted state lives", set_data_dir, false},
      {"log-level", "LEVEL", "warning", "error, warning, info or debug", set_log_level, true},
      {"seed", "HOST:PORT", "", "another node to join; repeatable (default none)", add_seed, false},
      {"recursion-limit", "N", "1000", "Python recursion limit for compiled calls",
       set_recursion_limit, true},
      {"dump", "STAGES", "", "dump compiler stages: ast,ir,llvm (default none)", set_dump, true},
      {"progress", "BOOL", "true", "live progress line on a TTY", set_progress, false},
      {"no-progress", "", "", "no live progress line (progress = false)", set_no_progress, true},
      {"help", "", "", "show this help and exit", nullptr, true},
  };
}

const option_spec* find_spec(const std::vector<option_spec>& table, const std::string& name) {
  for (const auto& spec : table)
    if (spec.name == name) return &spec;
  return nullptr;
}

std::vector<std::string> names_of(const std::vector<option_spec>& table, bool run_only) {
  std::vector<std::string> names;
  for (const auto& spec : table)
    if (spec.in_run || !run_only) names.push_back(spec.name);
  return names;
}

po::options_description describe(const std::vector<option_spec>& table, bool run_only) {
  po::options_description desc("Options", 100, 50);
  auto add = desc.add_options();
  for (const auto& spec : table) {
    if (run_only && !spec.in_run) continue;
    const std::string key = spec.name == "help" ? "help,h" : spec.name;
    if (spec.value_name.empty()) {
      add(key.c_str(), spec.help.c_str());
      continue;
    }
    auto* value = po::value<std::string>()->value_name(spec.value_name);
    if (!spec.default_text.empty()) value->default_value(spec.default_text);
    add(key.c_str(), value, spec.help.c_str());
  }
  return desc;
}

std::string help_text(const std::string& usage, const po::options_description& desc,
                      const std::string& note) {
  std::ostringstream out;
  out << "Usage: " << usage << "\n\n"
      << desc << "\nAny option but --config and --help can also be a `name = value` line in\n"
      << "the --config file (# starts a comment); the command line wins over the file." << note
      << "\n";
  return out.str();
}

// ---- command line ----

/// Boost's command-line parser without abbreviations; its errors become config_error.
po::parsed_options tokenize(const std::vector<std::string>& args,
                            const po::options_description& desc,
                            const std::vector<std::string>& names) {
  const int style = po::command_line_style::unix_style & ~po::command_line_style::allow_guessing;
  try {
    return po::command_line_parser(args).options(desc).style(style).run();
  } catch (const po::unknown_option& e) {
    const std::string typed = e.get_option_name();
    const std::string name = typed.substr(0, typed.find('='));
    const std::string bare = name.substr(std::min(name.find_first_not_of('-'), name.size()));
    fail("", "unknown option '" + name + "'" + did_you_mean(bare, names, "--"));
  } catch (const po::error& e) {
    fail("", e.what());
  }
}

/// The command line as settings (flags get the value "true"); rejects stray arguments.
std::vector<setting> command_line(const std::vector<std::string>& args, bool run_only) {
  const auto table = option_table();
  const auto parsed = tokenize(args, describe(table, run_only), names_of(table, run_only));
  std::vector<setting> out;
  for (const auto& option : parsed.options) {
    if (option.string_key.empty())
      fail("", "unexpected argument '" + option.original_tokens.front() + "'");
    out.push_back({option.string_key, option.value.empty() ? "true" : option.value.front(), ""});
  }
  return out;
}

std::optional<std::string> last_value(const std::vector<setting>& settings,
                                      const std::string& name) {
  std::optional<std::string> value;
  for (const auto& s : settings)
    if (s.name == name) value = s.value;
  return value;
}

// ---- config file ----

std::string read_text(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    fail(path, "cannot read config file (is a directory)");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(path, std::string("cannot read config file (") + std::strerror(errno) + ")");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) fail(path, "cannot read config file (read error)");
  return text.str();
}

/// Drops a comment: '#' or ';' at the start of the line or after whitespace.
std::string strip_comment(const std::string& line) {
  for (size_t i = 0; i < line.size(); ++i)
    if ((line[i] == '#' || line[i] == ';') &&
        (i == 0 || std::isspace(static_cast<unsigned char>(line[i - 1]))))
      return line.substr(0, i);
  return line;
}

std::string unquote(const std::string& value) {
  const bool quoted = value.size() >= 2 && (value.front() == '"' || value.front() == '\'') &&
                      value.back() == value.front();
  return quoted ? value.substr(1, value.size() - 2) : value;
}

void check_file_key(const setting& s, const std::vector<option_spec>& table) {
  const option_spec* spec = find_spec(table, s.name);
  if (!spec)
    fail(s.where,
         "unknown option '" + s.name + "'" + did_you_mean(s.name, names_of(table, false), ""));
  if (!spec->set) fail(s.where, "option '" + s.name + "' cannot be set in a config file");
}

std::optional<setting> parse_line(const std::string& line, const std::string& where,
                                  const std::vector<option_spec>& table) {
  const std::string text = trim(strip_comment(line));
  if (text.empty()) return std::nullopt;
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0)
    fail(where, "malformed line '" + text + "' (expected 'name = value')");
  setting s{trim(text.substr(0, eq)), unquote(trim(text.substr(eq + 1))), where};
  check_file_key(s, table);
  return s;
}

std::vector<setting> file_settings(const std::string& path, const std::vector<option_spec>& table) {
  if (path.empty()) fail("", "option '--config' needs a file name");
  std::istringstream in(read_text(path));
  std::vector<setting> out;
  int number = 0;
  for (std::string line; std::getline(in, line);)
    if (auto s = parse_line(line, path + ":" + std::to_string(++number), table)) out.push_back(*s);
  return out;
}

// ---- building a config ----

/// Applies one layer (file or command line) over c. Later values win within a layer; seeds of
/// a layer replace those of the layers below it.
void apply(node_config& c, const std::vector<setting>& layer,
           const std::vector<option_spec>& table) {
  bool seeds_replaced = false;
  for (const auto& s : layer) {
    const option_spec* spec = find_spec(table, s.name);
    if (!spec || !spec->set) continue;
    if (s.name == "seed" && !std::exchange(seeds_replaced, true)) c.seeds.clear();
    try {
      spec->set(c, s.value);
    } catch (const std::invalid_argument& e) {
      const std::string shown = (s.where.empty() ? "--" : "") + s.name;
      fail(s.where,
           "invalid value '" + s.value + "' for option '" + shown + "' (" + e.what() + ")");
    }
  }
}

node_config build(const std::vector<setting>& cli) {
  const auto table = option_table();
  node_config c;
  if (auto path = last_value(cli, "config")) apply(c, file_settings(*path, table), table);
  apply(c, cli, table);
  return c;
}

struct split_args {
  std::vector<std::string> options; // before the script
  std::vector<std::string> rest;    // script and its arguments
};

bool takes_next_token(const std::string& arg, const po::options_description& desc) {
  if (arg.rfind("--", 0) != 0 || arg.find('=') != std::string::npos) return false;
  const po::option_description* option = desc.find_nothrow(arg.substr(2), false);
  return option && option->semantic()->max_tokens() > 0;
}

/// Splits `shoal run` args at the script path: the first token that is neither an option nor
/// an option's value. A `--` also ends the options and is dropped.
split_args split_at_script(const std::vector<std::string>& args) {
  const auto desc = run_options();
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--" || arg.size() < 2 || arg[0] != '-') break;
    if (takes_next_token(arg, desc)) ++i;
  }
  const size_t end = std::min(i, args.size());
  split_args out{{args.begin(), args.begin() + end}, {}};
  if (end < args.size()) out.rest.assign(args.begin() + end + (args[end] == "--"), args.end());
  return out;
}

template <class Outcome, class Fn> Outcome guarded(Fn&& fn) {
  Outcome failed;
  failed.exit_code = 2;
  try {
    return fn();
  } catch (const config_error& e) {
    failed.message = one_line(e.what());
  } catch (const std::exception& e) {
    failed.message = one_line(std::string("shoal: ") + e.what());
  }
  return failed;
}

} // namespace

po::options_description node_options() { return describe(option_table(), false); }

po::options_description run_options() { return describe(option_table(), true); }

parse_outcome parse_node_options(const std::vector<std::string>& args) {
  return guarded<parse_outcome>([&]() -> parse_outcome {
    const auto cli = command_line(args, false);
    if (last_value(cli, "help"))
      return {std::nullopt, 0, help_text("shoal node [options]", node_options(), "")};
    return {build(cli), 0, ""};
  });
}

run_outcome parse_run_options(const std::vector<std::string>& args) {
  return guarded<run_outcome>([&]() -> run_outcome {
    const auto split = split_at_script(args);
    const auto cli = command_line(split.options, true);
    const std::string usage = "shoal run [options] script.py [script args...]";
    const std::string note = "\nThe file may also set any `shoal node` option.";
    if (last_value(cli, "help")) return {std::nullopt, 0, help_text(usage, run_options(), note)};
    if (split.rest.empty()) fail("", "run: missing script path (usage: " + usage + ")");
    run_config run{build(cli), split.rest.front(), {split.rest.begin() + 1, split.rest.end()}};
    return {std::move(run), 0, ""};
  });
}

namespace {

/// A size as written: digits before and after an optional point, then a suffix.
struct size_text {
  std::string whole, fraction, suffix;
  bool point = false;
};

size_text split_size(const std::string& s) {
  size_text t;
  size_t i = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) t.whole += s[i++];
  if (i < s.size() && s[i] == '.') {
    t.point = true;
    while (++i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) t.fraction += s[i];
  }
  t.suffix = trim(s.substr(i));
  return t;
}

/// Binary multiplier of a suffix: K, M, G or T, each optionally followed by B or iB, any case;
/// "" and "B" mean bytes.
uint64_t size_multiplier(const std::string& suffix) {
  const std::string s = lower(suffix);
  if (s.empty() || s == "b") return 1;
  const auto unit = std::string_view("kmgt").find(s.front());
  const std::string tail = s.substr(1);
  if (unit == std::string_view::npos || (!tail.empty() && tail != "b" && tail != "ib"))
    throw std::invalid_argument("unknown size suffix '" + suffix + "', expected K, M, G or T");
  return uint64_t{1} << (10 * (unit + 1));
}

__extension__ typedef unsigned __int128 uint128; // exact size arithmetic without overflow

/// (whole.fraction) * multiplier, rounded down; throws when it does not fit 64 bits.
uint64_t scaled(const std::string& whole, const std::string& fraction, uint64_t multiplier) {
  if (whole.size() > 20) throw std::invalid_argument("size too large");
  uint128 bytes = 0, numerator = 0, denominator = 1;
  for (char digit : whole) bytes = bytes * 10 + static_cast<unsigned>(digit - '0');
  for (size_t i = 0; i < fraction.size() && i < 18; ++i) {
    numerator = numerator * 10 + static_cast<unsigned>(fraction[i] - '0');
    denominator *= 10;
  }
  bytes = bytes * multiplier + numerator * multiplier / denominator;
  if (bytes > UINT64_MAX) throw std::invalid_argument("size too large");
  return static_cast<uint64_t>(bytes);
}

} // namespace

uint64_t parse_size(const std::string& text) {
  const size_text t = split_size(trim(text));
  if ((t.whole.empty() && t.fraction.empty()) || (t.point && t.fraction.empty()))
    throw std::invalid_argument("expected a size like 512M, 4G, 1.5G or plain bytes");
  const uint64_t multiplier = size_multiplier(t.suffix);
  if (!t.fraction.empty() && multiplier == 1)
    throw std::invalid_argument("a byte count must be a whole number");
  return scaled(t.whole, t.fraction, multiplier);
}

std::string default_data_dir() {
  if (const char* state = std::getenv("XDG_STATE_HOME"); state && state[0] == '/')
    return (std::filesystem::path(state) / "shoal").string();
  const std::string home = home_dir();
  return home.empty() ? ".shoal" : home + "/.local/state/shoal";
}

node_config resolved(node_config config) {
  if (config.workers == 0) config.workers = std::max(1u, std::thread::hardware_concurrency());
  if (config.memory_limit == 0) {
    const long pages = sysconf(_SC_PHYS_PAGES), page_size = sysconf(_SC_PAGESIZE);
    const uint64_t physical =
        pages > 0 && page_size > 0 ? uint64_t(pages) * uint64_t(page_size) : uint64_t{4} << 30;
    config.memory_limit = physical / 4 * 3;
  }
  if (config.data_dir.empty()) config.data_dir = default_data_dir();
  return config;
}

} // namespace shoal::config
