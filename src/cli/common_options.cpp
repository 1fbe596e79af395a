#include "common_options.hpp"

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <fmt/format.h>

#include "modelpick/engine/constants.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"
#include "modelpick/util/printable.hpp"

namespace modelpick::cli {

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--catalog", options.catalog_files,
                 "Overlay a JSON catalog file on the embedded one (repeatable; later files win)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  app.add_flag("-v,--verbose", options.verbose, "Log what modelpick reads to stderr");
  app.add_flag("--force", options.force,
               "Let an output file (--svg) replace a symbolic link, or be written into a device or FIFO");
}

void add_json_flag(CLI::App& command, bool& json) {
  command.add_flag("--json", json, "Write one JSON document (schema in docs/cli.md) instead of a table");
}

std::string today() {
  if (const char* fixed = std::getenv("MODELPICK_TODAY"); fixed != nullptr && *fixed != '\0') {
    const std::string d = fixed;
    const bool ok = d.size() == 10 && d[4] == '-' && d[7] == '-' &&
                    std::all_of(d.begin(), d.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); });
    if (!ok) {
      throw Error(ErrorKind::usage,
                  fmt::format("MODELPICK_TODAY '{}' is not accepted: expected a date, YYYY-MM-DD", util::printable(d)));
    }
    return d;
  }
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[11];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &utc);
  return buf;
}

std::uint64_t parse_context(const std::string& text, const char* flag) {
  return util::parse_count(text, flag, util::SuffixBase::binary, 1, k_max_context_tokens);
}

std::uint64_t parse_concurrency(const std::string& text) {
  // "max": size for one sequence; the answer is fit.max_concurrency (how many fit)
  return text == "max" ? 1 : util::parse_count(text, "--concurrency", util::SuffixBase::decimal, 1, k_max_concurrency);
}

std::uint64_t parse_gpus(const std::string& text) {
  return util::parse_count(text, "--gpus", util::SuffixBase::decimal, 1, k_max_gpus);
}

double parse_gpu_memory_utilization(const std::string& text) {
  const double v = util::parse_fraction(text, "--gpu-memory-utilization", 0.0, 1.0);
  if (v <= 0.0) {
    throw Error(
        ErrorKind::usage,
        fmt::format("--gpu-memory-utilization '{}' is not accepted: expected a number above 0 and at most 1", text));
  }
  return v;
}

std::uint64_t parse_kv_dtype(const std::string& text) {
  if (text == "auto" || text == "bf16" || text == "fp16") {
    return 2;
  }
  if (text == "fp8" || text == "fp8_e4m3" || text == "fp8_e5m2") {
    return 1;
  }
  throw Error(
      ErrorKind::usage,
      fmt::format("--kv-dtype '{}' is not accepted: expected auto, bf16, fp16, fp8, fp8_e4m3 or fp8_e5m2", text));
}

void add_deployment_options(CLI::App& command, std::string& mau, std::string& monthly_revenue,
                            std::vector<std::string>& uses, std::string& region, std::string& modality) {
  command.add_option("--mau", mau, "Monthly active users of the product: 800M, 1.2B, 50k, 700000000")->type_name("N");
  command.add_option("--monthly-revenue", monthly_revenue, "Monthly revenue in USD: 25M, 1.5B")->type_name("USD");
  command
      .add_option("--use", uses,
                  "serve (default), hosted-api, fine-tune, redistribute, distill, train-other-models; repeatable")
      ->type_name("USE")
      ->delimiter(',');
  command.add_option("--region", region, "Where the deploying company is domiciled: eu, or other (default)")
      ->type_name("R");
  command.add_option("--modality", modality, "text (default) or vision (image input)")->type_name("M");
}

