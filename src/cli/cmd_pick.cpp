// modelpick pick --gpu G [--gpus N] [--precision P] [--context N] [--concurrency N] [--mau N ...]
//                [--category C] [--min-context N] [--tokens-per-day N ...] [--top N] [--sort S]
//                [--explain MODEL] [--json]
#include <algorithm>
#include <fmt/format.h>
#include <memory>

#include "../render/pick_render.hpp"
#include "../render/size_render.hpp"
#include "common_options.hpp"
#include "modelpick/advisor/advisor.hpp"
#include "modelpick/catalog/query.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"
#include "modelpick/util/printable.hpp"
#include "registry.hpp"
#include "volume_options.hpp"

namespace modelpick::cli {
namespace {

// The volume usd-per-quality prices when none is given: 100M tokens a day, a mid-sized
// product's traffic (docs/quality.md).
constexpr const char* k_quality_volume = "100M";

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
  std::vector<std::string> min_scores; // --min-score BENCH=VALUE, repeatable
  std::string quality_benchmark;       // --quality-benchmark B
  std::string explain;
  bool json = false;
};

CommandOutput run_pick(const PickOptions& o, const catalog::Catalog& catalog) {
  advisor::Question q;
  q.sizing = parse_sizing(o.sizing);
  q.today = today();
  q.sizing.gpus.reset(); // --gpus is the hardware available, not a layout to force
  // usd-per-quality prices a volume; none given, the documented default (k_quality_volume)
  const bool assumed_volume =
      (o.sort == "usd-per-quality") && o.volume.tokens_per_day.empty() && o.volume.tokens_per_month.empty();
  VolumeOptions volume = o.volume;
  if (assumed_volume) {
    volume.tokens_per_day = k_quality_volume;
  }
  const ParsedVolume parsed = parse_volume(volume, "pick", false);
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
  // benchmarks some model of the catalog has a score on
  std::vector<std::string> benchmarks;
  for (const catalog::Model& m : catalog.models()) {
    for (const catalog::Score& s : m.scores) {
      if (std::find(benchmarks.begin(), benchmarks.end(), s.benchmark) == benchmarks.end()) {
        benchmarks.push_back(s.benchmark);
      }
    }
  }
  const auto known_benchmark = [&](const std::string& b, const char* flag) {
    if (std::find(benchmarks.begin(), benchmarks.end(), b) == benchmarks.end()) {
      throw Error(ErrorKind::usage, fmt::format("{} '{}': no model in the catalog has a score on it; benchmarks: {}",
                                                flag, util::printable(b), fmt::join(benchmarks, ", ")));
    }
  };
  for (const std::string& spec : o.min_scores) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw Error(ErrorKind::usage, fmt::format("--min-score '{}' is not accepted: expected BENCHMARK=VALUE "
                                                "(gpqa-diamond=50)",
                                                util::printable(spec)));
    }
    const std::string bench = spec.substr(0, eq);
    known_benchmark(bench, "--min-score");
    f.min_scores.emplace_back(bench, util::parse_fraction(spec.substr(eq + 1), "--min-score", -10'000, 10'000));
  }
  if (!o.quality_benchmark.empty()) {
    known_benchmark(o.quality_benchmark, "--quality-benchmark");
    f.quality_benchmark = o.quality_benchmark;
  } else if (!f.min_scores.empty()) {
    f.quality_benchmark = f.min_scores.front().first;
  }
  advisor::PickSort sort = q.volume ? advisor::PickSort::cost : advisor::PickSort::params;
  if (!o.sort.empty()) {
    const std::string name = o.sort == "tokens-per-s" ? "throughput" : o.sort;
    const auto s = advisor::pick_sort_from_string(name);
    if (!s) {
      throw Error(ErrorKind::usage, fmt::format("--rank-by (--sort) '{}' is not accepted: expected {}, tokens-per-s",
                                                util::printable(o.sort), advisor::pick_sort_names()));
    }
    sort = *s;
  }
  if (sort == advisor::PickSort::cost && !q.volume) {
    throw Error(ErrorKind::usage,
                fmt::format("--rank-by (--sort) {} needs a volume: --tokens-per-day N or --tokens-per-month N",
                            advisor::to_string(sort)));
  }
  if (sort == advisor::PickSort::usd_per_quality && !advisor::percent_scale(f.quality_benchmark)) {
    throw Error(ErrorKind::usage,
                fmt::format("--rank-by usd-per-quality divides by a percent score; {} is not one: name another with "
                            "--quality-benchmark or --min-score",
                            f.quality_benchmark));
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
  if (o.json) {
    auto payload = render::pick_json(result, q, f, sort, top);
    payload["query"]["tokens_per_day_assumed"] = assumed_volume;
    out.text = render::document("pick", catalog.version(), std::move(payload));
  } else {
    out.text = render::pick_text(result, q, f, sort, top);
    if (assumed_volume) {
      out.text += fmt::format("assumed: {} tokens a day (no --tokens-per-day given; usd-per-quality prices a volume)\n",
                              k_quality_volume);
    }
  }
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
  cmd->add_option("--rank-by,--sort", o->sort,
                  "cost ($/1M tokens at the volume; the default with one), params (the default without), context, "
                  "throughput or tokens-per-s (per GPU), quality (the quality benchmark's score), usd-per-quality "
                  "($/1M tokens / (score / 100))")
      ->type_name("S");
  cmd->add_option("--min-score", o->min_scores,
                  "Only models whose score on BENCHMARK is at least VALUE (gpqa-diamond=50); repeatable")
      ->type_name("B=V");
  cmd->add_option("--quality-benchmark", o->quality_benchmark,
                  "The benchmark quality and usd-per-quality rank by (default: the first --min-score's, else "
                  "gpqa-diamond)")
      ->type_name("B");
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
