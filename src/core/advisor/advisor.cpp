#include "modelpick/advisor/advisor.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <functional>

#include "modelpick/error.hpp"
#include "modelpick/util/names.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::advisor {

bool passes(const license::Result& r) {
  return r.verdict == license::Verdict::allowed || r.verdict == license::Verdict::allowed_with_obligations;
}

constexpr std::pair<ExclusionKind, std::string_view> k_exclusion_names[] = {
    {ExclusionKind::category, "category"},       {ExclusionKind::min_context, "min-context"},
    {ExclusionKind::context, "context"},         {ExclusionKind::no_score, "no-score"},
    {ExclusionKind::below_score, "below-score"}, {ExclusionKind::fit, "fit"},
    {ExclusionKind::license, "license"}};

std::string_view to_string(ExclusionKind k) {
  return util::name_of(k_exclusion_names, k);
}

namespace {

using util::group_digits;

constexpr std::pair<PickSort, std::string_view> k_sort_names[] = {
    {PickSort::cost, "cost"},       {PickSort::params, "params"},
    {PickSort::context, "context"}, {PickSort::throughput, "throughput"},
    {PickSort::quality, "quality"}, {PickSort::usd_per_quality, "usd-per-quality"}};

// A difference worth a sentence: one side at least this many times the other.
constexpr double k_notable_ratio = 1.2;

bool runs_on(const catalog::Precision& p, const catalog::Gpu& gpu, const catalog::Model& m,
             const engine::SizingRequest& sizing) {
  if (p.needs_fp8_hardware && !gpu.fp8 && !gpu.weight_only_fp8) {
    return false; // no FP8 tensor cores, and no weight-only FP8 kernels either
  }
  // a format only some engines load (GGUF types: llama.cpp) is tried under those engines
  if (!p.engines.empty() && sizing.engine &&
      std::find(p.engines.begin(), p.engines.end(), engine::to_string(sizing.engine->engine)) == p.engines.end()) {
    return false;
  }
  return !p.experts_only || m.architecture->moe.has_value(); // an experts-only format leaves a dense model 16-bit
}

// $ per 1M tokens of an answer at the volume: self-hosted, or the API's list price.
double usd_per_million(const Answer& a) {
  return a.cost ? a.cost->self_host.usd_per_million_tokens : (a.api_bill ? a.api_bill->usd_per_million_tokens : 0);
}

// The sort key of a ranked answer: larger is better.
double score(const Answer& a, PickSort sort, const std::string& benchmark = "gpqa-diamond") {
  switch (sort) {
  case PickSort::quality: {
    const catalog::Score* s = preferred_score(*a.model, benchmark);
    return s != nullptr ? s->value : -1e18;
  }
  case PickSort::usd_per_quality: {
    const catalog::Score* s = preferred_score(*a.model, benchmark);
    return s != nullptr && s->value > 0 ? -usd_per_million(a) / (s->value / 100) : -1e18;
  }
  case PickSort::cost:
    return -a.cost->self_host.usd_per_million_tokens;
  case PickSort::params:
    return static_cast<double>(a.sizing->params_total);
  case PickSort::context:
    return static_cast<double>(a.model->max_context_tokens) * 1e15 + static_cast<double>(a.sizing->params_total);
  case PickSort::throughput:
    return *a.tokens_per_s_per_gpu();
  }
  return 0;
}

// Bits that carry the model's quality: storing weights wider than the official checkpoint
// adds none (gpt-oss's MXFP4 experts at fp8 are no better than as published).
std::uint64_t quality_bits(const Answer& a, const catalog::Catalog* catalog) {
  const auto& native = a.model->native_precision;
  std::uint64_t cap = 16;
  if (catalog != nullptr) {
    for (const catalog::Precision& p : catalog->precisions()) {
      cap = p.id == native ? p.weight_bits : cap;
    }
  }
  return std::min(a.precision->weight_bits, cap);
}

// Prefer, among equal scores, the precision that keeps more of the model, then its own.
bool better(const Answer& a, const Answer& b, PickSort sort, const catalog::Catalog* catalog,
            const std::string& benchmark = "gpqa-diamond") {
  const double sa = score(a, sort, benchmark);
  const double sb = score(b, sort, benchmark);
  if (std::abs(sa - sb) > 1e-9 * std::max(std::abs(sa), std::abs(sb))) {
    return sa > sb;
  }
  if (sort == PickSort::cost && a.sizing->params_total != b.sizing->params_total) {
    return a.sizing->params_total > b.sizing->params_total; // the same price: the larger model
  }
  const std::uint64_t qa = quality_bits(a, catalog);
  const std::uint64_t qb = quality_bits(b, catalog);
  if (qa != qb) {
    return qa > qb;
  }
  const bool na = a.precision->id == a.model->native_precision;
  const bool nb = b.precision->id == b.model->native_precision;
  if (na != nb) {
    return na;
  }
  return a.precision->weight_bits < b.precision->weight_bits; // the same quality in fewer bytes
}

// Why a model does not qualify before any sizing: filters and context.
std::optional<Exclusion> filtered_out(const catalog::Model& m, const Question& q, const PickFilter& f) {
  Exclusion e;
  e.model = &m;
  if (f.category && m.category != *f.category) {
    e.kind = ExclusionKind::category;
    e.category = *f.category;
    return e;
  }
  if (m.max_context_tokens < f.min_context) {
    e.kind = ExclusionKind::min_context;
    e.context = f.min_context;
    return e;
  }
  if (m.max_context_tokens < q.sizing.context_tokens) {
    e.kind = ExclusionKind::context;
    e.context = q.sizing.context_tokens;
    return e;
  }
  for (const auto& [benchmark, least] : f.min_scores) {
    const catalog::Score* s = preferred_score(m, benchmark);
    if (s == nullptr || s->value < least) {
      e.kind = s == nullptr ? ExclusionKind::no_score : ExclusionKind::below_score;
      e.benchmark = benchmark;
      e.score = s;
      e.least = least;
      return e;
    }
  }
  return std::nullopt;
}

// Under a quality sort, a model without a usable score on the benchmark is listed apart.
std::optional<Exclusion> unscored(const catalog::Model& m, PickSort sort, const PickFilter& f) {
  if ((sort == PickSort::quality || sort == PickSort::usd_per_quality) &&
      preferred_score(m, f.quality_benchmark) == nullptr) {
    Exclusion e;
    e.model = &m;
    e.kind = ExclusionKind::no_score;
    e.benchmark = f.quality_benchmark;
    return e;
  }
  return std::nullopt;
}

// Precisions the engine cannot tell apart (bf16 and fp16: 16 bits, no scales, 16-bit math) size
// and run alike; only their names differ, which the tie-break between them reads. The engine
// reads a precision through these fields alone (and names it only in a sizing's assumptions,
// which pick does not word, and in an FP8 warning, which these never carry).
bool stored_alike(const catalog::Precision& a, const catalog::Precision& b) {
  return !a.needs_fp8_hardware && !b.needs_fp8_hardware && a.weight_bits == b.weight_bits &&
         a.group_size == b.group_size && a.group_overhead_bits == b.group_overhead_bits &&
         a.experts_only == b.experts_only && a.attention_16bit == b.attention_16bit;
}

// pick's trial of a model at one precision: the model's parameter counts, counted once for all
// its precisions, the weights placed at this one, and numbers only (pick prints no assumptions).
struct Trial {
  const engine::ParamCounts* params = nullptr;
  const engine::WeightPlacement* weights = nullptr;
  const std::vector<engine::Layout>* layouts = nullptr; // the model's layouts on the GPU, listed once
};

// The license verdict, the API bill and the sizing: everything but throughput and cost.
Answer sized_answer(const catalog::Catalog& catalog, const catalog::Model& model, const catalog::Precision* precision,
                    const catalog::Gpu& gpu, const Question& q, std::optional<Trial> trial = std::nullopt) {
  Answer a;
  a.model = &model;
  a.gpu = &gpu;
  if (q.license) {
    a.license = license::check(catalog, model, *q.license);
  }
  if (model.api_price && model.api_price->retired_on(q.today)) {
    a.api_retired = model.api_price->retires; // no longer bought: no price is offered
  } else if (q.volume && model.api_price) {
    a.api_bill = engine::cheapest_api_cost(model, *q.volume);
  }
  if (!model.self_hostable()) {
    return a;
  }
  a.precision = precision != nullptr ? precision : &catalog.precision(model.native_precision);
  a.sizing = trial
                 ? engine::fit_size(model, *trial->params, *trial->weights, *a.precision, gpu, q.sizing, trial->layouts)
                 : engine::plan_size(model, *a.precision, gpu, q.sizing);
  return a;
}

// Throughput of the layout a sized answer fits, and the cost of the volume on it.
void add_throughput_and_cost(Answer& a, const Question& q, std::optional<Trial> trial = std::nullopt) {
  const catalog::Model& model = *a.model;
  const catalog::Gpu& gpu = *a.gpu;
  const engine::Layout layout = a.sizing->fit->layout;
  engine::SizingRequest average = q.sizing;
  average.context_tokens = std::min(model.max_context_tokens, q.shape.input_tokens + q.shape.output_tokens / 2);
  average.concurrency = 1;
  engine::ParamCounts params;
  engine::WeightPlacement placed;
  if (!trial) { // one answer (size, compare): counted and placed here
    params = engine::model_params(model);
    placed = engine::place_weights(model, params, *a.precision);
    trial = Trial{&params, &placed};
  }
  const std::uint64_t kv_batch =
      engine::evaluate_layout(model, *trial->weights, *a.precision, gpu, average, layout).share.max_concurrency;
  a.throughput =
      engine::estimate_throughput(model, *trial->params, *a.precision, gpu, layout, q.shape, q.batch, kv_batch);
  if (q.volume) {
    engine::SelfHostPlan plan = q.plan;
    plan.gpu_hour_usd = gpu_hour_usd(plan, gpu);
    a.cost = engine::estimate_cost(*a.throughput, *q.volume, plan, q.apis);
  }
}

// The model sized at every precision the filter and the GPU allow, and where each one's weights
// sit (weights[i] is answers[i]'s); throughput and cost come later, for those that qualify.
struct Tried {
  std::vector<Answer> answers;
  std::vector<engine::WeightPlacement> weights;

