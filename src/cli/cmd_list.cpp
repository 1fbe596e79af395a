// modelpick list [--gpus | --precisions] [--json]
#include <memory>

#include "../render/list_render.hpp"
#include "../render/size_render.hpp"
#include "common_options.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

struct ListOptions {
  bool gpus = false;
  bool precisions = false;
  bool json = false;
};

} // namespace

Runner add_list_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  auto* gpus = cmd->add_flag("--gpus", o->gpus, "List GPUs instead of models");
  cmd->add_flag("--precisions", o->precisions, "List precisions instead of models")->excludes(gpus);
  add_json_flag(*cmd, o->json);
  return [o](const catalog::Catalog& catalog) {
    const render::ListWhat what = o->gpus         ? render::ListWhat::gpus
                                  : o->precisions ? render::ListWhat::precisions
                                                  : render::ListWhat::models;
    return CommandOutput{o->json ? render::document("list", catalog.version(), render::list_json(catalog, what))
                                 : render::list_table(catalog, what),
                         0};
  };
}

} // namespace modelpick::cli
