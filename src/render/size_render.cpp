#include "size_render.hpp"

#include <fmt/format.h>
#include <limits>

#include "assumptions_render.hpp"
#include "modelpick/util/numbers.hpp"
#include "svg.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using util::group_digits;

namespace {

constexpr std::uint64_t k_unbounded = std::numeric_limits<std::uint64_t>::max();

std::vector<std::string> bytes_row(const std::string& label, std::uint64_t bytes) {
  return {label, group_digits(bytes), decimal_gb(bytes), binary_gib(bytes)};
}

ordered_json share_json(const engine::LayoutEvaluation& e) {
  const engine::GpuShare& s = e.share;
  ordered_json j;
  j["gpus"] = e.layout.gpus();
  j["tensor_parallel"] = e.layout.tensor_parallel;
  j["pipeline_parallel"] = e.layout.pipeline_parallel;
  j["per_gpu_bytes"] = s.total_bytes;
  j["per_gpu"] = {{"weights_bytes", s.weights_bytes},
                  {"kv_cache_bytes", s.kv_cache_bytes},
                  {"reserve_bytes", s.reserve_bytes},
                  {"usable_bytes", s.usable_bytes},
                  {"headroom_bytes", s.usable_bytes >= s.total_bytes ? s.usable_bytes - s.total_bytes : 0},
                  {"kv_bytes_per_sequence", s.kv_bytes_per_sequence}};
  if (s.kv_cache_tokens > 0 || s.non_torch_bytes > 0) { // the engine's accounting
    j["per_gpu"]["non_torch_bytes"] = s.non_torch_bytes;
    j["per_gpu"]["activation_bytes"] = s.activation_bytes;
    j["per_gpu"]["kv_cache_tokens"] = s.kv_cache_tokens;
  }
  j["max_concurrency"] = s.max_concurrency == k_unbounded ? ordered_json(nullptr) : ordered_json(s.max_concurrency);
  return j;
}

// What the per-GPU memory besides weights and cache is called under the report's memory model.
std::string overhead_name(const engine::SizingReport& r) {
  if (!r.memory_model) {
    return "runtime reserve";
  }
  return r.memory_model == engine::ServingEngine::sglang ? "engine overhead" : "non-torch + activation peak";
}

} // namespace

std::string explain_text(const std::vector<ExplainSection>& sections) {
  std::string out = "\nHow these numbers are computed (docs/formulas.md):\n";
  for (const ExplainSection& s : sections) {
    out += "\n" + s.title + "\n";
    for (const ExplainStep& step : s.steps) {
      out += step.arithmetic.empty() ? fmt::format("  {} = {}\n", step.what, step.result)
                                     : fmt::format("  {} = {} = {}\n", step.what, step.arithmetic, step.result);
    }
  }
  return out;
}

ordered_json explain_json(const std::vector<ExplainSection>& sections) {
  ordered_json out = ordered_json::array();
  for (const ExplainSection& s : sections) {
    ordered_json steps = ordered_json::array();
    for (const ExplainStep& step : s.steps) {
      steps.push_back({{"what", step.what}, {"arithmetic", step.arithmetic}, {"result", step.result}});
    }
    out.push_back({{"title", s.title}, {"steps", steps}});
  }
  return out;
}

std::string concurrency_text(std::uint64_t n) {
  return n == k_unbounded ? "unbounded" : group_digits(n);
}

namespace {

// What the report assumed, worded from its values, then the notes its caller added.
std::vector<std::string> all_assumptions(const engine::SizingReport& r) {
  std::vector<std::string> out = sizing_assumptions(r);
  out.insert(out.end(), r.assumptions.begin(), r.assumptions.end());
  return out;
}

} // namespace

std::string not_fit_reason(const engine::SizingReport& r) {
  if (r.fits || !r.closest) {
    return {};
  }
  const engine::LayoutEvaluation& shown = *r.closest;
  const engine::GpuShare& g = shown.share;
  const std::string layout = fmt::format("{} x {} (TP {} x PP {})", shown.layout.gpus(), r.gpu->id,
                                         shown.layout.tensor_parallel, shown.layout.pipeline_parallel);
  if (!r.memory_model) {
    return fmt::format("does not fit: with {} each GPU needs {} bytes but {} are usable", layout,
                       group_digits(g.total_bytes), group_digits(g.usable_bytes));
  }
  const std::uint64_t paid = g.weights_bytes + g.reserve_bytes;
  return fmt::format(
      "does not fit: with {} {}'s budget of {} bytes per GPU {}", layout, engine::display_name(*r.memory_model),
      group_digits(g.usable_bytes),
      paid >= g.usable_bytes
          ? fmt::format("is spent on weights and overhead ({} bytes) before any KV cache", group_digits(paid))
          : fmt::format("leaves a KV cache of {} tokens: {} of the {} requests of {} tokens asked for",
                        group_digits(g.kv_cache_tokens), group_digits(g.max_concurrency),
                        group_digits(r.request.concurrency), group_digits(r.request.context_tokens)));
}

