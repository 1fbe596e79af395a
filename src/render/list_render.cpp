#include "list_render.hpp"

#include <fmt/format.h>

#include "modelpick/util/numbers.hpp"
#include "size_render.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using A = TextTable::Align;

namespace {

std::string context_text(std::uint64_t tokens) {
  if (tokens % (1ULL << 20) == 0) {
    return fmt::format("{}M", tokens >> 20);
  }
  if (tokens % 1024 == 0) {
    return fmt::format("{}k", tokens >> 10);
  }
  return util::group_digits(tokens);
}

} // namespace

std::string list_table(const catalog::Catalog& catalog, ListWhat what) {
  switch (what) {
  case ListWhat::gpus: {
    TextTable t({A::left, A::left, A::right, A::right, A::right, A::right, A::left});
    t.add_row({"id", "name", "GiB (CUDA)", "TB/s", "BF16 TFLOPS", "FP8 TFLOPS", "node"});
    for (const catalog::Gpu& g : catalog.gpus()) {
      t.add_row({g.id, g.name, binary_gib(g.memory_bytes),
                 fmt::format("{:.2f}", static_cast<double>(g.bandwidth_bytes_per_s) / 1e12),
                 fmt::format("{:.0f}", g.tflops_bf16), g.fp8 ? fmt::format("{:.0f}", g.tflops_fp8) : "-",
                 fmt::format("{} × {}", g.gpus_per_node, g.interconnect)});
    }
    return t.render() + "\nTFLOPS are dense (without 2:4 sparsity).\n";
  }
  case ListWhat::precisions: {
    TextTable t({A::left, A::left, A::right, A::left});
    t.add_row({"id", "name", "bits/weight", "notes"});
    for (const catalog::Precision& p : catalog.precisions()) {
      const double bits =
          static_cast<double>(p.weight_bits) +
          (p.group_size > 0 ? static_cast<double>(p.group_overhead_bits) / static_cast<double>(p.group_size) : 0.0);
      t.add_row({p.id, p.name, fmt::format("{:.3f}", bits), p.notes});
    }
    return t.render();
  }
  }
  return {};
}

ordered_json list_json(const catalog::Catalog& catalog, ListWhat what) {
  ordered_json items = ordered_json::array();
  switch (what) {
  case ListWhat::gpus:
    for (const catalog::Gpu& g : catalog.gpus()) {
      items.push_back(
          {{"schema_version", k_schema_version},
           {"id", g.id},
           {"name", g.name},
           {"memory_bytes", g.memory_bytes},
           {"bandwidth_bytes_per_s", g.bandwidth_bytes_per_s},
           {"tflops_dense",
            {{"bf16", g.tflops_bf16}, {"fp8", g.tflops_fp8}, {"int8", g.tflops_int8}, {"fp4", g.tflops_fp4}}},
           {"tflops_assumption",
            g.tflops_assumption.empty() ? ordered_json(nullptr) : ordered_json(g.tflops_assumption)},
           {"fp8", g.fp8},
           {"fp4", g.fp4},
           {"vendor", g.vendor},
           {"architecture", g.architecture},
           {"compute_capability", g.compute_capability},
           {"gpus_per_node", g.gpus_per_node},
           {"nvlink_domain", g.nvlink_domain == 0 ? g.gpus_per_node : g.nvlink_domain},
           {"interconnect", g.interconnect},
           {"link_bytes_per_s", g.link_bytes_per_s},
           {"engines", g.engines},
           {"sources", g.sources}});
    }
    return items;
  case ListWhat::precisions:
    for (const catalog::Precision& p : catalog.precisions()) {
      items.push_back({{"schema_version", k_schema_version},
                       {"id", p.id},
                       {"name", p.name},
                       {"weight_bits", p.weight_bits},
                       {"group_size", p.group_size},
                       {"group_overhead_bits", p.group_overhead_bits},
                       {"needs_fp8_hardware", p.needs_fp8_hardware},
                       {"sources", p.sources}});
    }
    return items;
  }
  return {};
}

std::string models_table(const std::vector<const catalog::Model*>& models) {
  TextTable t({A::left, A::left, A::right, A::right, A::right, A::left});
  t.add_row({"id", "category", "params", "active", "context", "license"});
  for (const catalog::Model* m : models) {
    const bool api = !m->self_hostable();
    t.add_row({m->id, std::string(catalog::to_string(m->category)), api ? "-" : short_count(m->published_params_total),
               api ? "-" : short_count(m->published_params_active), context_text(m->max_context_tokens), m->license});
  }
  return t.render() + fmt::format("\n{} model{}; params as published. `modelpick show ID` for details.\n",
                                  models.size(), models.size() == 1 ? "" : "s");
}

ordered_json models_json(const std::vector<const catalog::Model*>& models) {
  ordered_json items = ordered_json::array();
  for (const catalog::Model* m : models) {
    items.push_back(
        {{"schema_version", k_schema_version},
         {"id", m->id},
         {"name", m->name},
         {"publisher", m->publisher},
         {"category", std::string(catalog::to_string(m->category))},
         {"self_hostable", m->self_hostable()},
         {"params_total", m->self_hostable() ? ordered_json(m->published_params_total) : ordered_json(nullptr)},
         {"params_active", m->self_hostable() ? ordered_json(m->published_params_active) : ordered_json(nullptr)},
         {"max_context_tokens", m->max_context_tokens},
         {"license", m->license},
         {"aliases", m->aliases},
         {"sources", m->sources}});
  }
  return items;
}

} // namespace modelpick::render
