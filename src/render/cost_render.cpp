#include "cost_render.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>

#include "assumptions_render.hpp"
#include "modelpick/util/numbers.hpp"
#include "svg.hpp"
#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;
using util::group_digits;

namespace {

// What the report assumed, worded from its values, then the notes its caller added.
std::vector<std::string> all_assumptions(const engine::CostReport& r, const CostContext& c) {
  std::vector<std::string> out = cost_assumptions(r, *c.model, *c.gpu);
  out.insert(out.end(), r.assumptions.begin(), r.assumptions.end());
  return out;
}

std::string ms(double seconds) {
  const double v = seconds * 1e3;
  return v >= 100 ? fmt::format("{:.0f} ms", v) : fmt::format("{:.1f} ms", v);
}

std::string rate(double per_s) {
  return per_s >= 100 ? group_digits(static_cast<std::uint64_t>(std::llround(per_s))) : fmt::format("{:.1f}", per_s);
}

std::string crossover_text(const engine::Crossover& c) {
  if (!c.tokens_per_day) {
    return c.first_tokens_per_day ? fmt::format("{}/day, not for good", token_count(*c.first_tokens_per_day)) : "never";
  }
  std::string out = token_count(*c.tokens_per_day) + "/day";
  if (c.first_tokens_per_day && *c.first_tokens_per_day < *c.tokens_per_day * 0.999) {
    out += fmt::format(" (first at {})", token_count(*c.first_tokens_per_day));
  }
  return out;
}

ordered_json optional_number(const std::optional<double>& v) {
  return v ? ordered_json(*v) : ordered_json(nullptr);
}

// "$3.925", "$2.49": cents, or a tenth of a cent when the price has one.
std::string hourly(double value) {
  std::string text = fmt::format("{:.3f}", value);
  if (text.back() == '0') {
    text.pop_back();
  }
  return "$" + text;
}

std::string gpu_price_text(const engine::CostReport& r, const CostContext& c) {
  if (c.gpu_price_given) {
    return fmt::format("{}/GPU-hour (--gpu-hour-usd)", hourly(r.plan.gpu_hour_usd));
  }
  const catalog::GpuPrice& p = *c.gpu->price;
  return fmt::format("{}/GPU-hour ({}, newest {}; --gpu-hour-usd to use yours)", hourly(r.plan.gpu_hour_usd), p.basis,
                     p.date);
}

} // namespace

std::string token_count(double tokens) {
  if (tokens >= 1e12) {
    return fmt::format("{:.3g}T", tokens / 1e12);
  }
  if (tokens >= 1e9) {
    return fmt::format("{:.3g}B", tokens / 1e9);
  }
  if (tokens >= 1e6) {
    return fmt::format("{:.3g}M", tokens / 1e6);
  }
  if (tokens >= 1e3) {
    return fmt::format("{:.3g}k", tokens / 1e3);
  }
  return fmt::format("{:.0f}", tokens);
}

std::string usd(double value) {
  if (value >= 100) {
    return fmt::format("${}", group_digits(static_cast<std::uint64_t>(std::llround(value))));
  }
  if (value >= 0.1) {
    return fmt::format("${:.2f}", value);
  }
  return fmt::format("${:.3f}", value);
}

