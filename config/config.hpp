#pragma once
/// Options of `shoal node` and `shoal run`: parsed from the command line and from an INI-style
/// --config file (command line wins), validated, and turned into a node_config. Errors never
/// escape as exceptions: they come back as exit code 2 and one line starting with "shoal: ".

#include <boost/program_options/options_description.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace shoal::config {

/// Everything a node needs to start. Zero / empty fields mean "pick for me"; resolved() picks.
struct node_config {
  std::string host = "127.0.0.1";    ///< listen address
  uint16_t port = 7788;              ///< listen port (0 = pick a free port)
  unsigned workers = 0;              ///< worker threads; 0 = all cores
  uint64_t memory_limit = 0;         ///< bytes one call may use; 0 = 3/4 of physical memory
  std::string data_dir = "";         ///< where persisted state lives; empty = default_data_dir()
  std::string log_level = "warning"; ///< one of: error, warning, info, debug
  std::vector<std::string> seeds;    ///< host:port of other nodes
  unsigned recursion_limit = 1000;   ///< Python recursion limit for compiled calls
  std::string dump;                  ///< compiler stages to dump: comma list of ast, ir, llvm
  bool progress = true;              ///< live progress line on a TTY
};

/// What `shoal run` needs: the embedded node's settings, the script and its untouched arguments.
struct run_config {
  node_config node;                     ///< settings of the embedded node
  std::string script;                   ///< path of the Python script
  std::vector<std::string> script_args; ///< everything after the script path, verbatim
};

/// Result of parse_node_options. No config: print message (stdout if exit_code is 0, else
/// stderr) and exit with exit_code. message is the help text or the one-line error.
struct parse_outcome {
  std::optional<node_config> config; ///< set on success
  int exit_code = 0;                 ///< 0 for success and --help, 2 for any error
  std::string message;               ///< help text, or the one-line error
};

/// Result of parse_run_options; same contract as parse_outcome.
struct run_outcome {
  std::optional<run_config> config; ///< set on success
  int exit_code = 0;                ///< 0 for success and --help, 2 for any error
  std::string message;              ///< help text, or the one-line error
};

/// Every `shoal node` option, each with its default and a one-line description (for --help).
boost::program_options::options_description node_options();

/// The `shoal run` command-line options: workers, memory-limit, log-level, dump,
/// recursion-limit, no-progress, config, help.
boost::program_options::options_description run_options();

/// Parses the arguments after `shoal node`, e.g. {"--config", "node.ini", "--workers", "4"}.
parse_outcome parse_node_options(const std::vector<std::string>& args);

/// Parses the arguments after `shoal run`: [options] script.py [script args...]. Everything
/// from the script path on (or after a `--`) goes to the script untouched.
run_outcome parse_run_options(const std::vector<std::string>& args);

/// Parses a byte size: plain bytes ("1048576") or a number with a binary suffix K, M, G, T
/// (optionally followed by B or iB, any case): "512M", "4G", "1.5G". Throws std::invalid_argument.
uint64_t parse_size(const std::string& text);

/// $XDG_STATE_HOME/shoal when that is an absolute path, else ~/.local/state/shoal.
std::string default_data_dir();

/// A copy of config with the "pick for me" values made concrete: workers (all cores),
/// memory_limit (3/4 of physical memory) and data_dir (default_data_dir()).
node_config resolved(node_config config);

} // namespace shoal::config
