#include "config/config.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

using namespace shoal;
using config::node_config;
using config::parse_node_options;
using config::parse_run_options;
using config::parse_size;

namespace {

/// A config file in the temp directory, removed at scope end.
class temp_file {
public:
  explicit temp_file(const std::string& text) {
    static int counter = 0;
    path_ = std::filesystem::temp_directory_path() /
            ("shoal_config_" + std::to_string(getpid()) + "_" + std::to_string(counter++) + ".ini");
    std::ofstream(path_, std::ios::binary) << text;
  }
  ~temp_file() { std::filesystem::remove(path_); }
  std::string path() const { return path_.string(); }

private:
  std::filesystem::path path_;
};

/// Sets (or unsets, for nullopt) an environment variable and restores it at scope end.
class scoped_env {
public:
  scoped_env(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    set(value);
  }
  ~scoped_env() { set(old_); }

private:
  void set(const std::optional<std::string>& value) {
    if (value)
      setenv(name_, value->c_str(), 1);
    else
      unsetenv(name_);
  }
  const char* name_;
  std::optional<std::string> old_;
};

node_config parsed(const std::vector<std::string>& args) {
  const auto outcome = parse_node_options(args);
  INFO(outcome.message);
  REQUIRE(outcome.config);
  CHECK(outcome.exit_code == 0);
  CHECK(outcome.message.empty());
  return *outcome.config;
}

/// The outcome is a usage error: exit code 2, one line "shoal: ...", naming every needle.
template <class Outcome>
void check_error(const Outcome& outcome, const std::vector<std::string>& needles) {
  INFO(outcome.message);
  CHECK_FALSE(outcome.config);
  CHECK(outcome.exit_code == 2);
  CHECK(outcome.message.rfind("shoal: ", 0) == 0);
  CHECK(outcome.message.find('\n') == std::string::npos);
  for (const auto& needle : needles) CHECK(outcome.message.find(needle) != std::string::npos);
}

void check_cli_error(const std::vector<std::string>& args,
                     const std::vector<std::string>& needles) {
  check_error(parse_node_options(args), needles);
}

void check_file_error(const std::string& text, const std::vector<std::string>& needles) {
  temp_file file(text);
  auto with_file = needles;
  with_file.push_back(file.path());
  check_error(parse_node_options({"--config", file.path()}), with_file);
}

const std::vector<std::string> all_options{
    "config",   "host",        "port", "workers",         "memory-limit",
    "data-dir", "log-level",   "seed", "recursion-limit", "dump",
    "progress", "no-progress", "help"};

const std::vector<std::string> run_only_options{
    "workers",         "memory-limit", "log-level", "dump",
    "recursion-limit", "no-progress",  "config",    "help"};

} // namespace

TEST_CASE("no arguments give the documented defaults", "[config]") {
  const node_config c = parsed({});
  CHECK(c.host == "127.0.0.1");
  CHECK(c.port == 7788);
  CHECK(c.workers == 0);
  CHECK(c.memory_limit == 0);
  CHECK(c.data_dir.empty());
  CHECK(c.log_level == "warning");
  CHECK(c.seeds.empty());
  CHECK(c.recursion_limit == 1000);
  CHECK(c.dump.empty());
  CHECK(c.progress);
}

TEST_CASE("every option is taken from the command line", "[config]") {
  const node_config c = parsed({"--host", "0.0.0.0", "--port=0", "--workers", "4", "--memory-limit",
                                "1.5G", "--data-dir", "/srv/shoal", "--log-level", "debug",
                                "--seed", "a:1", "--seed=[::1]:7789", "--recursion-limit", "5000",
                                "--dump", "llvm, ast", "--no-progress"});
  CHECK(c.host == "0.0.0.0");
  CHECK(c.port == 0);
  CHECK(c.workers == 4);
  CHECK(c.memory_limit == 1610612736);
  CHECK(c.data_dir == "/srv/shoal");
  CHECK(c.log_level == "debug");
  CHECK(c.seeds == std::vector<std::string>{"a:1", "[::1]:7789"});
  CHECK(c.recursion_limit == 5000);
  CHECK(c.dump == "llvm,ast");
  CHECK_FALSE(c.progress);
  CHECK_FALSE(parsed({"--progress", "false"}).progress);
  CHECK(parsed({"--workers", "2", "--workers", "3"}).workers == 3);
}