std::string cost_verdict(const engine::CostReport& r, const CostContext& c) {
  const std::string volume = token_count(r.volume.tokens_per_day) + " tokens/day";
  const std::string self = fmt::format("self-hosting {} on {} x {} costs {} a month", c.model->id, r.self_host.gpus,
                                       c.gpu->id, usd(r.self_host.usd_per_month));
  if (r.api.empty()) {
    return fmt::format("At {} {}.", volume, self);
  }
  const auto cheapest = std::min_element(
      r.api.begin(), r.api.end(), [](const auto& a, const auto& b) { return a.usd_per_month < b.usd_per_month; });
  const auto& cross = r.crossover[static_cast<std::size_t>(cheapest - r.api.begin())];
  const std::size_t beaten = static_cast<std::size_t>(std::count_if(
      r.api.begin(), r.api.end(), [&](const auto& a) { return a.usd_per_month >= r.self_host.usd_per_month; }));
  if (beaten == r.api.size()) {
    return fmt::format("At {} {}: cheaper than every API compared (the cheapest, {} at {}, costs {}).", volume, self,
                       cheapest->model->id, engine::billed_price(*cheapest).provider, usd(cheapest->usd_per_month));
  }
  const std::string from = cross.tokens_per_day ? fmt::format("self-hosting wins over it from {} tokens/day",
                                                              token_count(*cross.tokens_per_day))
                                                : "self-hosting never wins over it at these prices";
  return fmt::format(
      "At {} {}; {} via API at {} costs {} ({}), {}{}.", volume, self, cheapest->model->id,
      engine::billed_price(*cheapest).provider, usd(cheapest->usd_per_month), "the cheapest compared", from,
      beaten > 0 ? fmt::format("; self-hosting already beats {} of the {} APIs", beaten, r.api.size()) : std::string{});
}

std::string cost_table(const engine::CostReport& r, const CostContext& c) {
  const engine::ThroughputReport& t = r.throughput;
  const engine::SelfHostCost& h = r.self_host;
  std::string out;
  out += fmt::format("{} ({}) · {} weights · KV {} · {}\n", c.model->name, c.model->id, c.precision->id,
                     c.kv_dtype == "auto" ? "auto (16-bit)" : c.kv_dtype, c.gpu->name);
  out += fmt::format("{} tokens/day ({} a month), {:.0f}% input · requests of {} in + {} out tokens\n\n",
                     token_count(r.volume.tokens_per_day),
                     token_count(r.volume.tokens_per_day * engine::k_days_per_month), r.volume.input_share * 100,
                     group_digits(t.workload.input_tokens), group_digits(t.workload.output_tokens));

  using A = TextTable::Align;
  out += fmt::format("throughput of one replica ({} x {}, TP {} x PP {}; {} {} TFLOPS peak)\n", t.layout.gpus(),
                     c.gpu->id, t.layout.tensor_parallel, t.layout.pipeline_parallel,
                     fmt::format("{:.0f}", t.compute_tflops), t.compute_dtype);
  TextTable tt({A::left, A::left});
  tt.add_row({"decode at batch " + group_digits(t.at_batch.batch),
              fmt::format("{} tokens/s, {} between tokens ({}-bound)", rate(t.at_batch.tokens_per_s),
                          ms(t.at_batch.itl_seconds), to_string(t.at_batch.step.bound))});
  tt.add_row({"saturating batch",
              fmt::format("{} ({}): {} tokens/s, {} between tokens", group_digits(t.saturating_batch),
                          t.saturation_reason, rate(t.saturated.tokens_per_s), ms(t.saturated.itl_seconds))});
  tt.add_row({"time to first token", fmt::format("{} for one {}-token prompt alone", ms(t.ttft_seconds),
                                                 group_digits(t.workload.input_tokens))});
  tt.add_row({"prefill", fmt::format("{} tokens/s (batched)", rate(t.prefill_tokens_per_s))});
  tt.add_row({"serving the requests", fmt::format("{} requests/s: {} in + {} out tokens/s; prefill takes {:.0f}% of "
                                                  "the time",
                                                  fmt::format("{:.2f}", t.requests_per_s), rate(t.input_tokens_per_s),
                                                  rate(t.output_tokens_per_s), t.prefill_time_share * 100)});
  out += tt.render("  ") + "\n";

  out += "self-hosting\n";
  TextTable st({A::left, A::left});
  st.add_row({"GPUs", fmt::format("{} ({} replica{} of {}), {:.0f}% of their planned capacity used", h.gpus, h.replicas,
                                  h.replicas == 1 ? "" : "s", h.gpus_per_replica, h.load * 100)});
  st.add_row({"GPU price", gpu_price_text(r, c)});
  st.add_row({"per month", usd(h.usd_per_month)});
  st.add_row({"per 1M tokens", fmt::format("{} blended ({} input, {} output)", usd(h.usd_per_million_tokens),
                                           usd(h.usd_per_million_input), usd(h.usd_per_million_output))});
  out += st.render("  ") + "\n";

  if (!r.api.empty()) {
    out += "the same volume through an API (list prices)\n";
    TextTable at({A::left, A::right, A::right, A::left, A::left});
    at.add_row({"API", "per month", "per 1M tokens", "self-hosting cheaper from", "price date"});
    std::vector<std::size_t> order(r.api.size());
    for (std::size_t i = 0; i < order.size(); ++i) {
      order[i] = i;
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return r.api[a].usd_per_month < r.api[b].usd_per_month; });
    for (const std::size_t i : order) {
      const engine::ApiCost& a = r.api[i];
      const catalog::TokenPrice p = engine::billed_price(a);
      at.add_row(
          {fmt::format("{} ({}{}){}", a.model->id, p.provider,
                       a.offer != nullptr ? fmt::format(", cheapest of {} hosts", a.model->api_price->offers.size())
                                          : "",
                       a.long_context_rates ? " long-context rates" : ""),
           usd(a.usd_per_month), usd(a.usd_per_million_tokens), crossover_text(r.crossover[i]), p.date});
    }
    out += at.render("  ") + "\n";
  }
  out += cost_verdict(r, c) + "\n\nassumptions\n";
  for (const std::string& a : all_assumptions(r, c)) {
    out += "  - " + a + "\n";
  }
  return out;
}

