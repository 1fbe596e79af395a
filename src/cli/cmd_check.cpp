// modelpick check deploy.json: re-checks a deployment decision written down as a file (schema in
// docs/cli.md, example in examples/deploy.json) and writes one JSON report; exit 3 when a check fails.
#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <memory>

#include "../render/check_render.hpp"
#include "../render/compare_render.hpp"
#include "../render/size_render.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "model_input.hpp"
#include "modelpick/advisor/advisor.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/json_text.hpp"
#include "modelpick/util/numbers.hpp"
#include "registry.hpp"
#include "volume_options.hpp"

namespace modelpick::cli {
namespace {

using nlohmann::json;

constexpr std::uintmax_t k_max_file_bytes = 1U << 20;
constexpr int k_max_depth = 8;
// One deployment decision covers a handful of models; past this a file is a mistake or an
// attack (40,000 models took 1.1 GB and wrote 185 MB).
constexpr std::size_t k_max_models = 256;

struct CheckOptions {
  std::string file;
  bool json = false; // the report is JSON either way; --json says so explicitly
};

// Reads one deployment file's fields, naming the file and field in every error.
class Fields {
public:
  Fields(const json& node, std::string file, std::string path)
      : node_(node), file_(std::move(file)), path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw Error(ErrorKind::usage, fmt::format("{}: \"{}\" {}", file_, path_ + key, what));
  }

  // Reject keys the schema does not have, so a typo is not silently ignored.
  void only(std::initializer_list<const char*> keys) const {
    for (auto it = node_.begin(); it != node_.end(); ++it) {
      const std::string key = it.key();
      if (std::find_if(keys.begin(), keys.end(), [&](const char* k) { return key == k; }) == keys.end()) {
        std::string accepted;
        for (const char* k : keys) {
          accepted += (accepted.empty() ? "" : ", ") + std::string(k);
        }
        fail(key, fmt::format("is not a field of this object; accepted: {}", accepted));
      }
    }
  }

  // A number or a string such as "800M" / "32k", as the command line would take it.
  [[nodiscard]] std::string text(const char* key, const std::string& fallback = "") const {
    const auto it = node_.find(key);
    if (it == node_.end() || it->is_null()) {
      return fallback;
    }
    if (it->is_string()) {
      return it->get<std::string>();
    }
    if (it->is_number_unsigned() || it->is_number_integer()) {
      return it->dump(-1, ' ', false, json::error_handler_t::replace);
    }
    if (it->is_number_float()) {
      return fmt::format("{}", it->get<double>());
    }
    fail(key,
         fmt::format("must be a number or a string, got {}", it->dump(-1, ' ', false, json::error_handler_t::replace)));
  }