std::string size_table(const engine::SizingReport& r) {
  const catalog::Model& m = *r.model;
  std::string out;
  out += fmt::format("{} ({}) · {} weights · KV {} · {}\n", m.name, m.id, r.precision->id,
                     r.request.kv_dtype == "auto" ? "auto (16-bit)" : r.request.kv_dtype, r.gpu->name);
  out += fmt::format("{} parameters ({} active per token) · {} tokens of context × {} sequence{}\n\n",
                     short_count(r.params_total), short_count(r.params_active), group_digits(r.request.context_tokens),
                     group_digits(r.request.concurrency), r.request.concurrency == 1 ? "" : "s");

  using A = TextTable::Align;
  TextTable t({A::left, A::right, A::right, A::right});
  t.add_row({"memory", "bytes", "GB (10^9)", "GiB (2^30)"});
  t.add_row(bytes_row(m.architecture->moe ? "weights (all experts)" : "weights", r.weights_bytes));
  if (m.stored) {
    for (const auto& [type, bytes] : m.stored->bytes_by_type) {
      t.add_row(bytes_row("  " + type, bytes));
    }
  }
  if (m.architecture) { // towers and MTP layers, inside the weights above
    for (const catalog::ExtraWeights& e : m.architecture->extras) {
      t.add_row(bytes_row("  of which " + e.what.substr(0, e.what.find(" (")), e.params * 2));
    }
    if (r.mtp_weights_bytes > 0) {
      t.add_row(bytes_row(fmt::format("  of which {} MTP layer(s)", m.architecture->mtp_layers), r.mtp_weights_bytes));
    }
  }
  if (r.active_weights_bytes != r.weights_bytes) {
    t.add_row(bytes_row("  read per token (active)", r.active_weights_bytes));
  }
  t.add_row({"KV cache per token", group_digits(r.kv_bytes_per_token), "", ""});
  const std::uint64_t tokens = r.request.context_tokens * r.request.concurrency;
  const std::uint64_t per_token_cache =
      (r.kv_cache_bytes - r.state_bytes_per_sequence * r.request.concurrency) / tokens;
  if (per_token_cache != r.kv_bytes_per_token) { // windows cap some layers
    t.add_row({fmt::format("  average over {} tokens", group_digits(r.request.context_tokens)),
               group_digits(per_token_cache), "", ""});
  }
  if (r.state_bytes_per_sequence > 0) {
    t.add_row({"recurrent state per sequence", group_digits(r.state_bytes_per_sequence), "", ""});
  }
  t.add_row(bytes_row(
      fmt::format("KV cache ({} × {})", group_digits(r.request.context_tokens), group_digits(r.request.concurrency)),
      r.kv_cache_bytes));
  const engine::LayoutEvaluation& shown = r.fits ? *r.fit : *r.closest;
  t.add_row(bytes_row(
      r.memory_model
          ? fmt::format("{} ({} GPU{})", overhead_name(r), shown.layout.gpus(), shown.layout.gpus() == 1 ? "" : "s")
          : fmt::format("runtime reserve ({} × {} GiB)", shown.layout.gpus(), shown.share.reserve_bytes >> 30),
      r.reserve_bytes));
  t.add_row(bytes_row("total", r.total_bytes));
  out += t.render();
  out += "\n";

  const engine::GpuShare& s = shown.share;
  const std::uint64_t nodes = (shown.layout.gpus() + r.gpu->gpus_per_node - 1) / r.gpu->gpus_per_node;
  TextTable f({A::left, A::left});
  if (r.fits) {
    f.add_row({"fit", fmt::format("{} × {} · TP {} × PP {} · {} node{}", shown.layout.gpus(), r.gpu->id,
                                  shown.layout.tensor_parallel, shown.layout.pipeline_parallel, nodes,
                                  nodes == 1 ? "" : "s")});
  } else {
    f.add_row({"fit", fmt::format("DOES NOT FIT — {}", not_fit_reason(r))});
  }
  f.add_row(
      {shown.layout.pipeline_parallel > 1 ? "per GPU (fullest)" : "per GPU",
       fmt::format("{} GB weights + {} GB KV + {} GB {} = {} GB ({} GiB)", decimal_gb(s.weights_bytes),
                   decimal_gb(s.kv_cache_bytes), decimal_gb(s.reserve_bytes), r.memory_model ? "overhead" : "reserve",
                   decimal_gb(s.total_bytes), binary_gib(s.total_bytes))});
  const bool sglang = r.memory_model == engine::ServingEngine::sglang;
  f.add_row({"usable", fmt::format("{} GB ({} GiB) = {} of {} GB; headroom {} GB", decimal_gb(s.usable_bytes),
                                   binary_gib(s.usable_bytes),
                                   sglang ? std::string("--mem-fraction-static of the memory free before loading")
                                          : fmt::format("{:.0f}%", r.request.gpu_memory_utilization * 100),
                                   decimal_gb(r.gpu->memory_bytes),
                                   decimal_gb(s.usable_bytes >= s.total_bytes ? s.usable_bytes - s.total_bytes : 0))});
  f.add_row({"max concurrency", fmt::format("{} sequences of {} tokens", concurrency_text(s.max_concurrency),
                                            group_digits(r.request.context_tokens))});
  if (r.memory_model) {
    f.add_row({"memory model",
               fmt::format("{}'s start-up accounting: KV cache {} tokens per GPU{} (--engine none: the bare lower "
                           "bound)",
                           engine::display_name(*r.memory_model), group_digits(s.kv_cache_tokens),
                           *r.memory_model == engine::ServingEngine::vllm
                               ? fmt::format("; non-torch {} GiB, activation peak {} GiB",
                                             binary_gib(s.non_torch_bytes), binary_gib(s.activation_bytes))
                               : std::string())});
  }
  out += f.render();

  out += "\nassumptions\n";
  for (const std::string& a : all_assumptions(r)) {
    out += "  - " + a + "\n";
  }
  for (const std::string& w : r.warnings) {
    out += "warning: " + w + "\n";
  }
  return out;
}

