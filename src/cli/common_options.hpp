#pragma once
// Options shared by every subcommand, and parsers of option values into engine inputs.
#include <CLI/CLI.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "modelpick/engine/plan.hpp"
#include "modelpick/license/check.hpp"

namespace modelpick::cli {

struct GlobalOptions {
  std::vector<std::string> catalog_files; // --catalog FILE, repeatable, applied in order
  bool verbose = false;
  bool force = false; // --force: an output file may replace a symlink or be written into a device
};

void add_global_options(CLI::App& app, GlobalOptions& options);

// Adds "--json" to a subcommand.
void add_json_flag(CLI::App& command, bool& json);

// Value ranges accepted on the command line (docs/cli.md).
inline constexpr std::uint64_t k_max_context_tokens = 1ULL << 27; // 134,217,728: past any model's context
inline constexpr std::uint64_t k_max_concurrency = 100'000;
inline constexpr std::uint64_t k_max_gpus = 4'096;

std::uint64_t parse_context(const std::string& text, const char* flag = "--context");
std::uint64_t parse_concurrency(const std::string& text);
std::uint64_t parse_gpus(const std::string& text);
double parse_gpu_memory_utilization(const std::string& text);
// "auto" (the model's 16-bit dtype), "bf16", "fp16" -> 2; "fp8" (and fp8_e4m3 / fp8_e5m2) -> 1.
std::uint64_t parse_kv_dtype(const std::string& text);

// Today's date, YYYY-MM-DD (UTC), or MODELPICK_TODAY when set (a fixed date for scripts and
// tests); decides which API prices have retired. Error(usage) when MODELPICK_TODAY is not a date.
std::string today();

// The deployment a license is checked against, shared by license-check, size and compare:
// --mau, --monthly-revenue, --use (repeatable or comma-separated), --region, --modality.
void add_deployment_options(CLI::App& command, std::string& mau, std::string& monthly_revenue,
                            std::vector<std::string>& uses, std::string& region, std::string& modality);
license::Deployment parse_deployment(const std::string& mau, const std::string& monthly_revenue,
                                     const std::vector<std::string>& uses, const std::string& region,
                                     const std::string& modality);

// Who counts, for what purpose, and what becomes of a derivative (docs/licenses.md):
// --group-mau, --purpose, --field-of-use (repeatable), --derivative.
struct LicenseScope {
  std::string group_mau;
  std::string purpose;
  std::vector<std::string> fields_of_use;
  std::string derivative;
};
void add_license_scope_options(CLI::App& command, LicenseScope& scope);
// Into `d`; Error(usage) naming the flag (`prefix` + name) and what is accepted.
void apply_license_scope(const LicenseScope& scope, license::Deployment& d, const std::string& prefix = "--");

// The deployment shape compare, pick and check size every model at: --gpu, --gpus,
// --context, --concurrency, --kv-dtype, --gpu-memory-utilization.
struct SizingOptions {
  std::string gpu = "h100";
  std::string gpus;
  std::string context = "8k"; // empty: left 0 for the command to default
  std::string concurrency = "1";
  std::string kv_dtype = "auto";
  std::string gpu_memory_utilization = "0.90";
  std::string engine; // the memory model: empty = vLLM (the default), sglang, llama.cpp, none
  std::string tp_nodes = "1";
};
// --tp-nodes: 1 to engine::k_max_tp_nodes; Error(usage) naming the value otherwise.
std::uint64_t parse_tp_nodes(const std::string& text);
inline constexpr const char* k_tp_nodes_help =
    "Nodes one tensor-parallel group may span (default 1: TP inside a node, further nodes as pipeline stages)";
inline constexpr const char* k_context_help = "Tokens per sequence: 8192, 32k, 128k (k = 1024; default 8k)";
// `with_engine`: also --engine (size registers its own, with the engines' flags). A null
// `context_help`: no --context or --concurrency (cost sizes the volume's own request).
void add_sizing_options(CLI::App& command, SizingOptions& options, const char* gpus_help,
                        const char* context_help = k_context_help, bool with_engine = true);
engine::SizingRequest parse_sizing(const SizingOptions& options);

// --engine as the memory model a plan sizes by: empty or vllm (the default), sglang, llama.cpp
// (whose layer split takes any GPU count: `uneven_stages`), or none (the bare lower bound).
// Error(usage) naming the value otherwise.
void apply_memory_model(const std::string& engine, engine::SizingRequest& request);
inline constexpr const char* k_engine_help =
    "Memory model: vllm (default: its start-up accounting), sglang, llama.cpp, or none (the bare lower bound: "
    "weights + KV cache + 3 GiB per GPU)";

} // namespace modelpick::cli