  [[nodiscard]] std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    const auto it = node_.find(key);
    if (it == node_.end() || it->is_null()) {
      return out;
    }
    if (!it->is_array()) {
      fail(key, "must be an array of strings");
    }
    for (const auto& v : *it) {
      if (!v.is_string()) {
        fail(key, fmt::format("must be an array of strings, got {}",
                              v.dump(-1, ' ', false, json::error_handler_t::replace)));
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  [[nodiscard]] bool boolean(const char* key, bool fallback) const {
    const auto it = node_.find(key);
    if (it == node_.end() || it->is_null()) {
      return fallback;
    }
    if (!it->is_boolean()) {
      fail(key, fmt::format("must be true or false, got {}", it->dump(-1, ' ', false, json::error_handler_t::replace)));
    }
    return it->get<bool>();
  }

  [[nodiscard]] std::optional<Fields> object(const char* key) const {
    const auto it = node_.find(key);
    if (it == node_.end() || it->is_null()) {
      return std::nullopt;
    }
    if (!it->is_object()) {
      fail(key, "must be an object");
    }
    return Fields(*it, file_, path_ + key + ".");
  }

  // Runs a command-line parser on a field, naming the field when it refuses the value.
  // The field blamed is the one the refused flag stands for ("--utilization" -> "utilization")
  // when this object has it: one parser may read several fields.
  template <typename F> decltype(auto) parse(const char* key, F&& parser) const {
    try {
      return parser();
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::io || e.kind() == ErrorKind::invalid_catalog || e.kind() == ErrorKind::internal) {
        // a file the field names cannot be read (a bad GGUF): a data error, as docs/cli.md says
        throw Error(e.kind(), fmt::format("{}: \"{}\": {}", file_, path_ + key, e.what()));
      }
      std::string message = e.what();
      std::string field = key;
      const auto quote = message.find('\'');
      if (message.rfind("--", 0) == 0 && quote != std::string::npos) {
        std::string flag = message.substr(2, message.find(' ') - 2);
        std::replace(flag.begin(), flag.end(), '-', '_');
        if (node_.contains(flag)) {
          field = flag;
        } else if (flag == "input_output_ratio" || flag == "tokens_per_month") {
          field = node_.contains("input_output_ratio") ? "input_output_ratio" : field;
        }
        message = message.substr(quote); // "'0' is out of range: ..." without the flag's name
      }
      fail(field, message);
    }
  }

  [[nodiscard]] const json& node() const { return node_; }

private:
  const json& node_;
  std::string file_;
  std::string path_;
};

CommandOutput run_check(const CheckOptions& o, const catalog::Catalog& catalog) {
  const std::string text = read_user_file(o.file, "deployment file", k_max_file_bytes);
  const json doc = util::parse_json_object(o.file, text, k_max_file_bytes, k_max_depth,
                                           "a JSON object describing one deployment (docs/cli.md, `check`)");
  const Fields top(doc, o.file, "");
  top.only({"schema_version", "name", "gpu", "gpus", "precision", "context", "concurrency", "kv_dtype",
            "gpu_memory_utilization", "tp_nodes", "engine", "models", "license", "volume", "api_alternatives", "expect",
            "$comment"});
  if (top.text("schema_version", "1") != "1") {
    top.fail("schema_version", "must be 1 (the only version this modelpick reads)");
  }

  SizingOptions sizing;
  sizing.gpu = top.text("gpu", "h100");
  sizing.gpus = top.text("gpus");
  sizing.context = top.text("context", "8k");
  sizing.concurrency = top.text("concurrency", "1");
  sizing.kv_dtype = top.text("kv_dtype", "auto");
  sizing.gpu_memory_utilization = top.text("gpu_memory_utilization", "0.90");
  advisor::Question q;
  q.today = today();
  q.sizing.context_tokens = top.parse("context", [&] { return parse_context(sizing.context); });
  q.sizing.concurrency = top.parse("concurrency", [&] { return parse_concurrency(sizing.concurrency); });
  q.sizing.kv_bytes = top.parse("kv_dtype", [&] { return parse_kv_dtype(sizing.kv_dtype); });
  q.sizing.kv_dtype = sizing.kv_dtype;
  q.sizing.gpu_memory_utilization =
      top.parse("gpu_memory_utilization", [&] { return parse_gpu_memory_utilization(sizing.gpu_memory_utilization); });
  if (!sizing.gpus.empty()) {
    q.sizing.gpus = top.parse("gpus", [&] { return parse_gpus(sizing.gpus); });
  }
  q.sizing.tp_nodes = top.parse("tp_nodes", [&] { return parse_tp_nodes(top.text("tp_nodes", "1")); });
  top.parse("engine", [&] {
    apply_memory_model(top.text("engine"), q.sizing);
    return 0;
  });

  if (const auto v = top.object("volume")) {
    v->only({"tokens_per_day", "tokens_per_month", "input_output_ratio", "input_tokens", "output_tokens", "utilization",
             "peak_to_average", "gpu_hour_usd", "cached_input_share"});
    VolumeOptions vo;
    vo.tokens_per_day = v->text("tokens_per_day");
    vo.tokens_per_month = v->text("tokens_per_month");
    vo.ratio = v->text("input_output_ratio");
    vo.input_tokens = v->text("input_tokens");
    vo.output_tokens = v->text("output_tokens");
    vo.utilization = v->text("utilization", "0.6");
    vo.peak_to_average = v->text("peak_to_average", "1");
    vo.gpu_hour_usd = v->text("gpu_hour_usd");
    vo.cached_input_share = v->text("cached_input_share", "0");
    const ParsedVolume parsed = v->parse("tokens_per_day", [&] { return parse_volume(vo, "volume", true); });
    q.volume = parsed.volume;
    q.shape = parsed.shape;
    q.plan = parsed.plan;
  } else {
    q.shape = parse_volume(VolumeOptions{}, "check", false).shape;
  }
  q.shape.kv_bytes = q.sizing.kv_bytes;

  advisor::Expectations expect;
  if (const auto l = top.object("license")) {
    l->only({"mau", "monthly_revenue", "uses", "region", "modality", "fail_on", "group_mau", "purpose", "field_of_use",
             "derivative"});
    q.license = l->parse("mau", [&] {
      return parse_deployment(l->text("mau", "0"), l->text("monthly_revenue"), l->strings("uses"), l->text("region"),
                              l->text("modality", "text"));
    });
    const LicenseScope scope{l->text("group_mau"), l->text("purpose"), l->strings("field_of_use"),
                             l->text("derivative")};
    l->parse("purpose", [&] {
      apply_license_scope(scope, *q.license, "license.");
      return 0;
    });
    const auto fail_on = l->strings("fail_on");
    if (!fail_on.empty()) {
      expect.fail_on.clear();
      for (const std::string& f : fail_on) {
        const auto v = license::verdict_from_string(f);
        if (!v) {
          l->fail("fail_on", fmt::format("'{}' is not a verdict; accepted: {}", f, license::verdict_names()));
        }
        expect.fail_on.push_back(*v);
      }
    }
  }
  if (const auto e = top.object("expect")) {
    e->only({"fits", "self_host_cheaper_than_api", "max_usd_per_million_tokens", "max_gpus"});
    expect.fits = e->boolean("fits", true);
    expect.self_host_cheaper_than_api = e->boolean("self_host_cheaper_than_api", false);
    if (const std::string m = e->text("max_usd_per_million_tokens"); !m.empty()) {
      expect.max_usd_per_million_tokens =
          e->parse("max_usd_per_million_tokens", [&] { return util::parse_fraction(m, "value", 0, 1e6); });
    }
    if (const std::string g = e->text("max_gpus"); !g.empty()) {
      expect.max_gpus = e->parse("max_gpus", [&] { return parse_gpus(g); });
    }
  }

  const catalog::Gpu& gpu = top.parse("gpu", [&]() -> const catalog::Gpu& { return catalog.gpu(sizing.gpu); });
  const std::string precision = top.text("precision");
  const auto models_it = doc.find("models");
  if (models_it == doc.end() || !models_it->is_array() || models_it->empty()) {
    top.fail("models", "must be a non-empty array of model ids or {\"id\": ..., \"precision\": ...} objects");
  }
  if (models_it->size() > k_max_models) {
    top.fail("models",
             fmt::format("holds {} models; a deployment file takes at most {}", models_it->size(), k_max_models));
  }
  std::vector<ModelInput> inputs;
  for (std::size_t i = 0; i < models_it->size(); ++i) {
    const json& m = (*models_it)[i];
    const Fields entry(m, o.file, fmt::format("models[{}].", i));
    std::string id;
    std::string p = precision;
    if (m.is_string()) {
      id = m.get<std::string>();
    } else if (m.is_object()) {
      entry.only({"id", "precision"});
      id = entry.text("id");
      p = entry.text("precision", precision);
    }
    if (id.empty()) {
      top.fail(fmt::format("models[{}]", i), "must be a model id or an object with \"id\"");
    }
    inputs.push_back(entry.parse("id", [&] { return ModelInput::resolve("check", id, "", p, catalog); }));
  }
  std::vector<const catalog::Model*> apis;
  for (const std::string& name : top.strings("api_alternatives")) {
    const catalog::Model& m =
        top.parse("api_alternatives", [&]() -> const catalog::Model& { return catalog.model(name); });
    if (!m.api_price) {
      top.fail("api_alternatives", fmt::format("'{}' has no API price in the catalog", m.id));
    }
    if (m.api_price->retired_on(q.today)) {
      top.fail("api_alternatives", fmt::format("'{}' retired on {} ({}): it can no longer be bought", m.id,
                                               m.api_price->retires, m.api_price->provider));
    }
    apis.push_back(&m);
  }

  std::vector<advisor::Answer> answers;
  for (const ModelInput& in : inputs) {
    const catalog::Model& m = in.model();
    answers.push_back(advisor::answer(catalog, m, m.self_hostable() ? &in.precision(catalog) : nullptr, gpu, q));
  }
  const auto checks = advisor::check_expectations(answers, expect, apis, q);
  const bool passed = std::all_of(checks.begin(), checks.end(), [](const auto& c) { return c.passed; });
  nlohmann::ordered_json j = render::check_json(o.file, top.text("name"), checks, answers, apis, q);
  CommandOutput out;
  out.text = render::document("check", catalog.version(), std::move(j));
  out.exit_code = passed ? k_exit_ok : k_exit_check_failed;
  return out;
}

} // namespace

Runner add_check_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<CheckOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->add_option("FILE", o->file, "A deployment file (JSON; docs/cli.md `check`, examples/deploy.json)")->required();
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick check examples/deploy.json\n"
              "  modelpick check deploy.json | jq '.checks[] | select(.passed == false)'\n"
              "Writes one JSON report (with or without --json). Exit codes: 0 every check passed, 3 a check failed, 2 "
              "a field the schema\n"
              "refuses (the message names it), 1 a file that cannot be read or is not JSON.\n");
  return [o](const catalog::Catalog& catalog) { return run_check(*o, catalog); };
}

} // namespace modelpick::cli