  [[nodiscard]] Trial trial(const engine::ParamCounts& params, const Answer& a) const {
    return {&params, &weights[static_cast<std::size_t>(&a - answers.data())]};
  }
};

Tried try_precisions(const catalog::Catalog& catalog, const catalog::Model& m, const catalog::Gpu& gpu,
                     const Question& q, const PickFilter& f, const engine::ParamCounts& params) {
  Tried out;
  out.answers.reserve(catalog.precisions().size());
  out.weights.reserve(catalog.precisions().size());
  Question sized = q;
  sized.license.reset(); // checked once per model
  const std::vector<engine::Layout> layouts = engine::sizing_layouts(m, gpu, q.sizing);
  for (const catalog::Precision& p : catalog.precisions()) {
    if ((f.precision != nullptr && f.precision != &p) || !runs_on(p, gpu, m, q.sizing)) {
      continue;
    }
    // A precision stored like one tried already: that trial, under its own name.
    const auto twin = std::find_if(out.answers.begin(), out.answers.end(),
                                   [&](const Answer& a) { return stored_alike(*a.precision, p); });
    if (twin != out.answers.end()) {
      Answer same = *twin;
      same.precision = &p;
      same.sizing->precision = &p;
      out.weights.push_back(out.weights[static_cast<std::size_t>(twin - out.answers.begin())]);
      out.answers.push_back(std::move(same));
      continue;
    }
    out.weights.push_back(engine::place_weights(m, params, p));
    out.answers.push_back(sized_answer(catalog, m, &p, gpu, sized, Trial{&params, &out.weights.back(), &layouts}));
  }
  return out;
}

std::uint64_t gpus_of(const Answer& a) {
  return a.fits() ? a.sizing->fit->layout.gpus() : 0;
}

} // namespace

