// modelpick license-check [MODEL...] [--mau N] [--monthly-revenue N] [--use U]... [--region eu]
//                         [--modality vision] [--fail-on VERDICTS] [--json]
#include <fmt/format.h>
#include <memory>

#include "../render/license_render.hpp"
#include "../render/size_render.hpp"
#include "common_options.hpp"
#include "modelpick/error.hpp"
#include "modelpick/license/check.hpp"
#include "registry.hpp"

namespace modelpick::cli {
namespace {

struct LicenseOptions {
  std::vector<std::string> models;
  std::string mau = "0";
  std::string monthly_revenue;
  std::vector<std::string> uses;
  std::string region;
  LicenseScope scope; // --group-mau, --purpose, --field-of-use, --derivative
  std::string modality = "text";
  std::vector<std::string> fail_on{"needs-agreement", "not-allowed", "unknown"};
  bool json = false;
};

std::vector<license::Verdict> parse_fail_on(const std::vector<std::string>& items) {
  std::vector<license::Verdict> out;
  for (const std::string& item : items) {
    if (item == "none" && items.size() == 1) {
      break;
    }
    const auto v = license::verdict_from_string(item);
    if (!v) {
      throw Error(ErrorKind::usage,
                  fmt::format("--fail-on '{}' is not accepted: expected 'none' or a comma-separated list "
                              "of allowed, allowed-with-obligations, needs-agreement, not-allowed, unknown",
                              item));
    }
    out.push_back(*v);
  }
  return out;
}

CommandOutput run_license_check(const LicenseOptions& o, const catalog::Catalog& catalog) {
  license::Deployment d = parse_deployment(o.mau, o.monthly_revenue, o.uses, o.region, o.modality);
  apply_license_scope(o.scope, d);
  const std::vector<license::Verdict> fail_on = parse_fail_on(o.fail_on);
  std::vector<const catalog::Model*> models;
  for (const std::string& name : o.models) {
    models.push_back(&catalog.model(name));
  }
  const bool grouped = models.empty();
  if (grouped) { // every open-weight model
    for (const catalog::Model& m : catalog.models()) {
      if (m.self_hostable()) {
        models.push_back(&m);
      }
    }
  }
  const auto results = license::check_all(catalog, models, d);
  const bool failed = std::any_of(results.begin(), results.end(), [&](const license::Result& r) {
    return std::find(fail_on.begin(), fail_on.end(), r.verdict) != fail_on.end();
  });
  return {o.json ? render::document("license-check", catalog.version(), render::license_json(results, d))
                 : render::license_text(results, d, grouped),
          failed ? k_exit_check_failed : k_exit_ok};
}

} // namespace

Runner add_license_check_command(CLI::App& app, const CommandSpec& spec) {
  auto o = std::make_shared<LicenseOptions>();
  CLI::App* cmd = app.add_subcommand(spec.name, spec.summary);
  cmd->add_option("MODEL", o->models, "Models to check (default: every open-weight model, grouped by verdict)");
  add_deployment_options(*cmd, o->mau, o->monthly_revenue, o->uses, o->region, o->modality);
  add_license_scope_options(*cmd, o->scope);
  cmd->add_option("--fail-on", o->fail_on,
                  "Verdicts that make the exit code 3 (default needs-agreement,not-allowed,unknown; 'none' never)")
      ->type_name("LIST")
      ->delimiter(',');
  add_json_flag(*cmd, o->json);
  cmd->footer("Examples:\n"
              "  modelpick license-check --mau 800M\n"
              "  modelpick license-check llama-3.1-70b qwen2.5-72b --mau 150M --use serve --use fine-tune\n"
              "  modelpick license-check kimi-k2 --mau 10M --monthly-revenue 30M --json\n"
              "Exit codes: 0 all allowed (with obligations), 3 a verdict in --fail-on, 2 bad input, 1 data error.\n"
              "modelpick is not legal advice: it quotes the clauses that decide.\n");
  return [o](const catalog::Catalog& catalog) { return run_license_check(*o, catalog); };
}

} // namespace modelpick::cli
