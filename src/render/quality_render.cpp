#include "quality_render.hpp"

#include <fmt/format.h>

#include "text_table.hpp"

namespace modelpick::render {

using nlohmann::ordered_json;

ordered_json score_json(const catalog::Score& s) {
  return {{"benchmark", s.benchmark},
          {"value", s.value},
          {"setting", s.setting.empty() ? ordered_json(nullptr) : ordered_json(s.setting)},
          {"measured_by", s.measured_by},
          {"self_reported", s.self_reported()},
          {"date", s.date},
          {"source", s.source},
          {"variant", s.variant.empty() ? ordered_json(nullptr) : ordered_json(s.variant)}};
}

ordered_json scores_json(const catalog::Model& m) {
  ordered_json out = ordered_json::array();
  for (const catalog::Score& s : m.scores) {
    out.push_back(score_json(s));
  }
  return out;
}

std::string score_text(const catalog::Score& s) {
  return fmt::format("{:g} ({})", s.value, s.measured_by);
}

std::string scores_text(const catalog::Model& m) {
  if (m.scores.empty()) {
    return "";
  }
  using A = TextTable::Align;
  TextTable t({A::left, A::right, A::left, A::left, A::left});
  t.add_row({"benchmark", "value", "measured by", "date", "setting"});
  for (const catalog::Score& s : m.scores) {
    t.add_row({s.benchmark, fmt::format("{:g}", s.value), s.measured_by, s.date,
               s.setting.empty() ? "not stated (not comparable)" : s.setting});
  }
  std::string out = "\nscores (self-reported: the publisher's own figure; compare only like with like)\n";
  out += t.render("  ");
  out += "  sources:\n";
  for (const catalog::Score& s : m.scores) {
    out += fmt::format("    {}: {}\n", s.benchmark, s.source);
  }
  return out;
}

std::string quality_text(const std::vector<const catalog::Model*>& models) {
  std::vector<std::pair<const catalog::Model*, const catalog::Score*>> unmatched;
  const auto rows = advisor::like_with_like(models, &unmatched);
  std::string out = "\nquality: the same benchmark, setting and measurer only\n";
  if (rows.empty()) {
    out += "  no benchmark with the same setting and measurer for two of these models\n";
  }
  for (const advisor::QualityRow& r : rows) {
    std::vector<std::string> values;
    for (const auto& [m, s] : r.values) {
      values.push_back(fmt::format("{} {:g}", m->id, s->value));
    }
    out += fmt::format("  {} · {} · {}: {}\n", r.benchmark, r.measured_by, r.setting, fmt::join(values, ", "));
  }
  if (!unmatched.empty()) {
    out += fmt::format("  {} other score(s) have no like-for-like partner here (`modelpick show MODEL` lists them)\n",
                       unmatched.size());
  }
  return out;
}

ordered_json quality_json(const std::vector<const catalog::Model*>& models) {
  ordered_json out = ordered_json::array();
  for (const advisor::QualityRow& r : advisor::like_with_like(models, nullptr)) {
    ordered_json values = ordered_json::array();
    for (const auto& [m, s] : r.values) {
      values.push_back({{"model", m->id}, {"value", s->value}, {"date", s->date}, {"source", s->source}});
    }
    out.push_back({{"benchmark", r.benchmark},
                   {"setting", r.setting},
                   {"measured_by", r.measured_by},
                   {"self_reported", r.measured_by.rfind("self-reported", 0) == 0},
                   {"values", values}});
  }
  return out;
}

} // namespace modelpick::render