double gpu_hour_usd(const engine::SelfHostPlan& plan, const catalog::Gpu& gpu) {
  if (plan.gpu_hour_usd > 0) {
    return plan.gpu_hour_usd;
  }
  if (!gpu.price) {
    throw Error(ErrorKind::usage, fmt::format("the catalog has no rental price for {}: pass --gpu-hour-usd", gpu.id));
  }
  return gpu.price->usd_per_gpu_hour;
}

std::optional<double> Answer::tokens_per_s_per_gpu() const {
  if (!throughput) {
    return std::nullopt;
  }
  return throughput->saturated.tokens_per_s / static_cast<double>(throughput->layout.gpus());
}

Answer answer(const catalog::Catalog& catalog, const catalog::Model& model, const catalog::Precision* precision,
              const catalog::Gpu& gpu, const Question& q) {
  Answer a = sized_answer(catalog, model, precision, gpu, q);
  if (!a.fits()) {
    return a;
  }
  add_throughput_and_cost(a, q);
  if (!q.volume || q.sizing.gpus) {
    return a; // no volume to serve, or the replica's GPU count is the user's
  }
  // With a volume, the replica is the layout that serves it for the least a month: the fewest
  // GPUs that hold one request, or any larger count up to a node (more KV cache, a bigger
  // batch, fewer replicas).
  const std::uint64_t fewest = a.sizing->fit->layout.gpus();
  const std::uint64_t limit = std::max<std::uint64_t>(gpu.tp_domain(), fewest);
  std::uint64_t tried = 1;
  // every layout priced: where self-hosting beats each API is the cheapest of them at each volume
  std::vector<engine::ReplicaOption> options = a.cost ? a.cost->options : std::vector<engine::ReplicaOption>{};
  for (std::uint64_t g = fewest + 1; g <= limit; ++g) {
    if (engine::layouts_for_count(*model.architecture, gpu.tp_domain(), g, q.sizing.uneven_stages, q.sizing.tp_nodes)
            .empty()) {
      continue; // no layout of exactly g GPUs
    }
    Question bigger = q;
    bigger.sizing.gpus = g;
    Answer b = sized_answer(catalog, model, precision, gpu, bigger);
    if (!b.fits()) {
      continue;
    }
    add_throughput_and_cost(b, bigger);
    ++tried;
    if (b.cost) {
      options.insert(options.end(), b.cost->options.begin(), b.cost->options.end());
    }
    if (b.cost && a.cost && b.cost->self_host.usd_per_month < a.cost->self_host.usd_per_month) {
      b.sizing->request.gpus.reset(); // searched, not given
      a = std::move(b);
    }
  }
  if (a.cost && tried > 1) {
    engine::price_layouts(*a.cost, std::move(options));
  }
  return a;
}