ordered_json size_json(const engine::SizingReport& r) {
  const catalog::Model& m = *r.model;
  ordered_json j;
  j["model"] = {{"id", m.id},
                {"name", m.name},
                {"category", std::string(catalog::to_string(m.category))},
                {"license", m.license},
                {"params_total", r.params_total},
                {"params_active", r.params_active},
                {"params_total_published", m.published_params_total},
                {"params_active_published", m.published_params_active},
                {"max_context_tokens", m.max_context_tokens},
                {"sources", m.sources}};
  j["precision"] = {{"id", r.precision->id},
                    {"weight_bits", r.precision->weight_bits},
                    {"group_size", r.precision->group_size},
                    {"group_overhead_bits", r.precision->group_overhead_bits}};
  j["gpu"] = {{"id", r.gpu->id},
              {"name", r.gpu->name},
              {"memory_bytes", r.gpu->memory_bytes},
              {"gpus_per_node", r.gpu->gpus_per_node}};
  j["request"] = {{"context_tokens", r.request.context_tokens},
                  {"concurrency", r.request.concurrency},
                  {"kv_dtype", r.request.kv_dtype},
                  {"kv_bytes_per_value", r.request.kv_bytes},
                  {"gpu_memory_utilization", r.request.gpu_memory_utilization},
                  {"gpus", r.request.gpus ? ordered_json(*r.request.gpus) : ordered_json(nullptr)}};
  j["memory"] = {{"weights_bytes", r.weights_bytes},           {"active_weights_bytes", r.active_weights_bytes},
                 {"kv_bytes_per_token", r.kv_bytes_per_token}, {"kv_cache_bytes", r.kv_cache_bytes},
                 {"reserve_bytes", r.reserve_bytes},           {"total_bytes", r.total_bytes}};
  j["memory"]["state_bytes_per_sequence"] = r.state_bytes_per_sequence;
  // vllm, sglang: that engine's start-up accounting decided the fit; none: the bare lower bound
  j["memory_model"] = r.memory_model ? std::string(engine::to_string(*r.memory_model)) : std::string("none");
  if (m.architecture && (!m.architecture->extras.empty() || m.architecture->mtp_layers > 0)) {
    ordered_json parts = ordered_json::array();
    for (const catalog::ExtraWeights& e : m.architecture->extras) {
      parts.push_back({{"what", e.what}, {"params", e.params}, {"text_only_drops", e.text_only_drops}});
    }
    if (m.architecture->mtp_layers > 0) {
      parts.push_back({{"what", "multi-token prediction layers"},
                       {"layers", m.architecture->mtp_layers},
                       {"bytes", r.mtp_weights_bytes}});
    }
    j["memory"]["weights_beside_the_language_model"] = parts;
  }
  if (m.stored) {
    ordered_json by_type = ordered_json::object();
    for (const auto& [type, bytes] : m.stored->bytes_by_type) {
      by_type[type] = bytes;
    }
    j["memory"]["stored_bytes_by_type"] = by_type;
  }
  ordered_json fit;
  fit["fits"] = r.fits;
  if (r.fits) {
    fit.update(share_json(*r.fit));
  } else {
    for (const char* key : {"gpus", "tensor_parallel", "pipeline_parallel", "per_gpu_bytes"}) {
      fit[key] = nullptr;
    }
    fit["max_concurrency"] = 0;
    fit["reason"] = not_fit_reason(r);
    fit["closest"] = share_json(*r.closest);
  }
  j["fit"] = fit;
  j["assumptions"] = all_assumptions(r);
  j["warnings"] = r.warnings;
  return j;
}

