#include "pick_render.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "compare_render.hpp"
#include "cost_render.hpp"
#include "license_render.hpp"
#include "modelpick/util/numbers.hpp"
#include "quality_render.hpp"
#include "size_render.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using util::group_digits;

namespace {

// How many exclusions a table shows: the nearest misses.
constexpr std::size_t k_misses_shown = 5;

// A miss worth showing: a fit or a license, not a filter the user set (category, context,
// score threshold).
bool near_miss(const advisor::Exclusion& e) {
  using K = advisor::ExclusionKind;
  return e.kind != K::category && e.kind != K::min_context && e.kind != K::context && e.kind != K::below_score;
}

std::string question_line(const advisor::Question& q, const advisor::PickFilter& f, const catalog::Gpu* gpu) {
  std::string line = fmt::format("up to {} x {} · {} tokens x {} sequence{}", f.max_gpus,
                                 gpu != nullptr ? gpu->id : "?", group_digits(q.sizing.context_tokens),
                                 group_digits(q.sizing.concurrency), q.sizing.concurrency == 1 ? "" : "s");
  if (q.license) {
    line += fmt::format(" · {} MAU", short_count(q.license->mau));
    std::vector<std::string> uses;
    for (const catalog::Use u : q.license->uses) {
      uses.emplace_back(catalog::to_string(u));
    }
    line += fmt::format(" · use {}", fmt::join(uses, ", "));
  }
  if (q.volume) {
    line += fmt::format(" · {} tokens/day", token_count(q.volume->tokens_per_day));
  }
  if (f.category) {
    line += fmt::format(" · {} only", catalog::to_string(*f.category));
  }
  if (f.min_context > 0) {
    line += fmt::format(" · context >= {}", group_digits(f.min_context));
  }
  return line;
}

const catalog::Gpu* gpu_of(const advisor::PickResult& r) {
  return r.gpu;
}

bool quality_sort(advisor::PickSort sort) {
  return sort == advisor::PickSort::quality || sort == advisor::PickSort::usd_per_quality;
}

bool shows_quality(advisor::PickSort sort, const advisor::PickFilter& f) {
  return quality_sort(sort) || !f.min_scores.empty();
}

// The quality benchmark's score and $ per quality point of an answer, as the ranking used them.
ordered_json quality_of(const advisor::Answer& a, const advisor::PickFilter& f) {
  const catalog::Score* s = advisor::preferred_score(*a.model, f.quality_benchmark);
  if (s == nullptr) {
    return nullptr;
  }
  ordered_json q = score_json(*s);
  const double usd =
      a.cost ? a.cost->self_host.usd_per_million_tokens : (a.api_bill ? a.api_bill->usd_per_million_tokens : -1);
  q["usd_per_quality"] = usd >= 0 && s->value > 0 && advisor::percent_scale(s->benchmark)
                             ? ordered_json(usd / (s->value / 100))
                             : ordered_json(nullptr);
  return q;
}

} // namespace

std::string pick_text(const advisor::PickResult& r, const advisor::Question& q, const advisor::PickFilter& f,
                      advisor::PickSort sort, std::size_t top) {
  std::string out = fmt::format("pick · {} · sorted by {}\n\n", question_line(q, f, gpu_of(r)), to_string(sort));
  if (!r.results.empty()) {
    using A = TextTable::Align;
    std::vector<A> aligns = {A::right, A::left, A::left, A::right, A::right, A::right, A::right, A::right};
    std::vector<std::string> header = {"#",    "model",     "precision", "params",
                                       "GPUs", "sequences", "tok/s/GPU", "context"};
    if (q.volume) {
      aligns.push_back(A::right);
      header.emplace_back("$/1M tokens");
    }
    if (shows_quality(sort, f)) {
      aligns.push_back(A::right);
      header.emplace_back(f.quality_benchmark);
    }
    TextTable t(aligns);
    t.add_row(header);
    for (std::size_t i = 0; i < r.results.size() && i < top; ++i) {
      const advisor::Answer& a = r.results[i];
      const auto& l = a.sizing->fit->layout;
      const auto c = a.sizing->fit->share.max_concurrency;
      std::vector<std::string> row = {
          std::to_string(i + 1),
          a.model->id,
          a.precision->id,
          short_count(a.sizing->params_total),
          l.pipeline_parallel > 1 ? fmt::format("{} (TP {} x PP {})", l.gpus(), l.tensor_parallel, l.pipeline_parallel)
                                  : fmt::format("{} (TP {})", l.gpus(), l.tensor_parallel),
          concurrency_text(c),
          group_digits(static_cast<std::uint64_t>(std::llround(*a.tokens_per_s_per_gpu()))),
          group_digits(a.model->max_context_tokens)};
      if (q.volume) {
        row.push_back(usd(a.cost->self_host.usd_per_million_tokens));
      }
      if (shows_quality(sort, f)) {
        const catalog::Score* s = advisor::preferred_score(*a.model, f.quality_benchmark);
        row.push_back(s != nullptr ? score_text(*s) : "-");
      }
      t.add_row(row);
    }
    out += t.render();
    out += fmt::format("\n{} of {} models qualify{}; each at its best precision for the sort.\n", r.results.size(),
                       r.results.size() + r.excluded.size(),
                       r.results.size() > top ? fmt::format(" ({} shown, --top)", top) : std::string{});
  } else {
    out += "No model qualifies. The nearest misses:\n";
  }
  // The nearest misses: the exclusions that need the fewest GPUs, or only a license.
  std::vector<const advisor::Exclusion*> misses;
  for (const auto& e : r.excluded) {
    if (near_miss(e)) {
      misses.push_back(&e);
    }
  }
  if (!misses.empty()) {
    out += r.results.empty() ? "" : "\nnearest misses:\n";
    for (std::size_t i = 0; i < misses.size() && i < k_misses_shown; ++i) {
      out += fmt::format("  {}: {}\n", misses[i]->model->id, exclusion_reason(*misses[i], *r.gpu));
    }
  }
  if (!r.apis.empty()) {
    out += fmt::format("\nAPI alternatives at list prices, ranked the same way ({}):\n", f.quality_benchmark);
    using A = TextTable::Align;
    TextTable t({A::left, A::left, A::right, A::right});
    t.add_row({"model", "provider", "$/1M tokens", f.quality_benchmark});
    for (const advisor::Answer& a : r.apis) {
      const catalog::Score* s = advisor::preferred_score(*a.model, f.quality_benchmark);
      t.add_row({a.model->id, a.api_bill ? engine::billed_price(*a.api_bill).provider : a.model->provider,
                 a.api_bill ? usd(a.api_bill->usd_per_million_tokens) : std::string("-"),
                 s != nullptr ? score_text(*s) : "-"});
    }
    out += t.render("  ");
  }
  if (shows_quality(sort, f)) {
    out += "\nScores as their publishers (self-reported) or leaderboards (independent) state them, each with its "
           "setting in --json; usd-per-quality = $/1M tokens / (score / 100).\n";
  }
  out += "\n`modelpick pick ... --explain MODEL` says why a model is ranked or excluded.\n";
  return out;
}

