#include "common_options.hpp"

#include <fmt/format.h>

#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::cli {

void add_global_options(CLI::App& app, GlobalOptions& options) {
  app.add_option("--catalog", options.catalog_files,
                 "Overlay a JSON catalog file on the embedded one (repeatable; later files win)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  app.add_flag("-v,--verbose", options.verbose, "Log what modelpick reads to stderr");
}

void add_json_flag(CLI::App& command, bool& json) {
  command.add_flag("--json", json, "Write one JSON document (schema in docs/cli.md) instead of a table");
}

std::uint64_t parse_context(const std::string& text, const char* flag) {
  return util::parse_count(text, flag, util::SuffixBase::binary, 1, k_max_context_tokens);
}

std::uint64_t parse_concurrency(const std::string& text) {
  return util::parse_count(text, "--concurrency", util::SuffixBase::decimal, 1, k_max_concurrency);
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

} // namespace modelpick::cli
