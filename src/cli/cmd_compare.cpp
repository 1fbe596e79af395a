// modelpick compare MODEL MODEL... [--config FILE]... [--gpu G] [--gpus N] [--precision P] [--context N]
//                   [--concurrency N] [--tokens-per-day N ...] [--mau N ...] [--json | --format csv|md] [--svg FILE]
#include <algorithm>
#include <fmt/format.h>
#include <memory>

#include "../render/compare_render.hpp"
#include "../render/size_render.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "model_input.hpp"
#include "modelpick/advisor/advisor.hpp"
#include "modelpick/error.hpp"
#include "registry.hpp"
#include "volume_options.hpp"

namespace modelpick::cli {
namespace {

struct CompareOptions {
  std::vector<std::string> models;
  std::vector<std::string> configs;
  std::string precision;
  SizingOptions sizing;
  VolumeOptions volume;
  std::string mau;
  std::string monthly_revenue;
  std::vector<std::string> uses;
  std::string region;
  LicenseScope scope; // --group-mau, --purpose, --field-of-use, --derivative
  std::string modality = "text";
  std::string format = "table";
  std::string svg;
  bool json = false;
};

render::TableFormat parse_format(const std::string& text) {
  if (text == "table") {
    return render::TableFormat::table;
  }
  if (text == "csv") {
    return render::TableFormat::csv;
  }
  if (text == "md" || text == "markdown") {
    return render::TableFormat::md;
  }
  throw Error(ErrorKind::usage, fmt::format("--format '{}' is not accepted: expected table, csv or md", text));
}

CommandOutput run_compare(const CompareOptions& o, const catalog::Catalog& catalog) {
  const render::TableFormat format = parse_format(o.format);
  advisor::Question q;
  q.sizing = parse_sizing(o.sizing);
  q.today = today();
  const ParsedVolume parsed = parse_volume(o.volume, "compare", false);
  q.volume = parsed.volume;
  q.shape = parsed.shape;
  q.shape.kv_bytes = q.sizing.kv_bytes;
  q.plan = parsed.plan;
  if (!o.mau.empty()) {
    q.license = parse_deployment(o.mau, o.monthly_revenue, o.uses, o.region, o.modality);
    apply_license_scope(o.scope, *q.license);
  }
  if (o.models.size() + o.configs.size() < 2) {
    throw Error(ErrorKind::usage, "compare takes two or more models (ids, .gguf files or --config FILE)");
  }
  std::vector<ModelInput> inputs;
  for (const std::string& m : o.models) {
    // --precision applies to catalog models; a GGUF file is sized as stored
    inputs.push_back(ModelInput::resolve("compare", m, "", ModelInput::is_gguf(m) ? "" : o.precision, catalog));
  }
  for (const std::string& c : o.configs) {
    inputs.push_back(ModelInput::resolve("compare", "", c, o.precision, catalog));
  }
  const catalog::Gpu& gpu = catalog.gpu(o.sizing.gpu);
  std::vector<advisor::Answer> answers;
  for (const ModelInput& in : inputs) {
    const catalog::Model& m = in.model();
    answers.push_back(advisor::answer(catalog, m, m.self_hostable() ? &in.precision(catalog) : nullptr, gpu, q));
  }
  CommandOutput out;
  if (!o.svg.empty()) {
    write_output_file(o.svg, render::compare_svg(answers, q), "--svg");
  }
  out.text = o.json ? render::document("compare", catalog.version(), render::compare_json(answers, q))
                    : render::compare_text(answers, q, format);
  out.human = !o.json && format == render::TableFormat::table;
  // the report is whole either way; a self-hosted model that does not fit is a finding (exit 3)
  const bool all_fit =
      std::all_of(answers.begin(), answers.end(), [](const advisor::Answer& a) { return !a.sizing || a.sizing->fits; });
  out.exit_code = all_fit ? k_exit_ok : k_exit_check_failed;
  return out;
}

} // namespace

Runner add_compare_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<CompareOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->add_option("MODEL", o->models, "Catalog ids or aliases, or .gguf files (two or more with --config)");
  cmd->add_option("--config", o->configs, "A Hugging Face config.json to compare too (repeatable)")->type_name("FILE");
  cmd->add_option("--precision", o->precision,
                  "Weight precision for every catalog model (default: each official checkpoint's)")
      ->type_name("P");
  add_sizing_options(*cmd, o->sizing, "Evaluate exactly N GPUs for each model instead of the fewest that fit");
  add_volume_options(*cmd, o->volume);
  add_deployment_options(*cmd, o->mau, o->monthly_revenue, o->uses, o->region, o->modality);
  add_license_scope_options(*cmd, o->scope);
  cmd->add_option("--format", o->format, "table (default), csv or md (a Markdown table for a design doc)")
      ->type_name("F");
  cmd->add_option("--svg", o->svg, "Also draw the figures as grouped bars into FILE (SVG)")->type_name("FILE");
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick compare llama-3.1-70b qwen2.5-72b --precision fp8 --context 32k --concurrency 16\n"
              "  modelpick compare llama-3.3-70b deepseek-v3 gpt-5 --gpu h200 --tokens-per-day 50M --mau 10M\n"
              "  modelpick compare llama-3.1-8b qwen2.5-7b --gpu l40s --format md > choice.md\n"
              "Exit codes: 0 compared and every self-hosted model fits, 3 one does not (the report is still\n"
              "printed whole), 2 bad input, 1 data error.\n");
  return [o](const catalog::Catalog& catalog) { return run_compare(*o, catalog); };
}

} // namespace modelpick::cli
