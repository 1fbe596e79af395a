// modelpick show MODEL [--json]
#include <memory>

#include "../render/show_render.hpp"
#include "../render/size_render.hpp"
#include "common_options.hpp"
#include "modelpick/engine/summary.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

struct ShowOptions {
  std::string model;
  bool json = false;
};

} // namespace

Runner add_show_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<ShowOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->add_option("MODEL", o->model, "Catalog id, alias or Hugging Face repo id")->required();
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick show deepseek-v3            # architecture, license, prices, each with its source\n"
              "  modelpick show meta-llama/Llama-3.1-70B-Instruct --json | jq .model.sources\n"
              "Exit codes: 0 shown, 2 unknown model (the closest ids are suggested), 1 data error.\n");
  return [o](const catalog::Catalog& catalog) {
    const engine::ModelSummary summary = engine::summarize(catalog, catalog.model(o->model));
    return CommandOutput{o->json ? render::document("show", catalog.version(), render::show_json(summary))
                                 : render::show_text(summary),
                         0};
  };
}

} // namespace modelpick::cli