std::vector<Difference> differences(const std::vector<Answer>& answers) {
  std::vector<Difference> out;
  std::vector<const Answer*> fit;
  for (const Answer& a : answers) {
    if (a.license && !passes(*a.license)) {
      out.push_back({DifferenceKind::license, &a, nullptr, 0, 0});
    }
    if (!a.model->self_hostable()) {
      out.push_back({DifferenceKind::api_only, &a, nullptr, 0, 0});
    } else if (!a.fits()) {
      out.push_back({DifferenceKind::does_not_fit, &a, nullptr, 0, 0});
    } else {
      fit.push_back(&a);
    }
  }
  if (fit.size() < 2) {
    return out;
  }
  // For each measure, the extremes among the models that fit; kept where one is at least
  // k_notable_ratio times the other or, for GPU counts, where they differ at all.
  const auto compare = [&](DifferenceKind kind, auto value, bool any_difference = false) {
    const auto [lo, hi] = std::minmax_element(fit.begin(), fit.end(),
                                              [&](const Answer* x, const Answer* y) { return value(*x) < value(*y); });
    const double l = value(**lo);
    const double h = value(**hi);
    if (any_difference ? h > l : l > 0 && h >= k_notable_ratio * l && h < 1e18) {
      out.push_back({kind, *hi, *lo, h, l});
    }
  };
  compare(
      DifferenceKind::gpus, [](const Answer& a) { return static_cast<double>(gpus_of(a)); }, true);
  if (std::all_of(fit.begin(), fit.end(), [](const Answer* a) { return a->cost.has_value(); })) {
    compare(DifferenceKind::usd_per_million, [](const Answer& a) { return a.cost->self_host.usd_per_million_tokens; });
  }
  compare(DifferenceKind::tokens_per_s_gpu, [](const Answer& a) { return *a.tokens_per_s_per_gpu(); });
  compare(DifferenceKind::kv_per_token,
          [](const Answer& a) { return static_cast<double>(a.sizing->kv_bytes_per_token); });
  compare(DifferenceKind::sequences,
          [](const Answer& a) { return static_cast<double>(a.sizing->fit->share.max_concurrency); });
  compare(DifferenceKind::weights, [](const Answer& a) { return static_cast<double>(a.sizing->weights_bytes); });
  return out;
}

