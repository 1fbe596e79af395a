// modelpick catalog add --config FILE --id ID [--hf-repo ORG/NAME] [--name N] [--publisher P] [--license L]
#include <fmt/format.h>
#include <memory>

#include "../render/catalog_entry_render.hpp"
#include "../render/size_render.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "modelpick/catalog/hf_config.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/error.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

struct CatalogOptions {
  std::string config;
  std::string id;
  std::string hf_repo;
  std::string name;
  std::string publisher;
  std::string license;
};

// A stored format the catalog holds no precision for would be sized as another one. Returns the
// catalog precision that stores it exactly (nullptr: the checkpoint is unquantised).
const catalog::Precision* require_catalog_precision(const catalog::ConfigImport& imported,
                                                    const catalog::Catalog& catalog) {
  if (!imported.stored_precision) {
    return nullptr;
  }
  const catalog::Precision& s = *imported.stored_precision;
  for (const catalog::Precision& p : catalog.precisions()) {
    if (p.weight_bits == s.weight_bits && p.group_size == s.group_size &&
        p.group_overhead_bits == s.group_overhead_bits && p.experts_only == s.experts_only &&
        p.attention_16bit == s.attention_16bit) {
      return &p;
    }
  }
  throw Error(ErrorKind::usage, fmt::format("the checkpoint is stored as {} ({} bits, group {}, {} bits per group), "
                                            "which no precision of the catalog describes; add one to "
                                            "data/precisions.json first",
                                            s.name, s.weight_bits, s.group_size, s.group_overhead_bits));
}

CommandOutput run_add(const CatalogOptions& o, const catalog::Catalog& catalog) {
  if (o.config.empty() || o.id.empty()) {
    throw Error(ErrorKind::usage, "catalog add needs --config FILE and --id ID");
  }
  if (!o.hf_repo.empty() && o.hf_repo.find('/') == std::string::npos) {
    throw Error(ErrorKind::usage,
                fmt::format("--hf-repo '{}' is not a Hugging Face repository id (ORG/NAME)", o.hf_repo));
  }
  catalog::ConfigImport imported = read_config_model(o.config);
  if (const catalog::Precision* stored = require_catalog_precision(imported, catalog)) {
    imported.model.native_precision = stored->id; // the entry names the precision that stores it exactly
  }
  const catalog::Model& m = imported.model;
  engine::ParamCounts params = engine::count_params(*m.architecture);
  const std::uint64_t mtp = params.mtp_layers * params.mtp_block.total() + params.mtp_other;
  render::EntryFacts facts;
  facts.id = o.id;
  facts.name = o.name.empty() ? (o.hf_repo.empty() ? m.name : o.hf_repo.substr(o.hf_repo.find('/') + 1)) : o.name;
  facts.publisher =
      o.publisher.empty() ? (o.hf_repo.empty() ? "" : o.hf_repo.substr(0, o.hf_repo.find('/'))) : o.publisher;
  facts.hf_repo = o.hf_repo;
  facts.license = o.license.empty() ? "unknown" : o.license;
  facts.source =
      o.hf_repo.empty() ? o.config : fmt::format("https://huggingface.co/{}/blob/main/config.json", o.hf_repo);
  facts.params_total = params.total - mtp;
  facts.params_active = params.active;
  nlohmann::ordered_json doc;
  doc["$comment"] = fmt::format("Built by modelpick catalog add from {} (rule: {}); check publisher, license and "
                                "params against the model card before adding it to data/models.json",
                                o.config, imported.rule);
  doc["models"] = nlohmann::ordered_json::array({render::model_entry(m, facts)});
  return CommandOutput{doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n", 0, false};
}

} // namespace

Runner add_catalog_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<CatalogOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->require_subcommand(1);
  CLI::App* add = cmd->add_subcommand("add", "Print a catalog entry (an overlay document) built from a config.json");
  add->add_option("--config", o->config, "The checkpoint's config.json")->type_name("FILE")->required();
  add->add_option("--id", o->id, "The catalog id to give it")->type_name("ID")->required();
  add->add_option("--hf-repo", o->hf_repo, "Its Hugging Face repository (ORG/NAME): alias and source URLs")
      ->type_name("REPO");
  add->add_option("--name", o->name, "Display name (default: the repository's name)")->type_name("NAME");
  add->add_option("--publisher", o->publisher, "Publisher (default: the repository's organisation)")->type_name("P");
  add->add_option("--license", o->license, "License id from data/licenses.json (default: unknown)")->type_name("L");
  cmd->footer("Examples:\n"
              "  modelpick catalog add --config ./Qwen3-Next-80B-A3B-Instruct/config.json --id qwen3-next-80b-a3b \\\n"
              "      --hf-repo Qwen/Qwen3-Next-80B-A3B-Instruct --license apache-2.0 > overlay.json\n"
              "  modelpick --catalog overlay.json size qwen3-next-80b-a3b --gpu h200\n"
              "Exit codes: 0 printed, 2 bad flags or a quantization not modelled, 1 a config that cannot be read.\n");
  return [o](const catalog::Catalog& catalog) { return run_add(*o, catalog); };
}

} // namespace modelpick::cli
