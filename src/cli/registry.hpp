#pragma once
// The table of subcommands. Adding one: docs/adding-a-subcommand.md.
#include <CLI/CLI.hpp>
#include <functional>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::cli {

// What a command produced: the whole of stdout, written once by main, and the exit code
// (0, or 3 when the check ran and found a problem).
struct CommandOutput {
  std::string text;
  int exit_code = 0;
  bool human = true; // a table a terminal may colour (false: JSON, CSV, Markdown, scripts, roff)
};

// Runs the command after parsing succeeded; the catalog is loaded by then.
using Runner = std::function<CommandOutput(const catalog::Catalog&)>;

struct CommandSpec {
  const char* name;
  const char* summary;
  // Adds the subcommand and its options to `app`; returns the runner bound to them.
  Runner (*add)(CLI::App& app, const CommandSpec& spec);
  // Reads every command's options (completion scripts, the man page): main builds them all.
  bool reads_all_commands = false;
  bool hidden = false; // left out of --help and the completions (the build runs it)
};

const std::vector<CommandSpec>& commands();

// One file per subcommand.
Runner add_size_command(CLI::App& app, const CommandSpec& spec);
Runner add_cost_command(CLI::App& app, const CommandSpec& spec);
Runner add_compare_command(CLI::App& app, const CommandSpec& spec);
Runner add_pick_command(CLI::App& app, const CommandSpec& spec);
Runner add_check_command(CLI::App& app, const CommandSpec& spec);
Runner add_completion_command(CLI::App& app, const CommandSpec& spec);
Runner add_manpage_command(CLI::App& app, const CommandSpec& spec);
Runner add_show_command(CLI::App& app, const CommandSpec& spec);
Runner add_catalog_command(CLI::App& app, const CommandSpec& spec);
Runner add_list_command(CLI::App& app, const CommandSpec& spec);
Runner add_license_check_command(CLI::App& app, const CommandSpec& spec);

} // namespace modelpick::cli