std::string_view to_string(PickSort s) {
  return util::name_of(k_sort_names, s);
}

std::optional<PickSort> pick_sort_from_string(std::string_view text) {
  return util::value_of(k_sort_names, text);
}

std::string pick_sort_names() {
  return util::names_of(k_sort_names);
}

PickResult pick(const catalog::Catalog& catalog, const catalog::Gpu& gpu, const Question& q, const PickFilter& f,
                PickSort sort) {
  PickResult out;
  out.gpu = &gpu;
  out.results.reserve(catalog.models().size()); // an Answer is large: grown by doubling, most is copying
  for (const catalog::Model& m : catalog.models()) {
    if (!m.self_hostable()) {
      continue;
    }
    if (auto why = filtered_out(m, q, f)) {
      out.excluded.push_back(std::move(*why));
      continue;
    }
    if (auto why = unscored(m, sort, f)) {
      out.excluded.push_back(std::move(*why));
      continue;
    }
    std::optional<license::Result> verdict;
    if (q.license) {
      verdict = license::check(catalog, m, *q.license);
    }
    const engine::ParamCounts params = engine::model_params(m);
    Tried tried = try_precisions(catalog, m, gpu, q, f, params);
    const Answer* fewest = nullptr; // the precision needing the fewest GPUs, for the reason
    std::vector<Answer*> qualifying;
    for (Answer& a : tried.answers) {
      if (a.fits() && (fewest == nullptr || gpus_of(a) < gpus_of(*fewest))) {
        fewest = &a;
      }
      if (a.fits() && gpus_of(a) <= f.max_gpus) {
        qualifying.push_back(&a);
      }
    }
    const bool license_fails = verdict && !passes(*verdict);
    if (qualifying.empty() || license_fails) {
      Exclusion e;
      e.model = &m;
      e.kind = qualifying.empty() ? ExclusionKind::fit : ExclusionKind::license;
      e.gpus_needed = fewest ? gpus_of(*fewest) : 0;
      e.fewest_precision = fewest ? fewest->precision : nullptr;
      if (license_fails) {
        e.license = verdict;
      }
      out.excluded.push_back(std::move(e));
      continue;
    }
    // Ranking by cost or throughput needs every qualifying precision's estimate; ranking by
    // parameters or context does not, and estimates the chosen precision only.
    const bool rank_needs_estimates =
        sort == PickSort::cost || sort == PickSort::throughput || sort == PickSort::usd_per_quality;
    Answer* best = nullptr;
    for (auto it = qualifying.begin(); it != qualifying.end(); ++it) {
      Answer* a = *it;
      if (rank_needs_estimates) {
        const auto twin = std::find_if(qualifying.begin(), it,
                                       [&](const Answer* b) { return stored_alike(*b->precision, *a->precision); });
        if (twin != it) {
          a->throughput = (*twin)->throughput;
          a->cost = (*twin)->cost;
        } else {
          add_throughput_and_cost(*a, q, tried.trial(params, *a));
        }
      }
      if (best == nullptr || better(*a, *best, sort, &catalog, f.quality_benchmark)) {
        best = a;
      }
    }
    if (!rank_needs_estimates) {
      add_throughput_and_cost(*best, q, tried.trial(params, *best));
    }
    Answer chosen = std::move(*best);
    chosen.license = verdict;
    out.results.push_back(std::move(chosen));
  }
  // Stable (ties keep the catalog's order, which results are in) without stable_sort's buffer of
  // Answers: ties are broken by the model's place in the catalog.
  std::sort(out.results.begin(), out.results.end(), [&](const Answer& a, const Answer& b) {
    return better(a, b, sort, &catalog, f.quality_benchmark) ||
           (!better(b, a, sort, &catalog, f.quality_benchmark) && std::less<>{}(a.model, b.model));
  });
  if (sort == PickSort::quality || sort == PickSort::usd_per_quality) {
    // the API alternatives at their list prices, ranked the same way
    for (const catalog::Model& m : catalog.models()) {
      if (m.self_hostable() || !m.api_price || m.api_price->retired_on(q.today) || filtered_out(m, q, f).has_value() ||
          preferred_score(m, f.quality_benchmark) == nullptr) {
        continue;
      }
      Answer a = answer(catalog, m, nullptr, gpu, q);
      if (sort == PickSort::usd_per_quality && !a.api_bill) {
        continue;
      }
      if (!a.license || passes(*a.license)) {
        out.apis.push_back(std::move(a));
      }
    }
    std::sort(out.apis.begin(), out.apis.end(), [&](const Answer& a, const Answer& b) {
      const double sa = score(a, sort, f.quality_benchmark);
      const double sb = score(b, sort, f.quality_benchmark);
      return sa > sb || (sa == sb && std::less<>{}(a.model, b.model));
    });
  }
  // Nearest misses first: fitting on the fewest GPUs (license-only exclusions lead).
  std::stable_sort(out.excluded.begin(), out.excluded.end(), [](const Exclusion& a, const Exclusion& b) {
    const auto key = [](const Exclusion& e) { return e.gpus_needed == 0 ? UINT64_MAX : e.gpus_needed; };
    return key(a) < key(b);
  });
  return out;
}

