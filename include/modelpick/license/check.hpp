#pragma once
// license-check: a deployment, checked against each license's clauses, gives a verdict and the
// clause that decides it. Not legal advice (docs/licenses.md).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::license {

enum class Verdict { allowed, allowed_with_obligations, needs_agreement, not_allowed, unknown };
std::string_view to_string(Verdict v);
std::optional<Verdict> verdict_from_string(std::string_view text);
std::string verdict_names(); // "allowed, allowed-with-obligations, ..."

struct Deployment {
  std::uint64_t mau = 0;                            // monthly active users of the product
  std::optional<std::uint64_t> monthly_revenue_usd; // unknown unless stated
  std::vector<catalog::Use> uses{catalog::Use::serve};
  std::string region;   // "eu" or empty
  std::string modality; // "vision" or empty (text)
  // --group-mau: the licensee and its affiliates across all products; unset: taken as `mau`
  std::optional<std::uint64_t> group_mau;
  std::string purpose = "commercial";     // commercial, internal, research, non-commercial
  std::vector<std::string> fields_of_use; // military, surveillance, medical, legal, ...
  std::string derivative;                 // "", "internal", "distributed": what becomes of a fine-tune / distill
};

struct Obligation {
  std::string text;
  catalog::Clause clause;
  std::string license;                        // the license id it comes from
  const catalog::LicenseRule* rule = nullptr; // its condition (`when`), for the renderer to word
  bool applies = true;                        // whether this deployment triggers it
};

struct Result {
  const catalog::Model* model = nullptr;
  const catalog::License* license = nullptr; // null: the model names a license the catalog lacks
  Verdict verdict = Verdict::unknown;
  catalog::Clause clause;                  // the deciding clause
  std::string with;                        // needs_agreement: whom to ask
  std::string deciding_license;            // the license id whose clause decides
  std::vector<Obligation> obligations;     // those this deployment triggers
  std::vector<Obligation> all_obligations; // every obligation of every license checked, `applies` set
  std::vector<std::string> licenses;       // checked: the governing license, then those inherited
  std::string governing_since;             // the license in force at release came from license.history
  std::vector<std::string> assumptions;    // what was taken for a fact not given (group MAU, release date)
};

// The model's license (the one in force at its release, where license.history says it changed)
// and every license it inherits, each against the deployment; the strictest verdict decides.
Result check(const catalog::Catalog& catalog, const catalog::Model& model, const Deployment& deployment);
// One license alone (`license` null: the model names a license the catalog lacks).
Result check(const catalog::Model& model, const catalog::License* license, const Deployment& deployment);

// Every result, in the order given.
std::vector<Result> check_all(const catalog::Catalog& catalog, const std::vector<const catalog::Model*>& models,
                              const Deployment& deployment);

} // namespace modelpick::license
