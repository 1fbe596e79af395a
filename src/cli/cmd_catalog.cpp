// modelpick catalog add --config FILE --id ID [--hf-repo ORG/NAME] [--name N] [--publisher P] [--license L]
// modelpick catalog audit [--json]
#include <algorithm>
#include <fmt/format.h>
#include <memory>

#include "../render/catalog_entry_render.hpp"
#include "../render/size_render.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "modelpick/catalog/audit.hpp"
#include "modelpick/catalog/hf_config.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/printable.hpp"
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
  bool json = false; // audit --json
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
  // these become catalog text: refused, not silently replaced, when they are not clean UTF-8
  for (const auto& [flag, value] : {std::pair<const char*, const std::string&>{"--id", o.id},
                                    {"--name", o.name},
                                    {"--publisher", o.publisher},
                                    {"--license", o.license},
                                    {"--hf-repo", o.hf_repo}}) {
    if (!util::is_printable(value)) {
      throw Error(ErrorKind::usage, fmt::format("{} '{}' is not accepted: expected UTF-8 text without control "
                                                "characters",
                                                flag, util::printable(value)));
    }
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

CommandOutput run_audit(const CatalogOptions& o, const catalog::Catalog& catalog) {
  const std::string day = today();
  const std::vector<catalog::Finding> findings = catalog::audit(catalog, day);
  CommandOutput out;
  const auto count = [&](bool time_dependent) {
    return std::count_if(findings.begin(), findings.end(),
                         [&](const catalog::Finding& f) { return catalog::time_dependent(f.kind) == time_dependent; });
  };
  if (o.json) {
    nlohmann::ordered_json j;
    j["schema_version"] = 1;
    j["command"] = "catalog audit";
    j["catalog_version"] = catalog.version();
    j["today"] = day;
    j["price_max_age_days"] = catalog::k_price_max_age_days;
    j["findings"] = nlohmann::ordered_json::array();
    for (const catalog::Finding& f : findings) {
      j["findings"].push_back(
          {{"kind", catalog::to_string(f.kind)},
           {"time_dependent", catalog::time_dependent(f.kind)},
           {"section", f.section},
           {"id", f.id},
           {"what", f.what},
           {"date", f.date.empty() ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(f.date)},
           {"age_days", f.age_days}});
    }
    out.text = j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
  } else {
    for (const catalog::Finding& f : findings) {
      switch (f.kind) {
      case catalog::FindingKind::stale_price:
        out.text += fmt::format("stale-price      {}[id={}]: {} {} is {} days old (more than {})\n", f.section, f.id,
                                f.what, f.date, f.age_days, catalog::k_price_max_age_days);
        break;
      case catalog::FindingKind::retired_priced:
        out.text += fmt::format("retired-priced   {}[id={}]: retired on {}, still priced (kept so that the output "
                                "can say it retired)\n",
                                f.section, f.id, f.date);
        break;
      case catalog::FindingKind::missing_source:
        out.text += fmt::format("missing-source   {}[id={}]: {} has no source\n", f.section, f.id, f.what);
        break;
      case catalog::FindingKind::alias_collision:
        out.text += fmt::format("alias-collision  {}[id={}]: {}\n", f.section, f.id, f.what);
        break;
      }
    }
    out.text += fmt::format("{} finding(s) as of {}: {} from the passing of time (prices to re-read, retirements), {} "
                            "in the data\n",
                            findings.size(), day, count(true), count(false));
    out.human = true;
  }
  // mistakes in the data fail the audit; age alone is a reminder
  out.exit_code = count(false) > 0 ? k_exit_check_failed : k_exit_ok;
  return out;
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
  CLI::App* audit = cmd->add_subcommand(
      "audit",
      "List prices older than 120 days, retired models still priced, facts without a source, colliding aliases");
  add_json_flag(*audit, o->json);
  cmd->footer(
      "Examples:\n"
      "  modelpick catalog add --config ./Qwen3-Next-80B-A3B-Instruct/config.json --id qwen3-next-80b-a3b \\\n"
      "      --hf-repo Qwen/Qwen3-Next-80B-A3B-Instruct --license apache-2.0 > overlay.json\n"
      "  modelpick --catalog overlay.json size qwen3-next-80b-a3b --gpu h200\n"
      "  modelpick catalog audit --json\n"
      "Exit codes: 0 printed (audit: no finding in the data; stale prices are listed, not failed), 3 audit\n"
      "found a mistake in the data, 2 bad flags or a quantization not modelled, 1 a config that cannot be read.\n");
  return [o, audit](const catalog::Catalog& catalog) {
    return audit->parsed() ? run_audit(*o, catalog) : run_add(*o, catalog);
  };
}

} // namespace modelpick::cli
