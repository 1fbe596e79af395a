// modelpick pick --gpu G [--gpus N] [--precision P] [--context N] [--concurrency N] [--mau N ...]
//                [--category C] [--min-context N] [--tokens-per-day N ...] [--top N] [--sort S]
//                [--explain MODEL] [--json]
#include <fmt/format.h>
#include <memory>

#include "../render/pick_render.hpp"
#include "../render/size_render.hpp"
#include "common_options.hpp"
#include "modelpick/advisor/advisor.hpp"
#include "modelpick/catalog/query.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"
#include "registry.hpp"
#include "volume_options.hpp"

namespace modelpick::cli {
namespace {

struct PickOptions {
  SizingOptions sizing;
  VolumeOptions volume;
  std::string precision;
  std::string mau = "0";
  std::string monthly_revenue;
  std::vector<std::string> uses;
  std::string region;
  LicenseScope scope; // --group-mau, --purpose, --field-of-use, --derivative
  std::string modality = "text";
  std::string category;
  std::string min_context;
  std::string top = "10";
  std::string sort;
  std::string explain;
  bool json = false;
};

CommandOutput run_pick(const PickOptions& o, const catalog::Catalog& catalog) {
  advisor::Question q;
  q.sizing = parse_sizing(o.sizing);
  q.today = today();
  q.sizing.gpus.reset(); // --gpus is the hardware available, not a layout to force
  const ParsedVolume parsed = parse_volume(o.volume, "pick", false);
  q.volume = parsed.volume;
  q.shape = parsed.shape;
  q.shape.kv_bytes = q.sizing.kv_bytes;
  q.plan = parsed.plan;
  q.license = parse_deployment(o.mau, o.monthly_revenue, o.uses, o.region, o.modality);
  apply_license_scope(o.scope, *q.license);
  advisor::PickFilter f;
  if (!o.category.empty()) {
    f.category = catalog::parse_category_name(o.category, "--category");
  }
  if (!o.min_context.empty()) {
    f.min_context = parse_context(o.min_context, "--min-context");
  }
  const std::size_t top = util::parse_count(o.top, "--top", util::SuffixBase::decimal, 1, 1000);
  advisor::PickSort sort = q.volume ? advisor::PickSort::cost : advisor::PickSort::params;
  if (!o.sort.empty()) {
    const auto s = advisor::pick_sort_from_string(o.sort);
    if (!s) {
      throw Error(ErrorKind::usage,
                  fmt::format("--sort '{}' is not accepted: expected {}", o.sort, advisor::pick_sort_names()));
    }
    sort = *s;
  }
  if (sort == advisor::PickSort::cost && !q.volume) {
    throw Error(ErrorKind::usage, "--sort cost needs a volume: --tokens-per-day N or --tokens-per-month N");
  }
  const catalog::Gpu& gpu = catalog.gpu(o.sizing.gpu);
  f.max_gpus = o.sizing.gpus.empty() ? gpu.gpus_per_node : parse_gpus(o.sizing.gpus);
  if (!o.precision.empty()) {
    f.precision = &catalog.precision(o.precision);
  }
  CommandOutput out;
  if (!o.explain.empty()) {
    const catalog::Model& m = catalog.model(o.explain);
    const advisor::PickResult result = advisor::pick(catalog, gpu, q, f, sort);
    out.text = render::pick_explain(m, advisor::explain_pick(catalog, m, gpu, q, f), result, q, f);
    return out;
  }
  const advisor::PickResult result = advisor::pick(catalog, gpu, q, f, sort);
  out.text = o.json ? render::document("pick", catalog.version(), render::pick_json(result, q, f, sort, top))
                    : render::pick_text(result, q, f, sort, top);
  out.exit_code = result.results.empty() ? k_exit_check_failed : k_exit_ok;
  return out;
}

} // namespace

Runner add_pick_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<PickOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  add_sizing_options(*cmd, o->sizing, "GPUs available (default: one node's worth, 8 for an H100)");
  cmd->add_option("--precision", o->precision, "Only this precision (default: every one the GPU runs)")->type_name("P");
  add_volume_options(*cmd, o->volume);
  add_deployment_options(*cmd, o->mau, o->monthly_revenue, o->uses, o->region, o->modality);
  add_license_scope_options(*cmd, o->scope);
  cmd->add_option("--category", o->category, "Only this category: dense, moe, small, long-context")->type_name("C");
  cmd->add_option("--min-context", o->min_context, "Only models with at least this context (e.g. 128k)")
      ->type_name("N");
  cmd->add_option("--top", o->top, "How many results to print (default 10)")->type_name("N");
  cmd->add_option("--sort", o->sort,
                  "cost ($/1M tokens at the volume; the default with one), params (the default without), context, "
                  "throughput (tokens/s per GPU)")
      ->type_name("S");
  cmd->add_option("--explain", o->explain, "Why MODEL is ranked where it is, or excluded, precision by precision")
      ->type_name("MODEL");
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick pick --gpu h100 --gpus 2 --context 32k --concurrency 8 --mau 800M --use fine-tune\n"
              "  modelpick pick --gpu h100 --gpus 8 --tokens-per-day 20M --category moe --top 5\n"
              "  modelpick pick --gpu rtx-4090 --gpus 2 --explain qwen2.5-72b\n"
              "Every catalog model at every precision the GPU runs is sized; those that fit the GPUs and pass\n"
              "the license for the stated use are ranked, each at its best precision for the sort.\n"
              "Exit codes: 0 some model qualifies, 3 none does (the nearest misses are listed), 2 bad input.\n");
  return [o](const catalog::Catalog& catalog) { return run_pick(*o, catalog); };
}

} // namespace modelpick::cli