ordered_json import_json(const catalog::ConfigImport& imported, const std::string& file) {
  ordered_json j;
  j["file"] = file;
  j["rule"] = imported.rule;
  j["used"] = imported.used;
  j["assumed"] = imported.assumed;
  if (imported.stored_precision) {
    j["stored_precision"] = {{"name", imported.stored_precision->name},
                             {"weight_bits", imported.stored_precision->weight_bits},
                             {"group_size", imported.stored_precision->group_size},
                             {"group_overhead_bits", imported.stored_precision->group_overhead_bits}};
  }
  return j;
}

std::string document(const std::string& command, const std::string& catalog_version, ordered_json payload) {
  ordered_json doc;
  doc["schema_version"] = k_schema_version;
  doc["command"] = command;
  doc["catalog_version"] = catalog_version;
  for (auto& [key, value] : payload.items()) {
    doc[key] = std::move(value);
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::string size_svg(const engine::SizingReport& r) {
  const bool fits = r.fits;
  const engine::LayoutEvaluation& e = fits ? *r.fit : *r.closest;
  const engine::GpuShare& s = e.share;
  const double total = static_cast<double>(r.gpu->memory_bytes);
  const double usable = static_cast<double>(s.usable_bytes);
  struct Part {
    std::string label;
    double bytes;
    std::string colour;
  };
  std::vector<Part> parts = {{"weights", static_cast<double>(s.weights_bytes), series_colour(0)},
                             {"KV cache", static_cast<double>(s.kv_cache_bytes), series_colour(1)},
                             {overhead_name(r), static_cast<double>(s.reserve_bytes), series_colour(2)}};
  const double used = static_cast<double>(s.total_bytes);
  if (used <= usable) {
    parts.push_back({"free (usable)", usable - used, "#dddddd"});
  }
  parts.push_back({"outside --gpu-memory-utilization", std::max(0.0, total - std::max(usable, used)), "#f2f2f2"});

  constexpr double width = 900;
  constexpr double height = 250;
  constexpr double left = 30;
  constexpr double bar_w = width - 2 * left;
  const double scale = bar_w / std::max(total, used);
  Svg svg(width, height);
  svg.comment(fmt::format("modelpick size {} --precision {} --gpu {}", r.model->id, r.precision->id, r.gpu->id));
  svg.text(left, 28,
           fmt::format("{} at {} on {} x {} (TP {} x PP {}): one GPU's memory{}", r.model->id, r.precision->id,
                       e.layout.gpus(), r.gpu->id, e.layout.tensor_parallel, e.layout.pipeline_parallel,
                       fits ? "" : " (does not fit)"),
           15, "start", "#222", true);
  double x = left;
  for (const Part& p : parts) {
    const double w = p.bytes * scale;
    svg.rect(x, 60, w, 60, p.colour, "#ffffff");
    if (w > 70) {
      svg.text(x + w / 2, 95, fmt::format("{:.1f} GiB", p.bytes / (1ULL << 30)), 11, "middle");
    }
    x += w;
  }
  // The usable line and the GPU's total.
  svg.line(left + usable * scale, 56, left + usable * scale, 130, "#D55E00", 2, "4,3");
  svg.text(left + usable * scale, 145,
           fmt::format("usable {:.1f} GiB ({:.0f}%)", usable / (1ULL << 30), r.request.gpu_memory_utilization * 100),
           11, "middle", "#D55E00");
  svg.text(left + bar_w, 48, fmt::format("the GPU: {:.2f} GiB", total / (1ULL << 30)), 11, "end");
  double lx = left;
  double ly = 175;
  for (const Part& p : parts) {
    const std::string text = fmt::format("{} {:.2f} GiB", p.label, p.bytes / (1ULL << 30));
    const double w = 30 + 6.2 * static_cast<double>(text.size());
    if (lx + w > width - left) {
      lx = left;
      ly += 20;
    }
    svg.rect(lx, ly - 10, 12, 12, p.colour, "#999999");
    svg.text(lx + 16, ly, text, 11);
    lx += w;
  }
  svg.text(left, ly + 30,
           fmt::format("{} sequences of {} tokens fit per GPU's share of the cache; weights {:.1f} GB in all",
                       concurrency_text(s.max_concurrency), group_digits(r.request.context_tokens),
                       static_cast<double>(r.weights_bytes) / 1e9),
           11, "start", "#555555");
  return svg.str();
}

} // namespace modelpick::render