TEST_CASE("every option is taken from the config file", "[config]") {
  temp_file file("# a node\n"
                 "host = 10.0.0.1\n"
                 "\n"
                 "port=9000\r\n"
                 "  workers = 8   # eight\n"
                 "memory-limit = 512M\n"
                 "data-dir = \"/var/lib/shoal state\"\n"
                 "; another comment\n"
                 "log-level = INFO\n"
                 "seed = n1:7788\n"
                 "seed = n2:7788\n"
                 "recursion-limit = 3000\n"
                 "dump = ir\n"
                 "progress = false\n");
  const node_config c = parsed({"--config", file.path()});
  CHECK(c.host == "10.0.0.1");
  CHECK(c.port == 9000);
  CHECK(c.workers == 8);
  CHECK(c.memory_limit == 512ull << 20);
  CHECK(c.data_dir == "/var/lib/shoal state");
  CHECK(c.log_level == "info");
  CHECK(c.seeds == std::vector<std::string>{"n1:7788", "n2:7788"});
  CHECK(c.recursion_limit == 3000);
  CHECK(c.dump == "ir");
  CHECK_FALSE(c.progress);
}

TEST_CASE("a ~ in data-dir means the home directory", "[config]") {
  scoped_env home("HOME", "/home/someone");
  temp_file file("data-dir = ~/state\n");
  CHECK(parsed({"--config", file.path()}).data_dir == "/home/someone/state");
}

TEST_CASE("the command line wins over the config file", "[config]") {
  temp_file file("workers = 2\nport = 9000\nseed = f1:1\nseed = f2:2\nprogress = false\n"
                 "log-level = debug\n");
  const node_config c =
      parsed({"--workers", "6", "--config", file.path(), "--seed", "c:3", "--progress", "true"});
  CHECK(c.workers == 6);
  CHECK(c.port == 9000);
  CHECK(c.log_level == "debug");
  CHECK(c.seeds == std::vector<std::string>{"c:3"});
  CHECK(c.progress);
  temp_file progress_on("progress = true\n");
  CHECK_FALSE(parsed({"--config", progress_on.path(), "--no-progress"}).progress);
  temp_file seeds_only("seed = f1:1\n");
  CHECK(parsed({"--config", seeds_only.path()}).seeds == std::vector<std::string>{"f1:1"});
}

TEST_CASE("command-line errors are one line naming the option", "[config]") {
  check_cli_error({"--wrokers", "4"}, {"unknown option '--wrokers'", "did you mean '--workers'"});
  check_cli_error({"--work", "4"}, {"'--work'"}); // no guessing of abbreviations
  check_cli_error({"--workers", "abc"}, {"invalid value 'abc'", "'--workers'"});
  check_cli_error({"--workers", "-1"}, {"'--workers'"});
  check_cli_error({"--workers", "4.5"}, {"'--workers'"});
  check_cli_error({"--port", "70000"}, {"'70000'", "'--port'"});
  check_cli_error({"--memory-limit", "12Q"}, {"'12Q'", "'--memory-limit'"});
  check_cli_error({"--log-level", "loud"}, {"'loud'", "'--log-level'"});
  check_cli_error({"--dump", "foo"}, {"'foo'", "'--dump'"});
  check_cli_error({"--dump", "ast,"}, {"'--dump'"});
  check_cli_error({"--recursion-limit", "0"}, {"'--recursion-limit'"});
  check_cli_error({"--seed", "nohost"}, {"'nohost'", "'--seed'"});
  check_cli_error({"--host", ""}, {"'--host'"});
  check_cli_error({"--progress", "maybe"}, {"'--progress'"});
  check_cli_error({"--workers"}, {"--workers"});
  check_cli_error({"--no-progress=1"}, {"--no-progress"});
  check_cli_error({"stray"}, {"unexpected argument 'stray'"});
  check_cli_error({"--host", "a\nb"}, {"'--host'"});
}

