// modelpick size MODEL | FILE.gguf | --config FILE [--precision P] [--gpu G] [--gpus N] [--context N]
//                [--concurrency N] [--kv-dtype D] [--gpu-memory-utilization F] [--mau N ...] [--json]
#include <algorithm>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "../render/license_render.hpp"
#include "../render/size_render.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "model_input.hpp"
#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/error.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

struct SizeOptions {
  std::string model;
  std::string config;    // a Hugging Face config.json instead of a catalog id
  std::string precision; // empty: the model's native checkpoint precision
  SizingOptions sizing;  // context cleared: no --context means min(8192, the model's maximum)
  bool json = false;
  // --mau adds the license verdict for this deployment
  std::string mau;
  std::string monthly_revenue;
  std::vector<std::string> uses;
  std::string region;
  std::string modality = "text";
  std::string svg;
};

CommandOutput run_size(const SizeOptions& o, const catalog::Catalog& catalog) {
  // Validate every flag before looking anything up, so the first error is the user's typo.
  engine::SizingRequest request = parse_sizing(o.sizing);
  std::optional<license::Deployment> deployment;
  if (!o.mau.empty()) {
    deployment = parse_deployment(o.mau, o.monthly_revenue, o.uses, o.region, o.modality);
  }
  const ModelInput input = ModelInput::resolve("size", o.model, o.config, o.precision, catalog);
  const catalog::Model& model = input.model();
  if (o.sizing.context.empty()) {
    request.context_tokens = std::min(engine::k_default_context_tokens, model.max_context_tokens);
  }
  const catalog::Gpu& gpu = catalog.gpu(o.sizing.gpu);
  engine::require_self_hostable(model);
  engine::SizingReport report = engine::plan_size(model, input.precision(catalog), gpu, request);
  for (std::string& a : input.assumptions()) {
    report.assumptions.push_back(std::move(a));
  }
  CommandOutput out;
  if (!o.svg.empty()) {
    write_output_file(o.svg, render::size_svg(report), "--svg");
  }
  std::optional<license::Result> verdict;
  if (deployment) {
    verdict = license::check(model, catalog.find_license(model.license), *deployment);
  }
  if (o.json) {
    auto payload = render::size_json(report);
    if (verdict) {
      payload["license_check"] = render::result_json(*verdict);
    }
    out.text = render::document("size", catalog.version(), std::move(payload));
  } else {
    out.text = render::size_table(report);
    if (verdict) {
      out.text += render::license_line(*verdict) + "\n";
    }
  }
  out.exit_code = report.fits ? k_exit_ok : k_exit_check_failed;
  return out;
}

} // namespace

Runner add_size_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<SizeOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->add_option(
      "MODEL", o->model,
      "Catalog id, alias, Hugging Face repo id (e.g. llama-3.1-70b), or a .gguf file (its header only is read)");
  cmd->add_option("--config", o->config, "Size the model a Hugging Face config.json describes instead")
      ->type_name("FILE");
  cmd->add_option("--precision", o->precision,
                  "Weight precision: bf16, fp16, fp8, int8, int4 (default: the official checkpoint's)")
      ->type_name("P");
  o->sizing.context.clear();
  add_sizing_options(*cmd, o->sizing, "Evaluate exactly N GPUs instead of searching for the fewest",
                     "Tokens per sequence: 8192, 32k, 128k, 1M (k = 1024; default 8192 or the model's maximum if "
                     "smaller)");
  add_deployment_options(*cmd, o->mau, o->monthly_revenue, o->uses, o->region, o->modality);
  cmd->add_option("--svg", o->svg, "Also draw one GPU's memory (weights, KV, reserve, free) into FILE (SVG)")
      ->type_name("FILE");
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick size deepseek-v3 --precision fp8 --gpu h200\n"
              "  modelpick size llama-3.1-70b --precision fp8 --gpu h100 --context 32k --concurrency 16 --json\n"
              "  modelpick size --config ./Qwen2.5-7B-Instruct/config.json --gpu l40s\n"
              "  modelpick size ./Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf --gpu rtx-4090 --context 32k\n"
              "  modelpick size llama-3.1-70b --gpu h100 --mau 800M   # adds the license verdict\n"
              "Exit codes: 0 fits, 3 does not fit, 2 bad input, 1 data error (a license verdict is shown, not\n"
              "turned into an exit code: gate on it with license-check).\n");
  return [o](const catalog::Catalog& catalog) { return run_size(*o, catalog); };
}

} // namespace modelpick::cli
