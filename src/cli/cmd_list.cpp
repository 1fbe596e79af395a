// modelpick list [--gpus | --precisions] [--category C] [--license L] [--min-context N]
//                [--max-active N] [--max-total N] [--open-weights] [--sort KEY] [--json]
#include <fmt/format.h>
#include <memory>

#include "../render/list_render.hpp"
#include "../render/size_render.hpp"
#include "common_options.hpp"
#include "modelpick/catalog/query.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

struct ListOptions {
  bool gpus = false;
  bool precisions = false;
  bool api = false;
  bool json = false;
  std::string category;
  std::string license;
  std::string min_context;
  std::string max_active;
  std::string max_total;
  bool open_weights = false;
  std::string sort = "id";
};

catalog::ModelFilter parse_filter(const ListOptions& o, const catalog::Catalog& catalog) {
  catalog::ModelFilter f;
  if (!o.category.empty()) {
    f.category = catalog::parse_category_name(o.category, "--category");
  }
  if (!o.license.empty()) {
    if (catalog.find_license(o.license) == nullptr) {
      std::vector<std::string> ids;
      for (const auto& l : catalog.licenses()) {
        ids.push_back(l.id);
      }
      throw Error(ErrorKind::usage,
                  fmt::format("--license '{}' is not a license id; accepted: {}", o.license, fmt::join(ids, ", ")));
    }
    f.license = o.license;
  }
  if (!o.min_context.empty()) {
    f.min_context_tokens = parse_context(o.min_context, "--min-context");
  }
  const std::uint64_t max_params = 1'000'000'000'000'000ULL;
  if (!o.max_active.empty()) {
    f.max_active_params = util::parse_count(o.max_active, "--max-active", util::SuffixBase::decimal, 1, max_params);
  }
  if (!o.max_total.empty()) {
    f.max_total_params = util::parse_count(o.max_total, "--max-total", util::SuffixBase::decimal, 1, max_params);
  }
  f.open_weights_only = o.open_weights;
  const auto sort = catalog::model_sort_from_string(o.sort);
  if (!sort) {
    throw Error(ErrorKind::usage,
                fmt::format("--sort '{}' is not accepted: expected {}", o.sort, catalog::model_sort_names()));
  }
  f.sort = *sort;
  return f;
}

} // namespace

Runner add_list_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<ListOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  auto* gpus = cmd->add_flag("--gpus", o->gpus, "List GPUs instead of models");
  auto* precisions = cmd->add_flag("--precisions", o->precisions, "List precisions instead of models")->excludes(gpus);
  cmd->add_flag("--api", o->api,
                "List priced models (APIs and hosted open models): prices, effective and checked dates, retirement")
      ->excludes(gpus)
      ->excludes(precisions);
  cmd->add_option("--category", o->category, "Only this category: dense, moe, small, long-context, api-only")
      ->type_name("C");
  cmd->add_option("--license", o->license, "Only models under this license id (e.g. apache-2.0)")->type_name("L");
  cmd->add_option("--min-context", o->min_context, "Only models with at least this context (e.g. 128k)")
      ->type_name("N");
  cmd->add_option("--max-active", o->max_active, "Only models with at most this many active parameters (e.g. 20B)")
      ->type_name("N");
  cmd->add_option("--max-total", o->max_total, "Only models with at most this many parameters (e.g. 100B)")
      ->type_name("N");
  cmd->add_flag("--open-weights", o->open_weights, "Leave out API-only models");
  cmd->add_option("--sort", o->sort, "Order: id (default), params, active, context (largest first)")->type_name("KEY");
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n  modelpick list --category moe --sort active\n"
              "  modelpick list --open-weights --min-context 128k --max-active 20B --json\n"
              "  modelpick list --api   # prices, dates and retirements\n");
  return [o](const catalog::Catalog& catalog) {
    if (o->api) {
      const std::string day = today();
      return CommandOutput{
          o->json
              ? render::api_json(catalog, day).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                    "\n"
              : render::api_table(catalog, day),
          0};
    }
    if (o->gpus || o->precisions) {
      const render::ListWhat what = o->gpus ? render::ListWhat::gpus : render::ListWhat::precisions;
      return CommandOutput{
          o->json
              ? render::list_json(catalog, what).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) +
                    "\n"
              : render::list_table(catalog, what),
          0};
    }
    const auto models = catalog::select_models(catalog, parse_filter(*o, catalog));
    return CommandOutput{
        o->json
            ? render::models_json(models).dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n"
            : render::models_table(models),
        0};
  };
}

} // namespace modelpick::cli
