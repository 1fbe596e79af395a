// modelpick size MODEL | FILE.gguf | --config FILE [--precision P] [--gpu G] [--gpus N] [--context N]
//                [--concurrency N] [--kv-dtype D] [--gpu-memory-utilization F] [--mau N ...] [--json]
#include <algorithm>
#include <fmt/format.h>
#include <memory>
#include <optional>

#include "../render/license_render.hpp"
#include "../render/serving_render.hpp"
#include "../render/size_render.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "engine_options.hpp"
#include "model_input.hpp"
#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/engine/serving.hpp"
#include "modelpick/error.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

struct SizeOptions {
  std::string model;
  std::string config;     // a Hugging Face config.json instead of a catalog id
  std::string precision;  // empty: the model's native checkpoint precision
  bool text_only = false; // --text-only: leave the vision and audio towers out
  SizingOptions sizing;   // context cleared: no --context means min(8192, the model's maximum)
  EngineOptions engine;   // --engine and the engine's own flags
  bool json = false;
  bool explain = false; // --explain: the formulas with the numbers put in
  // --mau adds the license verdict for this deployment
  std::string mau;
  std::string monthly_revenue;
  std::vector<std::string> uses;
  std::string region;
  LicenseScope scope; // --group-mau, --purpose, --field-of-use, --derivative
  std::string modality = "text";
  std::string svg;
};