PickExplanation explain_pick(const catalog::Catalog& catalog, const catalog::Model& m, const catalog::Gpu& gpu,
                             const Question& q, const PickFilter& f) {
  PickExplanation out;
  if (!m.self_hostable()) {
    out.api_only = true;
    return out;
  }
  out.filtered = filtered_out(m, q, f);
  if (out.filtered) {
    return out;
  }
  if (q.license) {
    out.license = license::check(catalog, m, *q.license);
  }
  for (const catalog::Precision& p : catalog.precisions()) {
    if (f.precision != nullptr && f.precision != &p) {
      continue;
    }
    PrecisionTrial t;
    t.precision = &p;
    if (!runs_on(p, gpu, m, q.sizing)) {
      t.outcome = p.needs_fp8_hardware && !gpu.fp8 && !gpu.weight_only_fp8 ? TrialOutcome::no_fp8
                  : p.experts_only && !m.architecture->moe                 ? TrialOutcome::experts_only
                                                                           : TrialOutcome::other_engine;
      out.trials.push_back(std::move(t));
      continue;
    }
    Question sized = q;
    sized.license.reset();
    sized.volume.reset();
    t.answer = answer(catalog, m, &p, gpu, sized);
    t.outcome = !t.answer->fits()                 ? TrialOutcome::does_not_fit
                : gpus_of(*t.answer) > f.max_gpus ? TrialOutcome::too_many_gpus
                                                  : TrialOutcome::fits;
    out.trials.push_back(std::move(t));
  }
  return out;
}