TEST_CASE("config-file errors are one line naming the file and option", "[config]") {
  check_file_error("workers = 4\nwrokers = 4\n",
                   {":2: unknown option 'wrokers'", "did you mean 'workers'"});
  check_file_error("memory_limit = 4G\n", {"'memory_limit'", "did you mean 'memory-limit'"});
  check_file_error("workers = abc\n", {":1:", "invalid value 'abc'", "'workers'"});
  check_file_error("port = 70000\n", {"'port'"});
  check_file_error("memory-limit = 12Q\n", {"'memory-limit'"});
  check_file_error("log-level = loud\n", {"'log-level'"});
  check_file_error("dump = foo\n", {"'dump'"});
  check_file_error("# fine\njust some words\n", {":2: malformed line 'just some words'"});
  check_file_error("= 4\n", {"malformed line"});
  check_file_error("[node]\n", {"malformed line '[node]'"});
  check_file_error("config = other.ini\n", {"'config' cannot be set in a config file"});
  check_error(parse_node_options({"--config", "/nonexistent/node.ini"}),
              {"/nonexistent/node.ini", "cannot read config file"});
  check_error(parse_node_options({"--config", std::filesystem::temp_directory_path().string()}),
              {"cannot read config file"});
  check_error(parse_node_options({"--config", ""}), {"'--config'"});
}

TEST_CASE("help lists every option with its default", "[config]") {
  const auto outcome = parse_node_options({"--workers", "abc", "--help"});
  CHECK(outcome.exit_code == 0);
  CHECK_FALSE(outcome.config);
  for (const auto& name : all_options) {
    INFO(name);
    CHECK(outcome.message.find("--" + name) != std::string::npos);
  }
  for (const char* shown : {"(=127.0.0.1)", "(=7788)", "(=0)", "(=warning)", "(=1000)", "(=true)"})
    CHECK(outcome.message.find(shown) != std::string::npos);
  CHECK(outcome.message.find("(=" + config::default_data_dir() + ")") != std::string::npos);
  CHECK(parse_node_options({"-h"}).message == outcome.message);
}

TEST_CASE("parse_size reads bytes and binary suffixes", "[config]") {
  CHECK(parse_size("0") == 0);
  CHECK(parse_size("1048576") == 1048576);
  CHECK(parse_size("1K") == 1024);
  CHECK(parse_size("2k") == 2048);
  CHECK(parse_size("512M") == 512ull << 20);
  CHECK(parse_size("4G") == 4ull << 30);
  CHECK(parse_size("1.5G") == 1536ull << 20);
  CHECK(parse_size(".5K") == 512);
  CHECK(parse_size("1T") == 1ull << 40);
  CHECK(parse_size(" 2 GiB ") == 2ull << 30);
  CHECK(parse_size("3MB") == 3ull << 20);
  CHECK(parse_size("10B") == 10);
  CHECK(parse_size("0.001K") == 1);
  CHECK(parse_size("18446744073709551615") == UINT64_MAX);
  for (const char* bad : {"", "K", "12Q", "-1", "1.5", "1.G", "1..5G", "G4", "1e3", "4 G B", "0x10",
                          "18446744073709551616", "16777216T", "99999999999999999999999"}) {
    INFO(bad);
    CHECK_THROWS_AS(parse_size(bad), std::invalid_argument);
  }
}

