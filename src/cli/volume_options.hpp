#pragma once
// The volume, request shape and self-hosting plan flags shared by cost, compare, pick and the
// deployment files of check: --tokens-per-day/--tokens-per-month, --input-output-ratio,
// --input-tokens/--output-tokens, --utilization, --peak-to-average, --gpu-hour-usd,
// --cached-input-share.
#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "modelpick/engine/cost.hpp"
#include "modelpick/engine/throughput.hpp"

namespace modelpick::cli {

struct VolumeOptions {
  std::string tokens_per_day;
  std::string tokens_per_month;
  std::string ratio;
  std::string input_tokens;
  std::string output_tokens;
  std::string utilization = "0.6";
  std::string peak_to_average = "1";
  std::string gpu_hour_usd;
  std::string cached_input_share = "0";
};

void add_volume_options(CLI::App& command, VolumeOptions& options);

struct ParsedVolume {
  std::optional<engine::Volume> volume; // absent when no volume flag was given
  engine::Workload shape;               // kv_bytes left for the caller
  engine::SelfHostPlan plan;            // gpu_hour_usd 0 unless --gpu-hour-usd
};

// `command` names the caller in messages; with `required` a missing volume is an error.
ParsedVolume parse_volume(const VolumeOptions& options, const char* command, bool required);

} // namespace modelpick::cli