std::vector<CheckResult> check_expectations(const std::vector<Answer>& answers, const Expectations& e,
                                            const std::vector<const catalog::Model*>& apis, const Question& q) {
  if (!q.volume && (e.self_host_cheaper_than_api || e.max_usd_per_million_tokens)) {
    throw Error(ErrorKind::usage, "the cost expectations need a volume (\"volume\": {\"tokens_per_day\": ...})");
  }
  std::vector<CheckResult> out;
  for (const Answer& a : answers) {
    const auto add = [&](const char* check, bool passed) -> CheckResult& {
      CheckResult r;
      r.model = a.model;
      r.check = check;
      r.passed = passed;
      r.answer = &a;
      out.push_back(std::move(r));
      return out.back();
    };
    // an expectation that cannot be evaluated fails, saying why (it never silently vanishes)
    const Unevaluable why = !a.model->self_hostable() ? Unevaluable::api_only : Unevaluable::does_not_fit;
    if (e.fits) {
      add("fits", a.model->self_hostable() && a.fits()).unevaluable =
          a.model->self_hostable() ? Unevaluable::no : Unevaluable::api_only;
    }
    if (a.license) {
      add("license", std::find(e.fail_on.begin(), e.fail_on.end(), a.license->verdict) == e.fail_on.end());
    }
    if (e.max_gpus) {
      if (a.fits()) {
        const std::uint64_t gpus = a.cost ? a.cost->self_host.gpus : gpus_of(a);
        CheckResult& r = add("max-gpus", gpus <= *e.max_gpus);
        r.value = static_cast<double>(gpus);
        r.limit = static_cast<double>(*e.max_gpus);
      } else {
        add("max-gpus", false).unevaluable = why;
      }
    }
    if (e.max_usd_per_million_tokens) {
      if (a.cost) {
        const double v = a.cost->self_host.usd_per_million_tokens;
        CheckResult& r = add("max-usd-per-million-tokens", v <= *e.max_usd_per_million_tokens);
        r.value = v;
        r.limit = *e.max_usd_per_million_tokens;
      } else {
        add("max-usd-per-million-tokens", false).unevaluable = why;
      }
    }
    if (e.self_host_cheaper_than_api && !a.cost) {
      add("cheaper-than-api", false).unevaluable = why;
    } else if (e.self_host_cheaper_than_api && apis.empty()) {
      add("cheaper-than-api", false).unevaluable = Unevaluable::no_api_named;
    } else if (e.self_host_cheaper_than_api) {
      for (const catalog::Model* api : apis) {
        const engine::ApiCost bill = engine::cheapest_api_cost(*api, *q.volume);
        CheckResult& r = add("cheaper-than-api", a.cost->self_host.usd_per_month <= bill.usd_per_month);
        r.value = a.cost->self_host.usd_per_month;
        r.limit = bill.usd_per_month;
        r.api = api;
        r.bill = bill;
      }
    }
  }
  return out;
}

const catalog::Score* preferred_score(const catalog::Model& model, std::string_view benchmark) {
  const auto rank = [](const catalog::Score& s) { return s.self_reported() ? 0 : s.independent() ? 1 : 2; };
  const catalog::Score* best = nullptr;
  for (const catalog::Score& s : model.scores) {
    if (s.benchmark != benchmark || s.setting.empty()) {
      continue; // a score without its setting is shown, never ranked
    }
    if (best == nullptr || rank(s) < rank(*best) || (rank(s) == rank(*best) && s.date > best->date)) {
      best = &s;
    }
  }
  return best;
}

bool percent_scale(std::string_view benchmark) {
  return benchmark != "arena-elo";
}

std::vector<QualityRow>
like_with_like(const std::vector<const catalog::Model*>& models,
               std::vector<std::pair<const catalog::Model*, const catalog::Score*>>* unmatched) {
  std::vector<QualityRow> rows;
  std::vector<const catalog::Score*> used;
  for (const catalog::Model* m : models) {
    for (const catalog::Score& s : m->scores) {
      if (s.setting.empty()) {
        continue;
      }
      // two publishers' own figures are two measurers, not one
      const std::string measurer = s.self_reported() ? fmt::format("self-reported by {}", m->publisher) : s.measured_by;
      auto row = std::find_if(rows.begin(), rows.end(), [&](const QualityRow& r) {
        return r.benchmark == s.benchmark && r.setting == s.setting && r.measured_by == measurer;
      });
      if (row == rows.end()) {
        rows.push_back({s.benchmark, s.setting, measurer, {}});
        row = rows.end() - 1;
      }
      const bool have =
          std::any_of(row->values.begin(), row->values.end(), [&](const auto& v) { return v.first == m; });
      if (!have) {
        row->values.emplace_back(m, &s);
      }
    }
  }
  std::vector<QualityRow> shared;
  for (QualityRow& r : rows) {
    if (r.values.size() >= 2) {
      for (const auto& v : r.values) {
        used.push_back(v.second);
      }
      shared.push_back(std::move(r));
    }
  }
  if (unmatched != nullptr) {
    for (const catalog::Model* m : models) {
      for (const catalog::Score& s : m->scores) {
        if (std::find(used.begin(), used.end(), &s) == used.end()) {
          unmatched->emplace_back(m, &s);
        }
      }
    }
  }
  return shared;
}

} // namespace modelpick::advisor
