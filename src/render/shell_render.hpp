#pragma once
// The CLI described for shells and man: bash and zsh completion scripts and a man page, all
// generated from the same command table and help text the binary prints.
#include <string>
#include <vector>

namespace modelpick::render {

// What a completion script offers after an option.
enum class ValueKind { none, word, file, model, gpu, precision };

struct OptionInfo {
  std::string name; // "--gpu"
  ValueKind value = ValueKind::none;
};

struct CommandInfo {
  std::string name;
  std::string summary;
  std::vector<OptionInfo> options;
  bool takes_models = false; // positional MODEL ids
  std::string help;          // the command's --help text
};

struct ShellInfo {
  std::vector<CommandInfo> commands;
  std::vector<OptionInfo> global_options;
  std::vector<std::string> models; // ids and aliases
  std::vector<std::string> gpus;
  std::vector<std::string> precisions;
  std::string version;
  std::string main_help;
};

std::string bash_completion(const ShellInfo& info);
std::string zsh_completion(const ShellInfo& info);
std::string man_page(const ShellInfo& info);

} // namespace modelpick::render
