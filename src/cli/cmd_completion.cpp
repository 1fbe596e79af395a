// modelpick completion bash|zsh: a completion script for the shell; modelpick manpage (hidden):
// the man page, generated at build time. Both come from the command table and help text.
#include <fmt/format.h>
#include <memory>

#include "../render/shell_render.hpp"
#include "modelpick/error.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

render::ValueKind value_kind(const CLI::Option& option) {
  if (option.get_type_size() == 0) {
    return render::ValueKind::none;
  }
  const auto names = option.get_lnames();
  const std::string name = names.empty() ? option.get_name() : names.front();
  if (name == "gpu") {
    return render::ValueKind::gpu;
  }
  if (name == "precision") {
    return render::ValueKind::precision;
  }
  if (name == "api" || name == "explain") {
    return render::ValueKind::model;
  }
  if (name == "config" || name == "catalog" || name == "svg") {
    return render::ValueKind::file;
  }
  return render::ValueKind::word;
}

std::vector<render::OptionInfo> options_of(const CLI::App& app) {
  std::vector<render::OptionInfo> out;
  for (const CLI::Option* o : app.get_options()) {
    if (o->get_positional() || o->get_lnames().empty() || o->get_lnames().front() == "help" ||
        o->get_lnames().front() == "version") {
      continue;
    }
    out.push_back({"--" + o->get_lnames().front(), value_kind(*o)});
  }
  return out;
}

render::ShellInfo shell_info(CLI::App& root, const catalog::Catalog& catalog) {
  render::ShellInfo info;
  info.version = fmt::format("{} (catalog {})", MODELPICK_VERSION, MODELPICK_CATALOG_DATE);
  // The formatter directly: App::help() would describe the subcommand being run.
  info.main_help = root.get_formatter()->make_help(&root, "modelpick", CLI::AppFormatMode::Normal);
  info.global_options = options_of(root);
  for (const CLI::App* sub : root.get_subcommands([](CLI::App* a) { return !a->get_group().empty(); })) {
    render::CommandInfo c;
    c.name = sub->get_name();
    c.summary = sub->get_description();
    c.options = options_of(*sub);
    for (const CLI::Option* o : sub->get_options()) {
      c.takes_models = c.takes_models || (o->get_positional() && o->get_name() == "MODEL");
    }
    c.help = sub->get_formatter()->make_help(sub, "modelpick " + c.name, CLI::AppFormatMode::Normal);
    info.commands.push_back(std::move(c));
  }
  for (const catalog::Model& m : catalog.models()) {
    info.models.push_back(m.id);
  }
  for (const catalog::Gpu& g : catalog.gpus()) {
    info.gpus.push_back(g.id);
  }
  for (const catalog::Precision& p : catalog.precisions()) {
    info.precisions.push_back(p.id);
  }
  return info;
}

} // namespace

Runner add_completion_command(CLI::App& app, const CommandSpec& spec) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->add_option("SHELL", *shell, "bash or zsh")->required();
  cmd->footer("Examples:\n"
              "  source <(modelpick completion bash)\n"
              "  modelpick completion zsh > \"${fpath[1]}/_modelpick\"\n"
              "cmake --install installs both (share/bash-completion, share/zsh/site-functions).\n");
  return [shell, &app](const catalog::Catalog& catalog) {
    CommandOutput out;
    out.human = false;
    if (*shell == "bash") {
      out.text = render::bash_completion(shell_info(app, catalog));
    } else if (*shell == "zsh") {
      out.text = render::zsh_completion(shell_info(app, catalog));
    } else {
      throw Error(ErrorKind::usage, fmt::format("completion '{}' is not accepted: expected bash or zsh", *shell));
    }
    return out;
  };
}

Runner add_manpage_command(CLI::App& app, const CommandSpec& spec) {
  app.add_subcommand(spec.name, spec.summary);
  return [&app](const catalog::Catalog& catalog) {
    CommandOutput out;
    out.human = false;
    out.text = render::man_page(shell_info(app, catalog));
    return out;
  };
}

} // namespace modelpick::cli