ordered_json throughput_json(const engine::ThroughputReport& t) {
  const auto point = [](const engine::DecodePoint& p) {
    return ordered_json{{"batch", p.batch},
                        {"tokens_per_s", p.tokens_per_s},
                        {"itl_ms", p.itl_seconds * 1e3},
                        {"bound", to_string(p.step.bound)},
                        {"step",
                         {{"weight_bytes_per_gpu", p.step.weight_bytes},
                          {"kv_bytes_per_gpu", p.step.kv_bytes},
                          {"flops_per_gpu", p.step.flops},
                          {"memory_ms", p.step.memory_seconds * 1e3},
                          {"compute_ms", p.step.compute_seconds * 1e3},
                          {"communication_ms", p.step.communication_seconds * 1e3},
                          {"overhead_ms", p.step.overhead_seconds * 1e3}}}};
  };
  return {{"layout",
           {{"gpus", t.layout.gpus()},
            {"tensor_parallel", t.layout.tensor_parallel},
            {"pipeline_parallel", t.layout.pipeline_parallel}}},
          {"request", {{"input_tokens", t.workload.input_tokens}, {"output_tokens", t.workload.output_tokens}}},
          {"compute_dtype", t.compute_dtype},
          {"compute_tflops", t.compute_tflops},
          {"max_batch", t.max_batch},
          {"engine_batch_limit", t.engine_batch_limit},
          {"at_batch", point(t.at_batch)},
          {"saturating_batch", t.saturating_batch},
          {"saturation_reason", t.saturation_reason},
          {"saturated", point(t.saturated)},
          {"ttft_ms", t.ttft_seconds * 1e3},
          {"prefill_tokens_per_s", t.prefill_tokens_per_s},
          {"requests_per_s", t.requests_per_s},
          {"input_tokens_per_s", t.input_tokens_per_s},
          {"output_tokens_per_s", t.output_tokens_per_s},
          {"prefill_time_share", t.prefill_time_share}};
}

