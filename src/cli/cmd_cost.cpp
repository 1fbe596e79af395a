// modelpick cost MODEL | FILE.gguf | --config FILE --tokens-per-day N [--gpu G] [--gpus N] [--precision P]
//                [--gpu-hour-usd X] [--input-output-ratio A:B] [--input-tokens N] [--output-tokens N]
//                [--utilization F] [--peak-to-average F] [--api LIST] [--cached-input-share F] [--batch N]
//                [--svg FILE] [--json]
#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <memory>

#include "../render/cost_render.hpp"
#include "../render/size_render.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "model_input.hpp"
#include "modelpick/advisor/advisor.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"
#include "registry.hpp"
#include "volume_options.hpp"

namespace modelpick::cli {
namespace {

struct CostOptions {
  std::string model;
  std::string config;
  std::string precision;
  bool text_only = false;
  SizingOptions sizing; // without --context and --concurrency: the request is the volume's shape
  VolumeOptions volume;
  std::vector<std::string> apis;
  std::string batch;
  std::string svg;
  bool json = false;
};

std::vector<const catalog::Model*> resolve_apis(const std::vector<std::string>& names, const catalog::Model& model,
                                                const catalog::Catalog& catalog, const std::string& day) {
  std::vector<const catalog::Model*> out;
  const auto add = [&](const catalog::Model* m) {
    if (std::find(out.begin(), out.end(), m) == out.end()) {
      out.push_back(m);
    }
  };
  if (names.empty()) {
    // Default: every priced API-only model still on sale, and the sized model's own hosted price.
    for (const catalog::Model& m : catalog.models()) {
      if (m.api_price && !m.self_hostable() && !m.api_price->retired_on(day)) {
        add(&m);
      }
    }
    if (model.api_price && !model.api_price->retired_on(day)) {
      add(&model);
    }
    return out;
  }
  for (const std::string& name : names) {
    const catalog::Model& m = catalog.model(name);
    if (!m.api_price) {
      std::vector<std::string> priced;
      for (const catalog::Model& p : catalog.models()) {
        if (p.api_price) {
          priced.push_back(p.id);
        }
      }
      throw Error(ErrorKind::usage, fmt::format("--api {}: the catalog has no API price for '{}'; priced models: {}",
                                                name, m.id, fmt::join(priced, ", ")));
    }
    if (m.api_price->retired_on(day)) {
      throw Error(ErrorKind::usage, fmt::format("--api {}: '{}' retired on {} ({}) and can no longer be bought; "
                                                "`modelpick list --api` lists the current ones",
                                                name, m.id, m.api_price->retires, m.api_price->provider));
    }
    add(&m);
  }
  return out;
}

CommandOutput run_cost(const CostOptions& o, const catalog::Catalog& catalog) {
  // Every flag first, so the first error is the user's typo.
  const ParsedVolume parsed = parse_volume(o.volume, "cost", true);
  const engine::Volume& volume = *parsed.volume;
  engine::SelfHostPlan plan = parsed.plan;
  const std::uint64_t input_tokens = parsed.shape.input_tokens;
  const std::uint64_t output_tokens = parsed.shape.output_tokens;
  engine::SizingRequest request = parse_sizing(o.sizing);
  request.context_tokens = input_tokens + output_tokens;
  request.concurrency = 1;
  std::uint64_t batch = 1;
  if (!o.batch.empty()) {
    batch = util::parse_count(o.batch, "--batch", util::SuffixBase::decimal, 1, k_max_concurrency);
  }

  const ModelInput input = ModelInput::resolve("cost", o.model, o.config, o.precision, catalog, o.text_only);
  const catalog::Model& model = input.model();
  const catalog::Gpu& gpu = catalog.gpu(o.sizing.gpu);
  engine::require_self_hostable(model);
  if (request.context_tokens > model.longest_context()) {
    // the request is the volume's shape, not a --context: name the flags that made it
    throw Error(ErrorKind::usage,
                fmt::format("a request of {} prompt + {} output tokens exceeds {}'s maximum context of {} tokens: "
                            "set --input-tokens and --output-tokens, or a smaller --input-output-ratio{}",
                            util::group_digits(input_tokens), util::group_digits(output_tokens), model.id,
                            util::group_digits(model.longest_context()),
                            o.volume.ratio.empty() ? "" : fmt::format(" than '{}'", o.volume.ratio)));
  }
  const std::string day = today();
  const std::vector<const catalog::Model*> apis = resolve_apis(o.apis, model, catalog, day);
  const bool gpu_price_given = plan.gpu_hour_usd > 0;
  plan.gpu_hour_usd = advisor::gpu_hour_usd(plan, gpu);

  const catalog::Precision& precision = input.precision(catalog);
  advisor::Question q;
  q.sizing = request;
  q.shape = {input_tokens, output_tokens, request.kv_bytes};
  q.volume = volume;
  q.plan = plan;
  q.apis = apis;
  q.batch = batch;
  q.today = day;
  advisor::Answer answer = advisor::answer(catalog, model, &precision, gpu, q);
  if (!answer.fits()) {
    // a finding, not bad input: the sizing report says why and which layout came closest (exit 3)
    engine::SizingReport& sizing = *answer.sizing;
    for (std::string& a : input.assumptions()) {
      sizing.assumptions.push_back(std::move(a));
    }
    CommandOutput out;
    if (o.json) {
      auto payload = render::size_json(sizing);
      payload["command"] = "cost";
      payload["cost"] = nullptr;
      out.text = render::document("cost", catalog.version(), std::move(payload));
    } else {
      out.text = render::size_table(sizing) +
                 fmt::format("cost: not computed: {} at {} {} on {}; pick another --precision, --gpu or --gpus\n",
                             model.id, precision.id, render::not_fit_reason(sizing), gpu.id);
    }
    out.human = !o.json;
    out.exit_code = k_exit_check_failed;
    return out;
  }
  engine::CostReport report = std::move(*answer.cost);
  for (std::string& a : input.assumptions()) {
    report.assumptions.push_back(std::move(a));
  }
  const render::CostContext context{&model, &precision, &gpu, gpu_price_given, request.kv_dtype};

  CommandOutput out;
  if (!o.svg.empty()) {
    write_output_file(o.svg, render::cost_svg(report, context), "--svg");
  }
  out.text = o.json ? render::document("cost", catalog.version(), render::cost_json(report, context))
                    : render::cost_table(report, context);
  return out;
}

} // namespace

Runner add_cost_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<CostOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->add_option("MODEL", o->model, "Catalog id or alias, or a .gguf file (its header only is read)");
  cmd->add_option("--config", o->config, "Cost the model a Hugging Face config.json describes instead")
      ->type_name("FILE");
  cmd->add_flag("--text-only", o->text_only, "Leave out the vision and audio towers a multimodal checkpoint ships");
  add_volume_options(*cmd, o->volume);
  add_sizing_options(*cmd, o->sizing,
                     "GPUs per replica (default: the layout that serves the volume for the least a month)", nullptr);
  cmd->add_option("--precision", o->precision, "Weight precision (default: the official checkpoint's)")->type_name("P");
  cmd->add_option("--api", o->apis, "API models to compare, comma-separated (default: every priced API model)")
      ->type_name("LIST")
      ->delimiter(',');
  cmd->add_option("--batch", o->batch, "Decode batch to report latency and throughput at (default 1: one user)")
      ->type_name("N");
  cmd->add_option("--svg", o->svg, "Also draw monthly cost against volume into FILE (SVG)")->type_name("FILE");
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick cost llama-3.3-70b --precision fp8 --gpu h100 --tokens-per-day 10M --api gpt-5\n"
              "  modelpick cost deepseek-v3 --gpu h200 --tokens-per-day 2B --input-output-ratio 4:1 --json\n"
              "  modelpick cost qwen2.5-7b --gpu l40s --gpu-hour-usd 0.86 --tokens-per-month 300M --svg cost.svg\n"
              "Throughput is a roofline estimate (docs/formulas.md, checked against published runs in\n"
              "docs/validation.md); prices are list prices with dates (data/prices.json).\n"
              "Exit codes: 0 report written, 3 the model does not fit (the sizing report is printed, with\n"
              "\"cost\": null in JSON), 2 bad input, 1 data error.\n");
  return [o](const catalog::Catalog& catalog) { return run_cost(*o, catalog); };
}

} // namespace modelpick::cli
