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
};

struct Obligation {
  std::string text;
  catalog::Clause clause;
};

struct Result {
  const catalog::Model* model = nullptr;
  const catalog::License* license = nullptr; // null: the model names a license the catalog lacks
  Verdict verdict = Verdict::unknown;
  catalog::Clause clause; // the deciding clause
  std::string with;       // needs_agreement: whom to ask
  std::vector<Obligation> obligations;
};

Result check(const catalog::Model& model, const catalog::License* license, const Deployment& deployment);

// Every result, in the order given.
std::vector<Result> check_all(const catalog::Catalog& catalog, const std::vector<const catalog::Model*>& models,
                              const Deployment& deployment);

} // namespace modelpick::license