ordered_json self_host_json(const engine::CostReport& r) {
  const engine::SelfHostCost& h = r.self_host;
  return {{"utilization", r.plan.utilization},
          {"peak_to_average", r.plan.peak_to_average},
          {"gpus_per_replica", h.gpus_per_replica},
          {"replicas", h.replicas},
          {"gpus", h.gpus},
          {"replica_tokens_per_day", h.replica_tokens_per_day},
          {"replica_usd_per_month", h.replica_usd_per_month},
          {"usd_per_month", h.usd_per_month},
          {"usd_per_million_tokens", h.usd_per_million_tokens},
          {"usd_per_million_input_tokens", h.usd_per_million_input},
          {"usd_per_million_output_tokens", h.usd_per_million_output},
          {"load", h.load},
          {"layouts_priced", [&] {
             ordered_json options = ordered_json::array();
             for (const engine::ReplicaOption& o : r.options) {
               options.push_back({{"gpus_per_replica", o.gpus},
                                  {"replica_usd_per_month", o.usd_per_month},
                                  {"replica_tokens_per_day", o.tokens_per_day}});
             }
             return options;
           }()}};
}

ordered_json cost_json(const engine::CostReport& r, const CostContext& c) {
  const engine::ThroughputReport& t = r.throughput;
  const engine::SelfHostCost& h = r.self_host;
  ordered_json j;
  j["model"] = {{"id", c.model->id}, {"name", c.model->name}};
  j["precision"] = c.precision->id;
  j["gpu"] = {{"id", c.gpu->id}, {"name", c.gpu->name}};
  j["request"] = {
      {"input_tokens", t.workload.input_tokens}, {"output_tokens", t.workload.output_tokens}, {"kv_dtype", c.kv_dtype}};
  j["volume"] = {{"tokens_per_day", r.volume.tokens_per_day},
                 {"tokens_per_month", r.volume.tokens_per_day * engine::k_days_per_month},
                 {"input_share", r.volume.input_share},
                 {"cached_input_share", r.volume.cached_input_share}};
  j["throughput"] = throughput_json(t);
  ordered_json price = {{"usd_per_gpu_hour", r.plan.gpu_hour_usd},
                        {"from", c.gpu_price_given ? std::string("--gpu-hour-usd") : std::string("catalog")}};
  if (!c.gpu_price_given) {
    price["basis"] = c.gpu->price->basis;
    price["date"] = c.gpu->price->date;
  }
  j["self_host"] = {{"gpu_price", price}};
  j["self_host"].update(self_host_json(r));
  j["api"] = ordered_json::array();
  j["crossover"] = ordered_json::array();
  for (std::size_t i = 0; i < r.api.size(); ++i) {
    const engine::ApiCost& a = r.api[i];
    const catalog::TokenPrice p = engine::billed_price(a);
    j["api"].push_back({{"model", a.model->id},
                        {"provider", p.provider},
                        {"hosted_offer", a.offer != nullptr},
                        {"variant", a.offer != nullptr && !a.offer->variant.empty() ? ordered_json(a.offer->variant)
                                                                                    : ordered_json(nullptr)},
                        {"usd_per_month", a.usd_per_month},
                        {"usd_per_million_tokens", a.usd_per_million_tokens},
                        {"price_usd_per_million",
                         {{"input", p.input}, {"output", p.output}, {"cached_input", optional_number(p.cached_input)}}},
                        {"long_context_rates", a.long_context_rates},
                        {"price_date", p.date},
                        {"source", p.source}});
    const engine::Crossover& x = r.crossover[i];
    j["crossover"].push_back(
        {{"api", a.model->id},
         {"tokens_per_day", optional_number(x.tokens_per_day)},
         {"tokens_per_month",
          optional_number(x.tokens_per_day ? std::optional<double>(*x.tokens_per_day * engine::k_days_per_month)
                                           : std::nullopt)},
         {"first_tokens_per_day", optional_number(x.first_tokens_per_day)},
         {"self_host_cheaper_now", h.usd_per_month <= a.usd_per_month}});
  }
  j["verdict"] = cost_verdict(r, c);
  j["assumptions"] = all_assumptions(r, c);
  return j;
}