TEST_CASE("default_data_dir follows XDG_STATE_HOME or else ~/.local/state", "[config]") {
  scoped_env home("HOME", "/home/someone");
  {
    scoped_env state("XDG_STATE_HOME", "/xdg/state/");
    CHECK(config::default_data_dir() == "/xdg/state/shoal");
  }
  {
    scoped_env state("XDG_STATE_HOME", "relative/ignored");
    CHECK(config::default_data_dir() == "/home/someone/.local/state/shoal");
  }
  scoped_env state("XDG_STATE_HOME", std::nullopt);
  CHECK(config::default_data_dir() == "/home/someone/.local/state/shoal");
}

TEST_CASE("resolved() makes the automatic values concrete", "[config]") {
  const node_config r = config::resolved(node_config{});
  CHECK(r.workers >= 1);
  CHECK(r.memory_limit > 0);
  CHECK(r.data_dir == config::default_data_dir());
  node_config fixed;
  fixed.workers = 3;
  fixed.memory_limit = 1024;
  fixed.data_dir = "/d";
  const node_config kept = config::resolved(fixed);
  CHECK((kept.workers == 3 && kept.memory_limit == 1024 && kept.data_dir == "/d"));
}

TEST_CASE("run takes options then the script and its untouched arguments", "[config]") {
  const auto outcome = parse_run_options(
      {"--workers", "2", "--memory-limit=1G", "--log-level", "info", "--dump", "ast",
       "--recursion-limit", "50", "--no-progress", "script.py", "--workers", "3", "-h", "x"});
  INFO(outcome.message);
  REQUIRE(outcome.config);
  const auto& run = *outcome.config;
  CHECK(run.node.workers == 2);
  CHECK(run.node.memory_limit == 1ull << 30);
  CHECK(run.node.log_level == "info");
  CHECK(run.node.dump == "ast");
  CHECK(run.node.recursion_limit == 50);
  CHECK_FALSE(run.node.progress);
  CHECK(run.script == "script.py");
  CHECK(run.script_args == std::vector<std::string>{"--workers", "3", "-h", "x"});
}

TEST_CASE("run: -- ends the options and a bare script works", "[config]") {
  const auto dashed = parse_run_options({"--workers", "1", "--", "-odd.py", "--help"});
  REQUIRE(dashed.config);
  CHECK(dashed.config->script == "-odd.py");
  CHECK(dashed.config->script_args == std::vector<std::string>{"--help"});
  const auto bare = parse_run_options({"s.py"});
  REQUIRE(bare.config);
  CHECK(bare.config->script == "s.py");
  CHECK(bare.config->script_args.empty());
  CHECK(bare.config->node.workers == 0);
}

TEST_CASE("run reads a config file with any node option and its command line wins", "[config]") {
  temp_file file("workers = 5\nport = 9100\nlog-level = debug\n");
  const auto outcome = parse_run_options({"--config", file.path(), "--log-level", "error", "s.py"});
  INFO(outcome.message);
  REQUIRE(outcome.config);
  CHECK(outcome.config->node.workers == 5);
  CHECK(outcome.config->node.port == 9100);
  CHECK(outcome.config->node.log_level == "error");
}

TEST_CASE("run errors and help", "[config]") {
  check_error(parse_run_options({}), {"missing script path"});
  check_error(parse_run_options({"--workers", "2"}), {"missing script path"});
  check_error(parse_run_options({"--port", "1", "s.py"}), {"unknown option '--port'"});
  check_error(parse_run_options({"--workers", "abc", "s.py"}), {"'abc'", "'--workers'"});
  check_error(parse_run_options({"--wrokers", "2", "s.py"}), {"did you mean '--workers'"});
  const auto help = parse_run_options({"--help"});
  CHECK(help.exit_code == 0);
  CHECK_FALSE(help.config);
  for (const auto& name : run_only_options) {
    INFO(name);
    CHECK(help.message.find("--" + name) != std::string::npos);
  }
  CHECK(help.message.find("--port") == std::string::npos);
}
