#include "compare_render.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "cost_render.hpp"
#include "license_render.hpp"
#include "modelpick/util/numbers.hpp"
#include "quality_render.hpp"
#include "size_render.hpp"
#include "svg.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using util::group_digits;

namespace {

std::string gb(std::uint64_t bytes) {
  return fmt::format("{:.1f} GB", static_cast<double>(bytes) / 1e9);
}

std::string csv_cell(const std::string& text) {
  if (text.find_first_of(",\"\n") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (const char c : text) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

std::string ratio(double big, double small) {
  return fmt::format("{:.1f}x", big / small);
}

std::string kib(double bytes) {
  return fmt::format("{:.0f} KiB", bytes / 1024);
}

std::string md_cell(const std::string& text) {
  std::string out;
  for (const char c : text) {
    out += c == '|' ? std::string("\\|") : std::string(1, c);
  }
  return out;
}

// A sizing row's cell: the figure, or why there is none.
template <typename F> std::string sized(const advisor::Answer& a, F&& figure) {
  if (!a.model->self_hostable()) {
    return "API-only";
  }
  if (!a.fits()) {
    return "does not fit";
  }
  return figure();
}

} // namespace

Grid compare_grid(const std::vector<advisor::Answer>& answers, const advisor::Question& q) {
  Grid g;
  g.header.push_back("");
  for (const auto& a : answers) {
    g.header.push_back(a.model->id);
  }
  const auto row = [&](const std::string& label, auto&& cell) {
    std::vector<std::string> r{label};
    for (const auto& a : answers) {
      r.push_back(cell(a));
    }
    g.rows.push_back(std::move(r));
  };
  row("category", [](const advisor::Answer& a) { return std::string(catalog::to_string(a.model->category)); });
  row("params total / active", [](const advisor::Answer& a) {
    if (!a.sizing) {
      return std::string("not published");
    }
    return fmt::format("{} / {}", short_count(a.sizing->params_total), short_count(a.sizing->params_active));
  });
  row("max context", [](const advisor::Answer& a) { return group_digits(a.model->max_context_tokens); });
  if (q.license) {
    row(fmt::format("license at {} MAU", short_count(q.license->mau)), [](const advisor::Answer& a) {
      return fmt::format("{}{}", license::to_string(a.license->verdict),
                         a.license->with.empty() ? "" : " (" + a.license->with + ")");
    });
  }
  row("precision", [](const advisor::Answer& a) { return a.precision != nullptr ? a.precision->id : "-"; });
  row("weights", [](const advisor::Answer& a) { return a.sizing ? gb(a.sizing->weights_bytes) : "API-only"; });
  row("KV cache per token", [](const advisor::Answer& a) {
    return a.sizing ? fmt::format("{:.0f} KiB", static_cast<double>(a.sizing->kv_bytes_per_token) / 1024) : "API-only";
  });
  row("GPUs", [](const advisor::Answer& a) {
    return sized(a, [&] {
      const auto& l = a.sizing->fit->layout;
      return fmt::format("{} x {} (TP {} x PP {})", l.gpus(), a.gpu->id, l.tensor_parallel, l.pipeline_parallel);
    });
  });
  row(fmt::format("sequences of {} tokens", group_digits(q.sizing.context_tokens)), [](const advisor::Answer& a) {
    return sized(a, [&] { return concurrency_text(a.sizing->fit->share.max_concurrency); });
  });
  row("tokens/s per replica", [](const advisor::Answer& a) {
    return sized(a, [&] {
      return group_digits(static_cast<std::uint64_t>(std::llround(a.throughput->saturated.tokens_per_s)));
    });
  });
  row("ms between tokens, 1 user", [](const advisor::Answer& a) {
    return sized(a, [&] { return fmt::format("{:.1f}", a.throughput->at_batch.itl_seconds * 1e3); });
  });
  if (q.volume) {
    row(fmt::format("$ per 1M tokens at {}/day", token_count(q.volume->tokens_per_day)), [](const advisor::Answer& a) {
      if (a.cost) {
        return usd(a.cost->self_host.usd_per_million_tokens);
      }
      if (!a.model->self_hostable()) {
        if (!a.api_retired.empty()) {
          return "retired " + a.api_retired;
        }
        return a.api_bill ? usd(a.api_bill->usd_per_million_tokens) + " (API)" : std::string("no price");
      }
      return std::string("does not fit");
    });
    row("$ per month", [](const advisor::Answer& a) {
      if (a.cost) {
        const std::uint64_t gpus = a.cost->self_host.gpus;
        return fmt::format("{} ({} GPU{})", usd(a.cost->self_host.usd_per_month), gpus, gpus == 1 ? "" : "s");
      }
      return a.api_bill ? usd(a.api_bill->usd_per_month) + " (API)" : std::string("-");
    });
    // an open model a host also sells: its lowest bill beside the self-hosted one
    if (std::any_of(answers.begin(), answers.end(),
                    [](const advisor::Answer& a) { return a.model->self_hostable() && a.api_bill; })) {
      row("hosted API $ per 1M tokens", [](const advisor::Answer& a) {
        if (!a.model->self_hostable() || !a.api_bill) {
          return std::string("-");
        }
        return fmt::format("{} ({})", usd(a.api_bill->usd_per_million_tokens),
                           engine::billed_price(*a.api_bill).provider);
      });
    }
  }
  return g;
}

std::string difference_text(const advisor::Difference& d) {
  const std::string& hi = d.high->model->id;
  const std::string lo = d.low != nullptr ? d.low->model->id : std::string{};
  const double h = d.high_value;
  const double l = d.low_value;
  switch (d.kind) {
  case advisor::DifferenceKind::license:
    return fmt::format("{}: {}", hi, license_reason(*d.high->license));
  case advisor::DifferenceKind::api_only: {
    const auto& bill = d.high->api_bill;
    return fmt::format("{} is API-only{}", hi,
                       bill ? fmt::format(": ${} a month at the volume from {}",
                                          group_digits(static_cast<std::uint64_t>(std::llround(bill->usd_per_month))),
                                          engine::billed_price(*bill).provider)
                            : std::string{});
  }
  case advisor::DifferenceKind::does_not_fit:
    return fmt::format("{} does not fit: {}", hi, not_fit_reason(*d.high->sizing));
  case advisor::DifferenceKind::gpus: {
    const auto more = static_cast<std::uint64_t>(h - l);
    return fmt::format("{} needs {} more GPU{} than {} ({:.0f} vs {:.0f})", hi, more, more == 1 ? "" : "s", lo, h, l);
  }
  case advisor::DifferenceKind::usd_per_million:
    return fmt::format("{} costs {} less per 1M tokens than {} at the volume (${:.2f} vs ${:.2f})", lo, ratio(h, l), hi,
                       l, h);
  case advisor::DifferenceKind::tokens_per_s_gpu:
    return fmt::format("{} serves {} more tokens/s per GPU than {} ({:.0f} vs {:.0f})", hi, ratio(h, l), lo, h, l);
  case advisor::DifferenceKind::kv_per_token:
    return fmt::format("{} keeps {} less KV cache per token than {} ({} vs {})", lo, ratio(h, l), hi, kib(l), kib(h));
  case advisor::DifferenceKind::sequences:
    return fmt::format("{} holds {} more sequences of the context on its GPUs than {} ({} vs {})", hi, ratio(h, l), lo,
                       group_digits(static_cast<std::uint64_t>(h)), group_digits(static_cast<std::uint64_t>(l)));
  case advisor::DifferenceKind::weights:
    return fmt::format("{}'s weights are {} the size of {}'s ({:.1f} vs {:.1f} GB)", hi, ratio(h, l), lo, h / 1e9,
                       l / 1e9);
  }
  return {};
}

std::vector<std::string> differences_text(const std::vector<advisor::Answer>& answers) {
  std::vector<std::string> out;
  for (const advisor::Difference& d : advisor::differences(answers)) {
    out.push_back(difference_text(d));
  }
  return out;
}

std::string compare_text(const std::vector<advisor::Answer>& answers, const advisor::Question& q, TableFormat format) {
  const Grid g = compare_grid(answers, q);
  std::string out;
  if (format == TableFormat::csv) {
    std::vector<std::vector<std::string>> lines = {g.header};
    lines.front()[0] = "metric";
    lines.insert(lines.end(), g.rows.begin(), g.rows.end());
    for (const auto& line : lines) {
      std::vector<std::string> cells;
      for (const auto& c : line) {
        cells.push_back(csv_cell(c));
      }
      out += fmt::format("{}\n", fmt::join(cells, ","));
    }
    return out;
  }
  if (format == TableFormat::md) {
    const auto line = [](const std::vector<std::string>& cells) {
      std::vector<std::string> escaped;
      for (const auto& c : cells) {
        escaped.push_back(md_cell(c));
      }
      return fmt::format("| {} |\n", fmt::join(escaped, " | "));
    };
    out += line(g.header);
    out += "|" + std::string() + fmt::format("{}", fmt::join(std::vector<std::string>(g.header.size(), " --- "), "|")) +
           "|\n";
    for (const auto& r : g.rows) {
      out += line(r);
    }
    for (const auto& d : differences_text(answers)) {
      out += "\n- " + md_cell(d);
    }
    return out + (answers.empty() ? "" : "\n");
  }
  const auto& first = answers.front();
  out += fmt::format("compare on {} · {} tokens of context x {} · KV {}\n\n", first.gpu->name,
                     group_digits(q.sizing.context_tokens), group_digits(q.sizing.concurrency),
                     q.sizing.kv_dtype == "auto" ? "auto (16-bit)" : q.sizing.kv_dtype);
  std::vector<TextTable::Align> aligns(g.header.size(), TextTable::Align::right);
  aligns[0] = TextTable::Align::left;
  TextTable t(aligns);
  t.add_row(g.header);
  for (const auto& r : g.rows) {
    t.add_row(r);
  }
  out += t.render();
  const auto diffs = differences_text(answers);
  if (!diffs.empty()) {
    out += "\ndifferences\n";
    for (const auto& d : diffs) {
      out += "  - " + d + "\n";
    }
  }
  std::vector<const catalog::Model*> models;
  for (const auto& a : answers) {
    models.push_back(a.model);
  }
  out += quality_text(models);
  for (const auto& a : answers) {
    if (a.license) {
      out += fmt::format("\n{} {}", a.model->id, license_line(*a.license));
    }
  }
  if (q.license) {
    out += "\n";
  }
  return out;
}

ordered_json answer_json(const advisor::Answer& a) {
  ordered_json j;
  if (a.sizing) {
    j = size_json(*a.sizing);
  } else {
    j["model"] = {{"id", a.model->id},
                  {"name", a.model->name},
                  {"category", std::string(catalog::to_string(a.model->category))},
                  {"license", a.model->license},
                  {"max_context_tokens", a.model->max_context_tokens},
                  {"sources", a.model->sources}};
  }
  j["self_hostable"] = a.model->self_hostable();
  if (a.throughput) {
    j["throughput"] = throughput_json(*a.throughput);
  }
  if (a.cost) {
    j["cost"] = self_host_json(*a.cost);
    j["cost"]["gpu_hour_usd"] = a.cost->plan.gpu_hour_usd;
  }
  if (a.api_bill) {
    const catalog::TokenPrice p = engine::billed_price(*a.api_bill);
    j["api"] = {{"provider", p.provider},
                {"usd_per_month", a.api_bill->usd_per_month},
                {"usd_per_million_tokens", a.api_bill->usd_per_million_tokens},
                {"price_date", p.date},
                {"hosted_offer", a.api_bill->offer != nullptr}};
  }
  if (!a.api_retired.empty()) {
    j["api"] = {{"provider", a.model->api_price->provider}, {"retired", a.api_retired}};
  }
  if (a.license) {
    j["license"] = result_json(*a.license);
  }
  return j;
}

ordered_json compare_json(const std::vector<advisor::Answer>& answers, const advisor::Question& q) {
  ordered_json j;
  j["request"] = {{"context_tokens", q.sizing.context_tokens},
                  {"concurrency", q.sizing.concurrency},
                  {"kv_dtype", q.sizing.kv_dtype},
                  {"input_tokens", q.shape.input_tokens},
                  {"output_tokens", q.shape.output_tokens},
                  {"tokens_per_day", q.volume ? ordered_json(q.volume->tokens_per_day) : ordered_json(nullptr)}};
  j["models"] = ordered_json::array();
  for (const auto& a : answers) {
    j["models"].push_back(answer_json(a));
  }
  j["differences"] = differences_text(answers);
  std::vector<const catalog::Model*> models;
  for (const auto& a : answers) {
    models.push_back(a.model);
  }
  j["quality"] = quality_json(models);
  return j;
}

std::string compare_svg(const std::vector<advisor::Answer>& answers, const advisor::Question& q) {
  struct Panel {
    std::string title;
    std::vector<std::optional<double>> values;
    std::string (*label)(double);
  };
  std::vector<Panel> panels;
  const auto collect = [&](const std::string& title, auto&& value, std::string (*label)(double)) {
    Panel p{title, {}, label};
    for (const auto& a : answers) {
      p.values.push_back(a.fits() ? std::optional<double>(value(a)) : std::nullopt);
    }
    panels.push_back(std::move(p));
  };
  collect(
      "GPUs", [](const advisor::Answer& a) { return static_cast<double>(a.sizing->fit->layout.gpus()); },
      [](double v) { return fmt::format("{:.0f}", v); });
  collect(
      "weights per GPU (GB)",
      [](const advisor::Answer& a) { return static_cast<double>(a.sizing->fit->share.weights_bytes) / 1e9; },
      [](double v) { return fmt::format("{:.1f}", v); });
  collect(
      "KV cache per token (KiB)",
      [](const advisor::Answer& a) { return static_cast<double>(a.sizing->kv_bytes_per_token) / 1024; },
      [](double v) { return fmt::format("{:.0f}", v); });
  collect(
      fmt::format("sequences of {} tokens", group_digits(q.sizing.context_tokens)),
      [](const advisor::Answer& a) {
        return static_cast<double>(std::min<std::uint64_t>(a.sizing->fit->share.max_concurrency, 1'000'000'000));
      },
      [](double v) { return group_digits(static_cast<std::uint64_t>(v)); });
  collect(
      "output tokens/s per GPU", [](const advisor::Answer& a) { return *a.tokens_per_s_per_gpu(); },
      [](double v) { return group_digits(static_cast<std::uint64_t>(std::llround(v))); });
  if (q.volume) {
    collect(
        fmt::format("$ per 1M tokens at {}/day", token_count(q.volume->tokens_per_day)),
        [](const advisor::Answer& a) { return a.cost->self_host.usd_per_million_tokens; },
        [](double v) { return usd(v); });
  }

  constexpr double panel_w = 300;
  constexpr double panel_h = 220;
  constexpr double columns = 3;
  const double rows = std::ceil(static_cast<double>(panels.size()) / columns);
  const double width = panel_w * columns + 40;
  const double height = 90 + rows * panel_h;
  Svg svg(width, height);
  std::vector<std::string> ids;
  for (const auto& a : answers) {
    ids.push_back(a.model->id);
  }
  svg.comment(fmt::format("modelpick compare {}", fmt::join(ids, " ")));
  svg.text(20, 28, fmt::format("{} on {}", fmt::join(ids, " vs "), answers.front().gpu->id), 15, "start", "#222", true);
  // Legend: one colour per model.
  double lx = 20;
  for (std::size_t i = 0; i < answers.size(); ++i) {
    svg.rect(lx, 44, 12, 12, series_colour(i));
    const std::string text = answers[i].model->id + (answers[i].fits() ? "" : " (not sized: does not fit or API-only)");
    svg.text(lx + 16, 54, text, 11);
    lx += 24 + 6.5 * static_cast<double>(text.size());
  }
  for (std::size_t p = 0; p < panels.size(); ++p) {
    const Panel& panel = panels[p];
    const double x0 = 20 + static_cast<double>(p % 3) * panel_w;
    const double y0 = 80 + std::floor(static_cast<double>(p) / columns) * panel_h;
    svg.text(x0, y0 + 14, panel.title, 12, "start", "#222", true);
    double max = 0;
    for (const auto& v : panel.values) {
      max = std::max(max, v.value_or(0));
    }
    const double bar_area = panel_h - 60;
    const double bar_w = std::min(40.0, (panel_w - 40) / static_cast<double>(answers.size()) - 8);
    svg.line(x0, y0 + 24 + bar_area, x0 + panel_w - 30, y0 + 24 + bar_area, "#444");
    for (std::size_t i = 0; i < panel.values.size(); ++i) {
      const double bx = x0 + 10 + static_cast<double>(i) * (bar_w + 8);
      if (!panel.values[i]) {
        svg.text(bx + bar_w / 2, y0 + 20 + bar_area, "–", 11, "middle", "#888888");
        continue;
      }
      const double h = max > 0 ? *panel.values[i] / max * (bar_area - 14) : 0;
      svg.rect(bx, y0 + 24 + bar_area - h, bar_w, h, series_colour(i));
      svg.text(bx + bar_w / 2, y0 + 20 + bar_area - h, panel.label(*panel.values[i]), 10, "middle");
    }
  }
  return svg.str();
}

} // namespace modelpick::render