namespace {

// A round tick step (1, 2 or 5 x 10^k) giving about `ticks` intervals up to `max`.
double nice_step(double max, int ticks) {
  const double raw = max / ticks;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  for (const double m : {1.0, 2.0, 5.0}) {
    if (m * power >= raw) {
      return m * power;
    }
  }
  return 10 * power;
}

} // namespace

std::string cost_svg(const engine::CostReport& r, const CostContext& c) {
  // Monthly cost (y) against tokens per day (x), linear axes from zero.
  constexpr double width = 960;
  constexpr double height = 540;
  constexpr double left = 90;
  constexpr double right = 330; // legend
  constexpr double top = 50;
  constexpr double bottom = 60;
  constexpr std::size_t max_apis = 7; // one colour each
  const double plot_w = width - left - right;
  const double plot_h = height - top - bottom;
  const engine::SelfHostCost& h = r.self_host;

  // The APIs drawn: all when few, else those whose bill at the volume is nearest self-hosting's.
  std::vector<std::size_t> shown(r.api.size());
  for (std::size_t i = 0; i < shown.size(); ++i) {
    shown[i] = i;
  }
  if (shown.size() > max_apis) {
    std::stable_sort(shown.begin(), shown.end(), [&](std::size_t a, std::size_t b) {
      return std::abs(std::log(r.api[a].usd_per_month / h.usd_per_month)) <
             std::abs(std::log(r.api[b].usd_per_month / h.usd_per_month));
    });
    shown.resize(max_apis);
  }

  // x reaches past the stated volume and the drawn crossovers (up to 20x the volume).
  double x_max = 2 * r.volume.tokens_per_day;
  for (const std::size_t i : shown) {
    const engine::Crossover& x = r.crossover[i];
    if (x.tokens_per_day && *x.tokens_per_day <= 20 * r.volume.tokens_per_day) {
      x_max = std::max(x_max, 1.25 * *x.tokens_per_day);
    }
  }
  const double x_step = nice_step(x_max, 5);
  x_max = std::ceil(x_max / x_step) * x_step;
  const auto self_cost = [&](double v) { return engine::self_host_usd_per_month(v, r); };
  // y fits self-hosting across x; steep APIs leave through the top.
  const double y_step = nice_step(1.15 * std::max(self_cost(x_max), h.replica_usd_per_month), 5);
  const double y_max = std::ceil(1.15 * std::max(self_cost(x_max), h.replica_usd_per_month) / y_step) * y_step;
  const auto px = [&](double v) { return left + v / x_max * plot_w; };
  const auto py = [&](double usd_month) { return top + plot_h - std::min(usd_month, y_max) / y_max * plot_h; };

  Svg svg(width, height);
  svg.comment(cost_verdict(r, c));
  svg.text(left, 24,
           fmt::format("{} ({}) on {}: monthly cost against volume, {:.0f}% input tokens", c.model->id, c.precision->id,
                       c.gpu->id, r.volume.input_share * 100),
           15, "start", "#222", true);
  for (double yv = 0; yv <= y_max * (1 + 1e-9); yv += y_step) {
    svg.line(left, py(yv), left + plot_w, py(yv), "#e6e6e6");
    svg.text(left - 8, py(yv) + 4, yv == 0 ? "$0" : usd(yv), 11, "end");
  }
  for (double xv = 0; xv <= x_max * (1 + 1e-9); xv += x_step) {
    svg.line(px(xv), top, px(xv), top + plot_h, "#e6e6e6");
    svg.text(px(xv), top + plot_h + 18, token_count(xv), 11, "middle");
  }
  svg.line(left, top + plot_h, left + plot_w, top + plot_h, "#444");
  svg.line(left, top, left, top + plot_h, "#444");
  svg.text(left + plot_w / 2, height - 18, "tokens per day (input + output)", 12, "middle");
  svg.text(18, top - 12, "USD per month", 12, "start");

  // Self-hosting: whole replicas of the cheapest layout at each volume, a step wherever one of
  // the layouts priced adds a replica (between two such points every layout's cost is flat).
  std::vector<std::pair<double, double>> steps;
  std::vector<double> edges = {x_max};
  for (const engine::ReplicaOption& o : r.options) {
    for (double n = 1; n * o.tokens_per_day < x_max && edges.size() <= 400; ++n) {
      edges.push_back(n * o.tokens_per_day);
    }
  }
  std::sort(edges.begin(), edges.end());
  if (edges.size() <= 400) {
    double v = 0;
    for (const double end : edges) {
      if (end <= v) {
        continue;
      }
      const double cost = self_cost((v + end) / 2);
      steps.emplace_back(px(v), py(cost));
      steps.emplace_back(px(end), py(cost));
      v = end;
    }
  } else { // too many steps to see: their envelope
    steps.emplace_back(px(0), py(h.replica_usd_per_month));
    steps.emplace_back(px(x_max), py(self_cost(x_max)));
  }
  svg.polyline(steps, "#222222", 3);

  // Legend, then the APIs: straight lines through zero, a ring where self-hosting wins for good.
  const double lx = width - right + 20;
  double ly = top + 6;
  svg.line(lx, ly, lx + 24, ly, "#222222", 3);
  if (r.options.size() > 1) {
    svg.text(lx + 30, ly + 4, fmt::format("self-hosting: the cheapest of {} layouts", r.options.size()), 11);
    svg.text(lx + 30, ly + 18,
             fmt::format("at your volume {} x {} a replica, {}/month", h.gpus_per_replica, c.gpu->id,
                         usd(h.replica_usd_per_month)),
             10, "start", "#555555");
  } else {
    svg.text(lx + 30, ly + 4,
             fmt::format("self-hosting: {} x {} per replica, {}/month", h.gpus_per_replica, c.gpu->id,
                         usd(h.replica_usd_per_month)),
             11);
  }
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const std::size_t i = shown[k];
    const engine::ApiCost& a = r.api[i];
    const engine::Crossover& x = r.crossover[i];
    const std::string& colour = series_colour(k);
    const double per_token_day = a.usd_per_month / r.volume.tokens_per_day; // USD/month per token/day
    const double x_end = std::min(x_max, y_max / per_token_day);
    svg.line(px(0), py(0), px(x_end), py(per_token_day * x_end), colour, 2);
    ly += 34;
    svg.line(lx, ly, lx + 24, ly, colour, 2);
    svg.text(lx + 30, ly + 4, fmt::format("{} ({}/1M tokens)", a.model->id, usd(a.usd_per_million_tokens)), 11);
    svg.text(lx + 30, ly + 18,
             x.tokens_per_day ? "self-hosting cheaper from " + token_count(*x.tokens_per_day) + "/day"
                              : "self-hosting never cheaper",
             10, "start", "#555555");
    if (x.tokens_per_day && *x.tokens_per_day <= x_max) {
      svg.circle(px(*x.tokens_per_day), py(per_token_day * *x.tokens_per_day), 5, "#ffffff", colour);
    }
  }
  if (shown.size() < r.api.size()) {
    svg.text(lx, ly + 40, fmt::format("{} more APIs in the table", r.api.size() - shown.size()), 10, "start",
             "#555555");
  }
  // The stated volume.
  svg.line(px(r.volume.tokens_per_day), top, px(r.volume.tokens_per_day), top + plot_h, "#888888", 1, "5,4");
  svg.text(px(r.volume.tokens_per_day) + 4, top + plot_h - 8, "your volume " + token_count(r.volume.tokens_per_day), 11,
           "start", "#555555");
  return svg.str();
}

} // namespace modelpick::render
