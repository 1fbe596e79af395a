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

// Whether a license verdict lets the deployment go ahead (allowed, with obligations or not).
bool passes(const license::Result& result);

// The plan's price per GPU-hour, or the GPU's catalog rate when the plan names none; throws
// Error(usage) when neither exists.
double gpu_hour_usd(const engine::SelfHostPlan& plan, const catalog::Gpu& gpu);

// Throws Error(usage) when a volume is asked for on a GPU without a price and no plan price.
Answer answer(const catalog::Catalog& catalog, const catalog::Model& model, const catalog::Precision* precision,
              const catalog::Gpu& gpu, const Question& question);

// --- compare ---------------------------------------------------------------------------------

// A difference that matters between the answers: one model's own (a license that fails, no
// weights, no fit) or a measure where the models that fit differ by k_notable_ratio or more.
// Values only; render::difference_text words it.
enum class DifferenceKind {
  license,          // `high`'s license fails the deployment
  api_only,         // `high` has no weights (its API bill, where priced, in Answer::api_bill)
  does_not_fit,     // `high` does not fit
  gpus,             // `high` needs more GPUs than `low`
  usd_per_million,  // `low` costs less per 1M tokens than `high`
  tokens_per_s_gpu, // `high` serves more tokens/s per GPU than `low`
  kv_per_token,     // `low` keeps less KV cache per token than `high`
  sequences,        // `high` holds more sequences of the context than `low`
  weights,          // `high`'s weights are larger than `low`'s
};
struct Difference {
  DifferenceKind kind = DifferenceKind::gpus;
  const Answer* high = nullptr; // the model with the larger value (or the one the difference is about)
  const Answer* low = nullptr;  // the model with the smaller value (nullptr for a model's own)
  double high_value = 0;
  double low_value = 0;
};
// The differences between the answers (which must outlive them), most telling first.
std::vector<Difference> differences(const std::vector<Answer>& answers);

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

// Why pick leaves a model out. Values only: render::exclusion_reason words them.
enum class ExclusionKind {
  category,    // not the --category asked for (`category`)
  min_context, // its context is below --min-context (`context`)
  context,     // its context is below the request's (`context`)
  no_score,    // no score with a stated setting on `benchmark` (a --min-score's, or the quality sort's)
  below_score, // its preferred `score` on `benchmark` is below --min-score `least`
  fit,         // no precision fits within the GPUs allowed (`license` too when that fails as well)
  license,     // its license alone (`license`)
};
std::string_view to_string(ExclusionKind kind); // "category", "min-context", ... (pick --json excluded[].kind)

struct Exclusion {
  const catalog::Model* model = nullptr;
  ExclusionKind kind = ExclusionKind::fit;
  std::uint64_t gpus_needed = 0;                        // fewest GPUs at any precision (0: none fits at all)
  const catalog::Precision* fewest_precision = nullptr; // fit: the precision needing them (nullptr: none fits)
  std::optional<license::Result> license;               // a verdict that fails the deployment
  std::string benchmark;
  const catalog::Score* score = nullptr;
  double least = 0;
  std::uint64_t context = 0; // the context the filter or the request asks for
  catalog::Category category = catalog::Category::dense;
};

struct PickResult {
  const catalog::Gpu* gpu = nullptr;
  // Ranked, one per model (its best precision for the sort). Numbers only, like every report:
  // render/assumptions_render words a report's assumptions where one is printed.
  std::vector<Answer> results;
  std::vector<Exclusion> excluded; // every other self-hostable model, nearest misses first
  // quality and usd-per-quality: the priced API models (still on sale, with a usable score)
  // ranked beside the self-hosted ones at their list prices
  std::vector<Answer> apis;
};

PickResult pick(const catalog::Catalog& catalog, const catalog::Gpu& gpu, const Question& question,
                const PickFilter& filter, PickSort sort);

// Why `model` is ranked or excluded: one line per precision tried.
// pick --explain MODEL: what became of each precision. Values only: render::pick_explain words it.
enum class TrialOutcome {
  no_fp8,        // not tried: the GPU has neither FP8 tensor cores nor weight-only FP8 kernels
  experts_only,  // not tried: the format quantises routed experts and the model has none
  other_engine,  // not tried: a format only other engines load (GGUF types: llama.cpp)
  does_not_fit,  // no layout holds it (answer->sizing says how close)
  too_many_gpus, // it fits on more GPUs than allowed
  fits,
};
struct PrecisionTrial {
  const catalog::Precision* precision = nullptr;
  TrialOutcome outcome = TrialOutcome::fits;
  std::optional<Answer> answer; // does_not_fit, too_many_gpus, fits
};
struct PickExplanation {
  bool api_only = false;
  std::optional<Exclusion> filtered;      // a filter left it out before any sizing
  std::optional<license::Result> license; // the deployment's verdict, when one is given
  std::vector<PrecisionTrial> trials;     // empty when api_only or filtered
};
PickExplanation explain_pick(const catalog::Catalog& catalog, const catalog::Model& model, const catalog::Gpu& gpu,
                             const Question& question, const PickFilter& filter);

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

// Why an expectation could not be evaluated (it then fails, and says so).
enum class Unevaluable { no, api_only, does_not_fit, no_api_named };

// One expectation against one answer. Values only: render::check_detail words it.
struct CheckResult {
  const catalog::Model* model = nullptr;
  std::string check; // fits, license, cheaper-than-api, max-usd-per-million-tokens, max-gpus
  bool passed = false;
  const Answer* answer = nullptr; // the answer checked (the caller's; it must outlive the results)
  Unevaluable unevaluable = Unevaluable::no;
  double value = 0; // max-gpus: the GPUs; max-usd-per-million-tokens: $ per 1M; cheaper-than-api: $ a month
  double limit = 0; // the most expected; cheaper-than-api: the API's bill a month
  const catalog::Model* api = nullptr; // cheaper-than-api: the API compared
  std::optional<engine::ApiCost> bill; // and its bill
};

// Every expectation against every answer; `apis` are the alternatives priced at the volume.
// Throws Error(usage) when an expectation needs a volume and the question has none.
std::vector<CheckResult> check_expectations(const std::vector<Answer>& answers, const Expectations& expect,
                                            const std::vector<const catalog::Model*>& apis, const Question& question);

} // namespace modelpick::advisor