license::Deployment parse_deployment(const std::string& mau, const std::string& monthly_revenue,
                                     const std::vector<std::string>& uses, const std::string& region,
                                     const std::string& modality) {
  license::Deployment d;
  constexpr std::uint64_t k_max_people = 100'000'000'000ULL; // 10^11: more than everyone, many times
  d.mau = util::parse_count(mau, "--mau", util::SuffixBase::decimal, 0, k_max_people);
  if (!monthly_revenue.empty()) {
    const std::string_view text = monthly_revenue.front() == '$' ? std::string_view(monthly_revenue).substr(1)
                                                                 : std::string_view(monthly_revenue);
    d.monthly_revenue_usd =
        util::parse_count(text, "--monthly-revenue", util::SuffixBase::decimal, 0, 1'000'000'000'000'000ULL);
  }
  if (!uses.empty()) {
    d.uses.clear();
    for (const std::string& u : uses) {
      const auto use = catalog::use_from_string(u);
      if (!use) {
        throw Error(ErrorKind::usage, fmt::format("--use '{}' is not accepted: expected {}", u, catalog::use_names()));
      }
      if (std::find(d.uses.begin(), d.uses.end(), *use) == d.uses.end()) {
        d.uses.push_back(*use);
      }
    }
  }
  if (region == "eu") {
    d.region = "eu";
  } else if (!region.empty() && region != "other") {
    throw Error(ErrorKind::usage, fmt::format("--region '{}' is not accepted: expected eu or other", region));
  }
  if (modality == "vision") {
    d.modality = "vision";
  } else if (modality != "text" && !modality.empty()) {
    throw Error(ErrorKind::usage, fmt::format("--modality '{}' is not accepted: expected text or vision", modality));
  }
  return d;
}

void add_license_scope_options(CLI::App& cmd, LicenseScope& s) {
  cmd.add_option("--group-mau", s.group_mau,
                 "Monthly active users of the licensee and its affiliates across all products (Llama, DBRX); "
                 "default: --mau")
      ->type_name("N");
  cmd.add_option("--purpose", s.purpose, "commercial (default), internal, research or non-commercial")->type_name("P");
  cmd.add_option("--field-of-use", s.fields_of_use,
                 "A field the licenses name: military, surveillance, medical, legal, biometric, "
                 "critical-infrastructure, employment, credit, law-enforcement; repeatable")
      ->type_name("F")
      ->delimiter(',');
  cmd.add_option("--derivative", s.derivative,
                 "What becomes of a fine-tune or distill: internal, or distributed (or made available)")
      ->type_name("D");
}

void apply_license_scope(const LicenseScope& s, license::Deployment& d, const std::string& prefix) {
  constexpr std::uint64_t k_max_people = 100'000'000'000ULL;
  if (!s.group_mau.empty()) {
    d.group_mau =
        util::parse_count(s.group_mau, (prefix + "group-mau").c_str(), util::SuffixBase::decimal, 0, k_max_people);
    if (*d.group_mau < d.mau) {
      throw Error(ErrorKind::usage,
                  fmt::format("{}group-mau {} is below {}mau {}: the licensee's and affiliates' users include the "
                              "product's",
                              prefix, util::printable(s.group_mau), prefix, d.mau));
    }
  }
  if (!s.purpose.empty()) {
    if (s.purpose != "commercial" && s.purpose != "internal" && s.purpose != "research" &&
        s.purpose != "non-commercial") {
      throw Error(ErrorKind::usage, fmt::format("{}purpose '{}' is not accepted: expected commercial, internal, "
                                                "research or non-commercial",
                                                prefix, util::printable(s.purpose)));
    }
    d.purpose = s.purpose;
  }
  constexpr std::string_view k_fields[] = {"military",   "surveillance", "medical",
                                           "legal",      "biometric",    "critical-infrastructure",
                                           "employment", "credit",       "law-enforcement"};
  for (const std::string& f : s.fields_of_use) {
    if (std::find(std::begin(k_fields), std::end(k_fields), f) == std::end(k_fields)) {
      throw Error(ErrorKind::usage, fmt::format("{}field-of-use '{}' is not accepted: expected {}", prefix,
                                                util::printable(f), fmt::join(k_fields, ", ")));
    }
    d.fields_of_use.push_back(f);
  }
  if (!s.derivative.empty()) {
    if (s.derivative != "internal" && s.derivative != "distributed") {
      throw Error(ErrorKind::usage, fmt::format("{}derivative '{}' is not accepted: expected internal or distributed",
                                                prefix, util::printable(s.derivative)));
    }
    d.derivative = s.derivative;
  }
}

void add_sizing_options(CLI::App& cmd, SizingOptions& o, const char* gpus_help, const char* context_help,
                        bool with_engine) {
  if (with_engine) {
    cmd.add_option("--engine", o.engine, k_engine_help)->type_name("E");
  }
  cmd.add_option("--gpu", o.gpu, "GPU id (default h100; `modelpick list --gpus`)")->type_name("G");
  cmd.add_option("--gpus", o.gpus, gpus_help)->type_name("N");
  if (context_help != nullptr) {
    cmd.add_option("--context", o.context, context_help)->type_name("N");
    cmd.add_option("--concurrency", o.concurrency,
                   "Sequences held in the KV cache at once (default 1); max: how many fit (fit.max_concurrency)")
        ->type_name("N");
  }
  cmd.add_option("--kv-dtype,--kv-cache-dtype", o.kv_dtype,
                 "KV cache dtype: auto (16-bit), bf16, fp16, fp8 (default auto)")
      ->type_name("D");
  cmd.add_option("--gpu-memory-utilization", o.gpu_memory_utilization,
                 "Share of each GPU's memory to use, as vLLM's flag (default 0.90)")
      ->type_name("F");
  cmd.add_option("--tp-nodes", o.tp_nodes, k_tp_nodes_help)->type_name("N");
}

std::uint64_t parse_tp_nodes(const std::string& text) {
  return util::parse_count(text, "--tp-nodes", util::SuffixBase::decimal, 1, engine::k_max_tp_nodes);
}

engine::SizingRequest parse_sizing(const SizingOptions& o) {
  engine::SizingRequest r;
  if (!o.context.empty()) {
    r.context_tokens = parse_context(o.context);
  }
  r.concurrency = parse_concurrency(o.concurrency);
  r.kv_bytes = parse_kv_dtype(o.kv_dtype);
  r.kv_dtype = o.kv_dtype;
  r.gpu_memory_utilization = parse_gpu_memory_utilization(o.gpu_memory_utilization);
  if (!o.gpus.empty()) {
    r.gpus = parse_gpus(o.gpus);
  }
  r.tp_nodes = parse_tp_nodes(o.tp_nodes);
  apply_memory_model(o.engine, r);
  return r;
}

void apply_memory_model(const std::string& name, engine::SizingRequest& request) {
  if (name.empty()) {
    return; // the core's default (vLLM)
  }
  if (name == "none") {
    request.engine.reset();
    return;
  }
  const auto e = engine::serving_engine_from(name);
  if (!e) {
    throw Error(ErrorKind::usage, fmt::format("--engine '{}' is not accepted: expected {}, or none", name,
                                              engine::serving_engine_names()));
  }
  engine::ServingRequest serving;
  serving.engine = *e;
  request.engine = serving;
  request.uneven_stages = *e == engine::ServingEngine::llama_cpp;
}

} // namespace modelpick::cli