ordered_json pick_json(const advisor::PickResult& r, const advisor::Question& q, const advisor::PickFilter& f,
                       advisor::PickSort sort, std::size_t top) {
  ordered_json j;
  j["query"] = {{"max_gpus", f.max_gpus},
                {"context_tokens", q.sizing.context_tokens},
                {"concurrency", q.sizing.concurrency},
                {"sort", std::string(to_string(sort))},
                {"tokens_per_day", q.volume ? ordered_json(q.volume->tokens_per_day) : ordered_json(nullptr)},
                {"mau", q.license ? ordered_json(q.license->mau) : ordered_json(nullptr)},
                {"quality_benchmark", f.quality_benchmark}};
  j["query"]["min_scores"] = ordered_json::array();
  for (const auto& [b, v] : f.min_scores) {
    j["query"]["min_scores"].push_back({{"benchmark", b}, {"value", v}});
  }
  j["results"] = ordered_json::array();
  for (std::size_t i = 0; i < r.results.size() && i < top; ++i) {
    const advisor::Answer& a = r.results[i];
    ordered_json e = answer_json(a);
    ordered_json entry;
    entry["rank"] = i + 1;
    entry["model"] = e["model"];
    entry["precision"] = a.precision->id;
    entry["fit"] = e["fit"];
    entry["usd_per_million_tokens"] =
        a.cost ? ordered_json(a.cost->self_host.usd_per_million_tokens) : ordered_json(nullptr);
    entry["tokens_per_s_per_gpu"] = *a.tokens_per_s_per_gpu();
    entry["memory"] = e["memory"];
    entry["throughput"] = e["throughput"];
    if (a.cost) {
      entry["cost"] = e["cost"];
    }
    if (a.license) {
      entry["license"] = e["license"];
    }
    entry["quality"] = quality_of(a, f);
    entry["scores"] = scores_json(*a.model);
    j["results"].push_back(entry);
  }
  j["api_alternatives"] = ordered_json::array();
  for (std::size_t i = 0; i < r.apis.size(); ++i) {
    const advisor::Answer& a = r.apis[i];
    ordered_json entry{{"rank", i + 1},
                       {"model", {{"id", a.model->id}, {"provider", a.model->provider}}},
                       {"usd_per_million_tokens",
                        a.api_bill ? ordered_json(a.api_bill->usd_per_million_tokens) : ordered_json(nullptr)},
                       {"quality", quality_of(a, f)},
                       {"scores", scores_json(*a.model)}};
    if (a.license) {
      entry["license"] = result_json(*a.license);
    }
    j["api_alternatives"].push_back(entry);
  }
  j["qualifying"] = r.results.size();
  j["excluded"] = ordered_json::array();
  for (const auto& x : r.excluded) {
    j["excluded"].push_back(
        {{"model", {{"id", x.model->id}}},
         {"reason", exclusion_reason(x, *r.gpu)},
         {"kind", std::string(to_string(x.kind))},
         {"gpus_needed", x.gpus_needed == 0 ? ordered_json(nullptr) : ordered_json(x.gpus_needed)}});
  }
  return j;
}