CommandOutput run_size(const SizeOptions& o, const catalog::Catalog& catalog) {
  // Validate every flag before looking anything up, so the first error is the user's typo.
  engine::SizingRequest request = parse_sizing(o.sizing);
  std::optional<license::Deployment> deployment;
  if (!o.mau.empty()) {
    deployment = parse_deployment(o.mau, o.monthly_revenue, o.uses, o.region, o.modality);
    apply_license_scope(o.scope, *deployment);
  }
  // vLLM's --quantization names the weights' format when --precision does not
  const std::string precision_id = o.precision.empty() ? precision_of_quantization(o.engine.quantization) : o.precision;
  const ModelInput input = ModelInput::resolve("size", o.model, o.config, precision_id, catalog, o.text_only);
  std::optional<engine::ServingRequest> serving =
      parse_engine(o.engine, request.kv_bytes, request.kv_dtype, request.gpu_memory_utilization);
  const catalog::Model& model = input.model();
  // the memory model: the engine named (with its flags), vLLM's by default, or none
  apply_memory_model(o.engine.engine, request);
  if (serving) {
    serving->tp_nodes = request.tp_nodes;
    request.engine = *serving;
  }
  if (o.sizing.context.empty()) {
    // with an engine, its --max-model-len (default: the model's maximum) is the context sized;
    // --max-model-len auto finds the layout for the shortest request, then the longest it holds
    request.context_tokens = serving ? (serving->max_model_len_auto  ? 1
                                        : serving->max_model_len > 0 ? serving->max_model_len
                                                                     : model.engine_default_context())
                                     : std::min(engine::k_default_context_tokens, model.max_context_tokens);
  }
  if (serving && serving->max_model_len == 0) {
    serving->max_model_len = request.context_tokens;
  }
  // --gpu-memory-bytes: the GPU as the runtime shows it (WSL, MIG), for the plan and the engine
  catalog::Gpu shown = catalog.gpu(o.sizing.gpu);
  if (serving && serving->gpu_memory_bytes > 0) {
    shown.memory_bytes = serving->gpu_memory_bytes;
  }
  const catalog::Gpu& gpu = shown;
  if (serving) {
    // before planning, so that a bad value is blamed on the engine's flag, not on --context / --gpus
    engine::check_serving_request(model, gpu, *serving);
  }
  if (serving && serving->tensor_parallel > 0) {
    // a given TP (and PP, 1 unless given) fixes the GPU count the plan evaluates
    const std::uint64_t pp = std::max<std::uint64_t>(1, serving->pipeline_parallel);
    if (request.gpus && *request.gpus != serving->tensor_parallel * pp) {
      throw Error(ErrorKind::usage,
                  fmt::format("--gpus {} does not match --tensor-parallel-size {} x --pipeline-parallel-size {}: "
                              "give one or the other",
                              *request.gpus, serving->tensor_parallel, pp));
    }
    request.gpus = serving->tensor_parallel * pp;
  }
  engine::require_self_hostable(model);
  const catalog::Precision& precision = input.precision(catalog);
  engine::SizingReport report = engine::plan_size(model, precision, gpu, request);
  std::optional<engine::ServingPrediction> prediction;
  if (serving) {
    // the layout given, or else the one the plan found (or came closest with)
    const engine::Layout& found = report.fits ? report.fit->layout : report.closest->layout;
    if (serving->tensor_parallel == 0) {
      serving->tensor_parallel = found.tensor_parallel;
    }
    if (serving->pipeline_parallel == 0) {
      serving->pipeline_parallel = serving->tensor_parallel == found.tensor_parallel ? found.pipeline_parallel : 1;
    }
    if (serving->max_model_len_auto) {
      // the longest context every one of --concurrency users gets on this layout
      const std::uint64_t longest = engine::longest_max_model_len(model, precision, gpu, *serving, request.concurrency);
      if (longest == 0) {
        report.warnings.push_back(fmt::format("--max-model-len auto: no length holds {} concurrent requests on this "
                                              "layout; sized at 1 token",
                                              request.concurrency));
      }
      serving->max_model_len = std::max<std::uint64_t>(1, longest);
      if (o.sizing.context.empty()) {
        // the plan at that length, on the layout it was found for
        request.context_tokens = serving->max_model_len;
        request.gpus = serving->tensor_parallel * serving->pipeline_parallel;
        report = engine::plan_size(model, precision, gpu, request);
      }
    }
    prediction = engine::predict_serving(model, precision, gpu, *serving);
  }
  for (std::string& a : input.assumptions()) {
    report.assumptions.push_back(std::move(a));
  }
  CommandOutput out;
  if (!o.svg.empty()) {
    write_output_file(o.svg, render::size_svg(report), "--svg");
  }
  std::optional<license::Result> verdict;
  if (deployment) {
    verdict = license::check(catalog, model, *deployment);
  }
  if (o.json) {
    auto payload = render::size_json(report);
    if (const catalog::ConfigImport* imported = input.imported()) {
      payload["import"] = render::import_json(*imported, o.config.empty() ? o.model : o.config);
    }
    if (verdict) {
      payload["license_check"] = render::result_json(*verdict);
    }
    if (prediction) {
      payload["engine"] = render::serving_json(*prediction);
    }
    if (o.explain) {
      payload["explain"] = render::explain_json(render::explain_size(report));
    }
    out.text = render::document("size", catalog.version(), std::move(payload));
  } else {
    out.text = render::size_table(report);
    if (o.explain) {
      out.text += render::explain_text(render::explain_size(report));
    }
    if (prediction) {
      out.text += render::serving_table(*prediction, gpu);
    }
    if (verdict) {
      out.text += render::license_line(*verdict) + "\n";
    }
  }
  // with an engine its verdict decides: does it start with these flags, and does its cache hold
  // --concurrency requests of --max-model-len at once?
  const bool ok =
      prediction ? prediction->starts && prediction->max_concurrency >= static_cast<double>(report.request.concurrency)
                 : report.fits;
  out.exit_code = ok ? k_exit_ok : k_exit_check_failed;
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
  cmd->add_flag("--text-only", o->text_only,
                "Leave out the vision and audio towers a multimodal checkpoint ships (as an engine serving text "
                "only can)");
  o->sizing.context.clear();
  add_sizing_options(*cmd, o->sizing, "Evaluate exactly N GPUs instead of searching for the fewest",
                     "Tokens per sequence: 8192, 32k, 128k, 1M (k = 1024; default 8192 or the model's maximum if "
                     "smaller)",
                     false);
  add_deployment_options(*cmd, o->mau, o->monthly_revenue, o->uses, o->region, o->modality);
  add_license_scope_options(*cmd, o->scope);
  add_engine_options(*cmd, o->engine);
  cmd->add_option("--svg", o->svg, "Also draw one GPU's memory (weights, KV, reserve, free) into FILE (SVG)")
      ->type_name("FILE");
  cmd->add_flag("--explain", o->explain,
                "Also print every formula with the numbers put in (parameters, weights, KV cache, fit)");
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick size deepseek-v3 --precision fp8 --gpu h200\n"
              "  modelpick size llama-3.1-70b --precision fp8 --gpu h100 --context 32k --concurrency 16 --json\n"
              "  modelpick size --config ./Qwen2.5-7B-Instruct/config.json --gpu l40s\n"
              "  modelpick size ./Meta-Llama-3.1-8B-Instruct-Q4_K_M.gguf --gpu rtx-4090 --context 32k\n"
              "  modelpick size llama-3.1-70b --gpu h100 --mau 800M   # adds the license verdict\n"
              "  modelpick size llama-3.1-8b --explain   # every formula with its numbers\n"
              "  modelpick size llama-3.1-8b --gpu h100 --engine vllm --max-model-len 32k   # vLLM's KV tokens\n"
              "  modelpick size qwen2.5-32b --gpu l40s --engine vllm --tensor-parallel-size 2 --kv-cache-dtype fp8\n"
              "  modelpick size qwen2.5-7b --gpu rtx-4090 --engine llama.cpp --ctx-size 32k --cache-type-k q8_0\n"
              "Exit codes: 0 fits (with --engine: the engine starts and holds --concurrency requests), 3 does\n"
              "not fit (with --engine: it would not start, or holds fewer), 2 bad input, 1 data error. A license "
              "verdict is shown, not turned into an exit code:\n"
              "gate on it with license-check.\n");
  return [o](const catalog::Catalog& catalog) { return run_size(*o, catalog); };
}

} // namespace modelpick::cli
