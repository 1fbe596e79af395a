#pragma once
// The advisor: one deployment question answered for one model by every engine (size,
// throughput, cost, license), and the decisions built on it: compare (side by side, with the
// differences that matter), pick (the models that fit and pass, ranked) and check (a
// deployment file's expectations re-checked). No I/O: the CLI parses, the renderers print.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/engine/cost.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/engine/throughput.hpp"
#include "modelpick/license/check.hpp"

namespace modelpick::advisor {

struct Question {
  engine::SizingRequest sizing; // context x concurrency, KV dtype, memory share, optional --gpus
  engine::Workload shape;       // the request shape throughput and cost use
  std::optional<engine::Volume> volume;
  engine::SelfHostPlan plan; // gpu_hour_usd 0: the GPU's catalog price
  std::optional<license::Deployment> license;
  std::vector<const catalog::Model*> apis; // priced models the cost report compares with
  std::uint64_t batch = 1;                 // the decode batch latency is reported at
  std::string today;                       // YYYY-MM-DD: a price past its retirement is not offered
};

struct Answer {
  const catalog::Model* model = nullptr;
  const catalog::Precision* precision = nullptr; // null for an API-only model
  const catalog::Gpu* gpu = nullptr;
  std::optional<engine::SizingReport> sizing;         // self-hostable models
  std::optional<engine::ThroughputReport> throughput; // when it fits
  std::optional<engine::CostReport> cost;             // when it fits and a volume is given
  // A priced model bought at the volume: its lowest bill (the cheapest hosted offer where one
  // undercuts the entry's own price).
  std::optional<engine::ApiCost> api_bill;
  std::string api_retired;                // the model's API retired on this date: no price offered
  std::optional<license::Result> license; // when a deployment is given

  [[nodiscard]] bool fits() const { return sizing && sizing->fits; }
  // The replica's output tokens/s at the saturating batch, divided by its GPUs.
  [[nodiscard]] std::optional<double> tokens_per_s_per_gpu() const;
};

// The plan's price per GPU-hour, or the GPU's catalog rate when the plan names none; throws
// Error(usage) when neither exists.
double gpu_hour_usd(const engine::SelfHostPlan& plan, const catalog::Gpu& gpu);

// Throws Error(usage) when a volume is asked for on a GPU without a price and no plan price.
Answer answer(const catalog::Catalog& catalog, const catalog::Model& model, const catalog::Precision* precision,
              const catalog::Gpu& gpu, const Question& question);

// --- compare ---------------------------------------------------------------------------------

// Sentences naming the differences that matter between the answers (ratios of 1.2x and more,
// GPU counts, license verdicts, cost), most telling first.
std::vector<std::string> differences(const std::vector<Answer>& answers);

// --- pick ------------------------------------------------------------------------------------

// --- quality (docs/quality.md) ---------------------------------------------------------------

// The score a model is ranked by on `benchmark`: one with a stated setting, preferring the
// publisher's own (self-reported), then an independent leaderboard's, then another lab's table;
// the newest among equals. nullptr: none usable.
const catalog::Score* preferred_score(const catalog::Model& model, std::string_view benchmark);
// Benchmarks scored in percent (all but arena-elo, an Elo rating): usd-per-quality divides by
// value / 100 only for these.
bool percent_scale(std::string_view benchmark);

// One like-with-like comparison: the same benchmark, setting and measurer for every model in it.
struct QualityRow {
  std::string benchmark;
  std::string setting;
  std::string measured_by;
  std::vector<std::pair<const catalog::Model*, const catalog::Score*>> values; // in the models' order
};
// Every benchmark, setting and measurer at least two of `models` share; then each model's
// scores that have no partner (shown apart, not compared) in `unmatched`.
std::vector<QualityRow> like_with_like(const std::vector<const catalog::Model*>& models,
                                       std::vector<std::pair<const catalog::Model*, const catalog::Score*>>* unmatched);

enum class PickSort { cost, params, context, throughput, quality, usd_per_quality };
std::string_view to_string(PickSort s);
std::optional<PickSort> pick_sort_from_string(std::string_view text);
std::string pick_sort_names();

struct PickFilter {
  std::uint64_t max_gpus = 0; // the hardware: at most this many GPUs of the kind
  std::optional<catalog::Category> category;
  std::uint64_t min_context = 0;
  const catalog::Precision* precision = nullptr; // only this precision (null: every one the GPU runs)
  // --min-score BENCH=VALUE: a usable score at least this (no usable score: excluded, said so)
  std::vector<std::pair<std::string, double>> min_scores;
  // the benchmark quality and usd-per-quality rank by (the first --min-score's, else gpqa-diamond)
  std::string quality_benchmark = "gpqa-diamond";
};

struct Exclusion {
  const catalog::Model* model = nullptr;
  std::string reason;
  std::uint64_t gpus_needed = 0; // fewest GPUs at any precision (0: none fits at all)
};

struct PickResult {
  const catalog::Gpu* gpu = nullptr;
  // Ranked, one per model (its best precision for the sort). Numbers only: the reports'
  // `assumptions` are left empty, since pick prints none (engine::sizing_assumptions,
  // throughput_assumptions and cost_assumptions word them for a report).
  std::vector<Answer> results;
  std::vector<Exclusion> excluded; // every other self-hostable model, nearest misses first
  // quality and usd-per-quality: the priced API models (still on sale, with a usable score)
  // ranked beside the self-hosted ones at their list prices
  std::vector<Answer> apis;
};

PickResult pick(const catalog::Catalog& catalog, const catalog::Gpu& gpu, const Question& question,
                const PickFilter& filter, PickSort sort);

// Why `model` is ranked or excluded: one line per precision tried.
std::vector<std::string> explain_pick(const catalog::Catalog& catalog, const catalog::Model& model,
                                      const catalog::Gpu& gpu, const Question& question, const PickFilter& filter);

// --- check ------------------------------------------------------------------------------------

// What a deployment file expects to stay true.
struct Expectations {
  bool fits = true;
  std::vector<license::Verdict> fail_on{license::Verdict::needs_agreement, license::Verdict::not_allowed,
                                        license::Verdict::unknown};
  bool self_host_cheaper_than_api = false;
  std::optional<double> max_usd_per_million_tokens;
  std::optional<std::uint64_t> max_gpus;
};

struct CheckResult {
  const catalog::Model* model = nullptr;
  std::string check; // fits, license, cheaper-than-api, max-usd-per-million-tokens, max-gpus
  bool passed = false;
  std::string detail;
};

// Every expectation against every answer; `apis` are the alternatives priced at the volume.
// Throws Error(usage) when an expectation needs a volume and the question has none.
std::vector<CheckResult> check_expectations(const std::vector<Answer>& answers, const Expectations& expect,
                                            const std::vector<const catalog::Model*>& apis, const Question& question);

} // namespace modelpick::advisor
