#include "volume_options.hpp"

#include <cmath>
#include <fmt/format.h>

#include "common_options.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::cli {

namespace {

constexpr std::uint64_t k_max_tokens_per_day = 1'000'000'000'000'000ULL; // 10^15
constexpr std::uint64_t k_max_request_tokens = 1ULL << 27;
constexpr std::uint64_t k_default_output_tokens = 512;
constexpr double k_default_input_share = 0.75; // 3:1, the mix most pricing pages' examples use

// "3:1", "3" (= 3:1) or "1.5:1" -> input share of all tokens.
double parse_ratio(const std::string& text) {
  const auto colon = text.find(':');
  const std::string in = text.substr(0, colon);
  const std::string out = colon == std::string::npos ? "1" : text.substr(colon + 1);
  try {
    const double i = util::parse_fraction(in, "--input-output-ratio", 0, 1e6);
    const double o = util::parse_fraction(out, "--input-output-ratio", 0, 1e6);
    if (i > 0 && o > 0) {
      return i / (i + o);
    }
  } catch (const Error&) {
  }
  throw Error(ErrorKind::usage, fmt::format("--input-output-ratio '{}' is not accepted: expected INPUT:OUTPUT with "
                                            "two positive numbers, e.g. 3:1",
                                            text));
}

} // namespace

void add_volume_options(CLI::App& cmd, VolumeOptions& o) {
  cmd.add_option("--tokens-per-day", o.tokens_per_day, "Volume, input + output tokens a day: 10M, 2.5B")
      ->type_name("N");
  cmd.add_option("--tokens-per-month", o.tokens_per_month, "Volume per month instead (a month = 365/12 days)")
      ->type_name("N");
  cmd.add_option("--input-output-ratio", o.ratio,
                 "Input tokens to output tokens of the volume, e.g. 3:1 (default 3:1, or the request shape's)")
      ->type_name("A:B");
  cmd.add_option("--input-tokens", o.input_tokens, "Prompt tokens per request (default: 512 x the ratio)")
      ->type_name("N");
  cmd.add_option("--output-tokens", o.output_tokens, "Generated tokens per request (default 512)")->type_name("N");
  cmd.add_option("--gpu-hour-usd", o.gpu_hour_usd,
                 "Your price per GPU-hour in USD (default: the catalog's median on-demand offer)")
      ->type_name("USD");
  cmd.add_option("--utilization", o.utilization,
                 "Planned average load of a replica, as a share of its saturated throughput (default 0.6)")
      ->type_name("F");
  cmd.add_option("--peak-to-average", o.peak_to_average,
                 "Peak traffic over average traffic; replicas are sized for the peak (default 1)")
      ->type_name("F");
  cmd.add_option("--cached-input-share", o.cached_input_share,
                 "Share of input tokens billed at an API's cached-input rate (default 0)")
      ->type_name("F");
}

ParsedVolume parse_volume(const VolumeOptions& o, const char* command, bool required) {
  ParsedVolume p;
  if (!o.tokens_per_day.empty() && !o.tokens_per_month.empty()) {
    throw Error(ErrorKind::usage,
                fmt::format("{} takes --tokens-per-day N or --tokens-per-month N (one of them)", command));
  }
  if (required && o.tokens_per_day.empty() && o.tokens_per_month.empty()) {
    throw Error(ErrorKind::usage, fmt::format("{} needs the volume: --tokens-per-day N or --tokens-per-month N (one "
                                              "of them), e.g. --tokens-per-day 10M",
                                              command));
  }
  engine::Volume volume;
  if (!o.tokens_per_day.empty()) {
    volume.tokens_per_day = static_cast<double>(
        util::parse_count(o.tokens_per_day, "--tokens-per-day", util::SuffixBase::decimal, 1, k_max_tokens_per_day));
  } else if (!o.tokens_per_month.empty()) {
    volume.tokens_per_day = static_cast<double>(util::parse_count(o.tokens_per_month, "--tokens-per-month",
                                                                  util::SuffixBase::decimal, 1, k_max_tokens_per_day)) /
                            engine::k_days_per_month;
  }
  std::uint64_t input_tokens = 0;
  std::uint64_t output_tokens = 0;
  if (!o.input_tokens.empty()) {
    input_tokens = parse_context(o.input_tokens, "--input-tokens");
  }
  if (!o.output_tokens.empty()) {
    output_tokens =
        util::parse_count(o.output_tokens, "--output-tokens", util::SuffixBase::binary, 1, k_max_request_tokens);
  }
  if (!o.ratio.empty()) {
    volume.input_share = parse_ratio(o.ratio);
  } else if (input_tokens > 0 && output_tokens > 0) {
    volume.input_share = static_cast<double>(input_tokens) / static_cast<double>(input_tokens + output_tokens);
  } else {
    volume.input_share = k_default_input_share;
  }
  // A request shape in the volume's proportions unless the flags give one.
  const double per_output = volume.input_share / (1 - volume.input_share);
  if (output_tokens == 0) {
    output_tokens = input_tokens > 0 ? std::max<std::uint64_t>(1, static_cast<std::uint64_t>(std::llround(
                                                                      static_cast<double>(input_tokens) / per_output)))
                                     : k_default_output_tokens;
  }
  if (input_tokens == 0) {
    input_tokens = std::max<std::uint64_t>(
        1, static_cast<std::uint64_t>(std::llround(static_cast<double>(output_tokens) * per_output)));
  }
  volume.prompt_tokens = input_tokens;
  volume.cached_input_share = util::parse_fraction(o.cached_input_share, "--cached-input-share", 0, 1);
  p.shape.input_tokens = input_tokens;
  p.shape.output_tokens = output_tokens;
  p.plan.utilization = util::parse_fraction(o.utilization, "--utilization", 0.01, 1);
  p.plan.peak_to_average = util::parse_fraction(o.peak_to_average, "--peak-to-average", 1, 1000);
  p.plan.gpu_hour_usd =
      o.gpu_hour_usd.empty() ? 0 : util::parse_fraction(o.gpu_hour_usd, "--gpu-hour-usd", 0.01, 10'000);
  if (volume.tokens_per_day > 0) {
    p.volume = volume;
  }
  return p;
}

} // namespace modelpick::cli
