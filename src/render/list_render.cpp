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

// A price's standing on `today`, in words and as the JSON's status value.
std::pair<std::string, std::string> api_status(const catalog::TokenPrice& p, const std::string& today) {
  if (p.retired_on(today)) {
    return {"retired " + p.retires, "retired"};
  }
  if (!p.retires.empty()) {
    return {"retires " + p.retires, "retiring"};
  }
  if (!p.deprecated.empty() && p.deprecated <= today) {
    return {"deprecated " + p.deprecated, "deprecated"};
  }
  return {"current", "current"};
}

std::string usd_rate(double v) {
  return v >= 1 ? fmt::format("{:.2f}", v) : fmt::format("{:.3f}", v);
}

std::vector<const catalog::Model*> priced(const catalog::Catalog& catalog) {
  std::vector<const catalog::Model*> out;
  for (const catalog::Model& m : catalog.models()) {
    if (m.api_price) {
      out.push_back(&m);
    }
  }
  return out;
}

} // namespace

ordered_json hosted_offers_json(const catalog::TokenPrice& price) {
  ordered_json out = ordered_json::array();
  for (const catalog::HostedOffer& o : price.offers) {
    out.push_back({{"provider", o.provider},
                   {"usd_per_million",
                    {{"input", o.input},
                     {"output", o.output},
                     {"cached_input", o.cached_input ? ordered_json(*o.cached_input) : ordered_json(nullptr)}}},
                   {"variant", o.variant.empty() ? ordered_json(nullptr) : ordered_json(o.variant)},
                   {"date", o.date},
                   {"source", o.source}});
  }
  return out;
}

std::string api_table(const catalog::Catalog& catalog, const std::string& today) {
  TextTable t({A::left, A::left, A::right, A::right, A::right, A::left, A::left, A::left, A::left, A::right});
  t.add_row(
      {"id", "provider", "$/1M in", "out", "cached in", "long context", "effective", "checked", "status", "hosts"});
  for (const catalog::Model* m : priced(catalog)) {
    const catalog::TokenPrice& p = *m->api_price;
    t.add_row({m->id, p.provider, usd_rate(p.input), usd_rate(p.output),
               p.cached_input ? usd_rate(*p.cached_input) : "-",
               p.long_context_over > 0 ? fmt::format("> {}: {} / {}", context_text(p.long_context_over),
                                                     usd_rate(p.long_context_input), usd_rate(p.long_context_output))
                                       : "-",
               p.date, p.checked_date.empty() ? p.date : p.checked_date, api_status(p, today).first,
               p.offers.empty() ? "-" : fmt::format("{}", p.offers.size())});
  }
  return t.render() + fmt::format("\nUSD per million tokens, list prices; status as of {}. A retired model is never "
                                  "offered as an alternative. hosts: the providers' offers of an open-weight model "
                                  "(`modelpick show MODEL` lists them).\n",
                                  today);
}

ordered_json api_json(const catalog::Catalog& catalog, const std::string& today) {
  ordered_json items = ordered_json::array();
  for (const catalog::Model* m : priced(catalog)) {
    const catalog::TokenPrice& p = *m->api_price;
    const auto null_if_empty = [](const std::string& s) { return s.empty() ? ordered_json(nullptr) : ordered_json(s); };
    ordered_json j{{"schema_version", k_schema_version},
                   {"id", m->id},
                   {"provider", p.provider},
                   {"open_weights", m->self_hostable()},
                   {"usd_per_million", {{"input", p.input}, {"output", p.output}}},
                   {"price_effective_date", p.date},
                   {"price_checked_date", p.checked_date.empty() ? p.date : p.checked_date},
                   {"deprecated", null_if_empty(p.deprecated)},
                   {"retires", null_if_empty(p.retires)},
                   {"status", api_status(p, today).second},
                   {"source", p.source}};
    j["usd_per_million"]["cached_input"] = p.cached_input ? ordered_json(*p.cached_input) : ordered_json(nullptr);
    if (p.long_context_over > 0) {
      j["long_context"] = {
          {"over_tokens", p.long_context_over}, {"input", p.long_context_input}, {"output", p.long_context_output}};
    }
    j["offers"] = hosted_offers_json(p);
    items.push_back(std::move(j));
  }
  return items;
}

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