std::string exclusion_reason(const advisor::Exclusion& e, const catalog::Gpu& gpu) {
  const catalog::Model& m = *e.model;
  std::string why;
  switch (e.kind) {
  case advisor::ExclusionKind::category:
    return fmt::format("category {}, not {}", catalog::to_string(m.category), catalog::to_string(e.category));
  case advisor::ExclusionKind::min_context:
    return fmt::format("context {} tokens, below --min-context {}", group_digits(m.max_context_tokens),
                       group_digits(e.context));
  case advisor::ExclusionKind::context:
    return fmt::format("context {} tokens, below the {} asked for", group_digits(m.max_context_tokens),
                       group_digits(e.context));
  case advisor::ExclusionKind::no_score:
    return fmt::format("no {} score with a stated setting in the catalog: not ranked on it", e.benchmark);
  case advisor::ExclusionKind::below_score:
    return fmt::format("{} {} ({}, {}), below --min-score {}", e.benchmark, e.score->value, e.score->setting,
                       e.score->measured_by, e.least);
  case advisor::ExclusionKind::fit:
    why = e.fewest_precision == nullptr
              ? fmt::format("does not fit any layout of {} at any precision", gpu.id)
              : fmt::format("needs {} x {} even at {}", e.gpus_needed, gpu.id, e.fewest_precision->id);
    break;
  case advisor::ExclusionKind::license:
    break;
  }
  if (e.license) {
    why += (why.empty() ? "" : "; ") + license_reason(*e.license);
  }
  return why;
}

std::string pick_explain(const catalog::Model& m, const advisor::PickExplanation& x, const advisor::PickResult& r,
                         const advisor::Question& q, const advisor::PickFilter& f) {
  const catalog::Gpu& gpu = *gpu_of(r);
  std::string out = fmt::format("pick --explain {} · {}\n\n", m.id, question_line(q, f, &gpu));
  const auto ranked =
      std::find_if(r.results.begin(), r.results.end(), [&](const advisor::Answer& a) { return a.model == &m; });
  if (ranked != r.results.end()) {
    out += fmt::format("ranked #{} of {} at {}\n", ranked - r.results.begin() + 1, r.results.size(),
                       ranked->precision->id);
  } else {
    const auto left_out =
        std::find_if(r.excluded.begin(), r.excluded.end(), [&](const advisor::Exclusion& e) { return e.model == &m; });
    out += left_out != r.excluded.end() ? "excluded: " + exclusion_reason(*left_out, gpu) + "\n"
                                        : "not considered (API-only)\n";
  }
  std::vector<std::string> lines;
  if (x.api_only) {
    lines.push_back(fmt::format("{} is API-only: nothing to self-host", m.id));
  } else if (x.filtered) {
    lines.push_back("excluded: " + exclusion_reason(*x.filtered, gpu));
  }
  if (x.license) {
    lines.push_back(advisor::passes(*x.license)
                        ? fmt::format("license: {} ({})", license::to_string(x.license->verdict), m.license)
                        : "excluded: " + license_reason(*x.license));
  }
  for (const advisor::PrecisionTrial& t : x.trials) {
    const catalog::Precision& p = *t.precision;
    switch (t.outcome) {
    case advisor::TrialOutcome::no_fp8:
      lines.push_back(fmt::format("{}: not tried ({} has no FP8 tensor cores)", p.id, gpu.id));
      break;
    case advisor::TrialOutcome::experts_only:
      lines.push_back(fmt::format("{}: not tried (it quantises experts only and the model has none)", p.id));
      break;
    case advisor::TrialOutcome::other_engine:
      lines.push_back(fmt::format("{}: not tried (a {} format; --engine {} tries it)", p.id,
                                  fmt::join(p.engines, " / "), fmt::join(p.engines, " / ")));
      break;
    case advisor::TrialOutcome::does_not_fit:
      lines.push_back(fmt::format("{}: {}", p.id, not_fit_reason(*t.answer->sizing)));
      break;
    case advisor::TrialOutcome::too_many_gpus: {
      const engine::Layout& l = t.answer->sizing->fit->layout;
      lines.push_back(fmt::format("{}: needs {} x {} (TP {} x PP {}), more than the {} available", p.id, l.gpus(),
                                  gpu.id, l.tensor_parallel, l.pipeline_parallel, f.max_gpus));
      break;
    }
    case advisor::TrialOutcome::fits:
      lines.push_back(fmt::format("{}: fits {} x {}, {} sequences of {} tokens, {:.0f} tokens/s per GPU", p.id,
                                  t.answer->sizing->fit->layout.gpus(), gpu.id,
                                  group_digits(t.answer->sizing->fit->share.max_concurrency),
                                  group_digits(q.sizing.context_tokens), *t.answer->tokens_per_s_per_gpu()));
      break;
    }
  }
  for (const std::string& l : lines) {
    out += "  " + l + "\n";
  }
  return out;
}

} // namespace modelpick::render
