// license-check by the letter, round two: who counts, for what purpose, what flows down, and
// which text governed a model at its release. Each scenario quotes the clause it turns on
// (from data/licenses.json, itself quoted from the license text named in its `source`).
#include <algorithm>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "run.hpp"

using nlohmann::json;

namespace {

// The first result of `license-check MODEL ARGS --json --fail-on none`.
json result(std::vector<std::string> args) {
  args.insert(args.begin(), "license-check");
  args.push_back("--json");
  args.push_back("--fail-on");
  args.push_back("none");
  const auto r = run_modelpick(args);
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out)["results"][0];
}

std::string verdict(const std::vector<std::string>& args) {
  return result(args)["verdict"].get<std::string>();
}

// Whether an obligation whose text contains `text` applies: 1 if one does, 0 if such
// obligations exist but none applies, -1 if there is none.
int obligation(const json& r, const std::string& text) {
  int found = -1;
  for (const auto& o : r["all_obligations"]) {
    if (o["text"].get<std::string>().find(text) != std::string::npos) {
      found = std::max(found, o["applies"].get<bool>() ? 1 : 0);
    }
  }
  return found;
}

} // namespace

TEST_CASE("licenses: thresholds on both sides, and whose users count", "[cli][license][scenarios]") {
  // Llama 3.3 §2: "the monthly active users of the products or services made available by or
  // for Licensee, or Licensee's affiliates, is greater than 700 million"
  CHECK(verdict({"llama-3.3-70b", "--mau", "700M"}) == "allowed-with-obligations");
  CHECK(verdict({"llama-3.3-70b", "--mau", "700000001"}) == "needs-agreement");
  // ...the licensee's affiliates count too: a 10M-user product of an 800M-user group
  CHECK(verdict({"llama-3.3-70b", "--mau", "10M", "--group-mau", "800M"}) == "needs-agreement");
  CHECK(verdict({"llama-3.3-70b", "--mau", "10M", "--group-mau", "699M"}) == "allowed-with-obligations");
  // without --group-mau the group is taken as the product, and the report says so
  const json assumed = result({"llama-3.3-70b", "--mau", "10M"});
  CHECK(assumed["assumptions"][0].get<std::string>().find("--group-mau not given") != std::string::npos);
  // Qwen §4: "your product or service has more than 100 million monthly active users": the
  // product, not the group
  CHECK(verdict({"qwen2.5-72b", "--mau", "10M", "--group-mau", "800M"}) != "needs-agreement");
  CHECK(verdict({"qwen2.5-72b", "--mau", "100M"}) != "needs-agreement");
  CHECK(verdict({"qwen2.5-72b", "--mau", "100.15M"}) == "needs-agreement"); // 100,150,000: exact decimals
  // DBRX §3: "...made available by or for Licensee, or Licensee's affiliates, is greater than
  // 700 million"
  CHECK(verdict({"dbrx", "--mau", "1M", "--group-mau", "701M"}) == "needs-agreement");
  // Hunyuan §4: "...more than 100 million monthly active users"
  CHECK(verdict({"hunyuan-a13b", "--mau", "100000001"}) == "needs-agreement");
  CHECK(verdict({"hunyuan-a13b", "--mau", "100M"}) != "needs-agreement");
}

TEST_CASE("licenses: revenue thresholds and display duties", "[cli][license][scenarios]") {
  // Kimi's modified MIT: "...more than 100 million monthly active users, or more than 20 million
  // US dollars (or equivalent in other currencies) in monthly revenue, you shall prominently
  // display "Kimi K2" on the user interface"
  CHECK(obligation(result({"kimi-k2", "--monthly-revenue", "20.01M"}), "Kimi K2") == 1);
  CHECK(obligation(result({"kimi-k2", "--monthly-revenue", "20M"}), "Kimi K2") == 0);
  CHECK(obligation(result({"kimi-k2", "--mau", "100000001"}), "Kimi K2") == 1);
}

TEST_CASE("licenses: the EU clause follows the model's modality, not the input", "[cli][license][scenarios]") {
  // Llama 3.2 AUP: "With respect to any multimodal models included in Llama 3.2, the rights
  // granted under Section 1(a) ... are not being granted to you if you are ... a company with a
  // principal place of business in, the European Union"
  CHECK(verdict({"llama-3.2-11b-vision", "--region", "eu"}) == "not-allowed"); // text input too
  CHECK(verdict({"llama-3.2-11b-vision", "--region", "eu", "--modality", "vision"}) == "not-allowed");
  CHECK(verdict({"llama-3.2-3b", "--region", "eu"}) != "not-allowed"); // a text-only model
  // Llama 4 AUP: the same sentence for "any multimodal models included in Llama 4"
  CHECK(verdict({"llama-4-scout", "--region", "eu"}) == "not-allowed");
  // Hunyuan: "THIS LICENSE AGREEMENT DOES NOT APPLY IN THE EUROPEAN UNION, UNITED KINGDOM AND
  // SOUTH KOREA"
  CHECK(verdict({"hunyuan-a13b", "--region", "eu"}) == "not-allowed");
}

TEST_CASE("licenses: what a derivative inherits, and the stricter verdict decides", "[cli][license][scenarios]") {
  // DeepSeek-R1 README §7: "DeepSeek-R1-Distill-Llama-70B is derived from Llama3.3-70B-Instruct
  // and is originally licensed under Llama3.3 license" -> Llama 3.3's 700M clause applies
  const json distill = result({"deepseek-r1-distill-llama-70b", "--mau", "800M"});
  CHECK(distill["verdict"] == "needs-agreement");
  CHECK(distill["deciding_license"] == "llama-3.3");
  CHECK(distill["licenses_checked"] == json::array({"mit", "llama-3.3"}));
  // "...DeepSeek-R1-Distill-Qwen-32B ... originally licensed under Apache 2.0": no Llama clause
  CHECK(verdict({"deepseek-r1-distill-qwen-32b", "--mau", "800M"}) != "needs-agreement");
  // Llama 3.3 §1.b.i: "If you use the Llama Materials ... to create, train, fine tune, or
  // otherwise improve an AI model, which is distributed or made available, you shall also
  // include "Llama" at the beginning of any such AI model name"
  CHECK(obligation(result({"deepseek-r1-distill-llama-70b", "--use", "fine-tune", "--derivative", "distributed"}),
                   "\"Llama\"") == 1);
  CHECK(obligation(result({"deepseek-r1-distill-llama-70b", "--use", "fine-tune", "--derivative", "internal"}),
                   "\"Llama\"") == 0);
  // Llama-3.3-Nemotron-Super: NVIDIA Open Model License, and "Additional Information: Llama 3.3
  // Community License Agreement"
  const json nemotron = result({"llama-3.3-nemotron-super-49b", "--mau", "800M"});
  CHECK(nemotron["verdict"] == "needs-agreement");
  CHECK(nemotron["deciding_license"] == "llama-3.3");
  // Llama-3.1-Nemotron-Ultra: "Additional Information: Llama 3.1 Community License Agreement"
  const json ultra = result({"llama-3.1-nemotron-ultra-253b", "--mau", "800M"});
  CHECK(ultra["verdict"] == "needs-agreement");
  CHECK(ultra["deciding_license"] == "llama-3.1");
  // NVIDIA OML §3.1: "If you distribute the Model, You must give any other recipients of the
  // Model a copy of this Agreement"
  CHECK(obligation(result({"llama-3.3-nemotron-super-49b", "--use", "redistribute"}), "copy") == 1);
  // Qwen §5(b): "...an AI model that is distributed or made available, you shall prominently
  // display "Built with Qwen" or "Improved using Qwen""
  CHECK(obligation(result({"qwen2.5-72b", "--use", "fine-tune", "--derivative", "distributed"}), "Built with Qwen") ==
        1);
  CHECK(obligation(result({"qwen2.5-72b", "--use", "fine-tune", "--derivative", "internal"}), "Built with Qwen") == 0);
}

TEST_CASE("licenses: purpose and field of use", "[cli][license][scenarios]") {
  // Qwen Research License §2(b): "If you are commercially using the Materials, you shall request
  // a license from us."
  CHECK(verdict({"qwen2.5-3b"}) == "needs-agreement");
  CHECK(verdict({"qwen2.5-3b", "--purpose", "internal"}) == "needs-agreement"); // internal use by a company
  CHECK(verdict({"qwen2.5-3b", "--purpose", "research"}) != "needs-agreement");
  CHECK(verdict({"qwen2.5-3b", "--purpose", "non-commercial"}) != "needs-agreement");
  // Mistral Research License §3.2: "You shall only use the Mistral Models ... for Research
  // Purposes"
  CHECK(verdict({"mistral-large-2"}) == "needs-agreement");
  CHECK(verdict({"mistral-large-2", "--purpose", "research"}) != "needs-agreement");
  // DeepSeek License, Attachment A: "You agree not to use the Model or Derivatives of the Model:
  // ... For military use in any way;"
  CHECK(verdict({"deepseek-v3", "--field-of-use", "military"}) == "not-allowed");
  CHECK(verdict({"deepseek-v3", "--field-of-use", "medical"}) != "not-allowed");
  // DBRX §2.3: "You will not use DBRX or DBRX Derivatives or any Output to improve any other
  // large language model"
  CHECK(verdict({"dbrx", "--use", "distill"}) == "not-allowed");
}

TEST_CASE("licenses: the text that governed a model at its release", "[cli][license][scenarios]") {
  // Yi-34B-200K was released 2023-11-05 under the Yi Series Models Community License (v2.1):
  // "If you plan to use the Yi Series Models and Derivatives for Commercial Purposes, please refer
  // to the Registration Form"; the repository moved to Apache-2.0 on 2024-05-30
  const json yi = result({"yi-34b-200k"});
  CHECK(yi["verdict"] == "needs-agreement");
  CHECK(yi["governing_since"] == "2023-11-04");
  CHECK(yi["licenses_checked"][0] == "yi-community-2.1");
  CHECK(verdict({"yi-34b-200k", "--purpose", "research"}) != "needs-agreement");
  // v2.1 §2(2): "You shall not, for military or unlawful purposes ... use, copy or Distribute"
  CHECK(verdict({"yi-34b-200k", "--field-of-use", "military"}) == "not-allowed");
  // Yi-1.5, released under Apache-2.0, has no such history
  CHECK(verdict({"yi-1.5-34b"}) == "allowed");
}

TEST_CASE("licenses: the scope flags refuse what they do not know, by name", "[cli][license][errors]") {
  const auto purpose = run_modelpick({"license-check", "llama-3.3-70b", "--purpose", "fun"});
  CHECK(purpose.exit_code == 2);
  CHECK(purpose.out.empty());
  CHECK(
      purpose.err ==
      "modelpick: error: --purpose 'fun' is not accepted: expected commercial, internal, research or non-commercial\n");
  const auto group = run_modelpick({"license-check", "llama-3.3-70b", "--mau", "10M", "--group-mau", "5M"});
  CHECK(group.exit_code == 2);
  CHECK(group.err.find("--group-mau 5M is below --mau 10000000") != std::string::npos);
  const auto field = run_modelpick({"license-check", "llama-3.3-70b", "--field-of-use", "space"});
  CHECK(field.exit_code == 2);
  CHECK(field.err.find("--field-of-use 'space' is not accepted: expected military") != std::string::npos);
  const auto derivative = run_modelpick({"license-check", "llama-3.3-70b", "--derivative", "shared"});
  CHECK(derivative.exit_code == 2);
  CHECK(derivative.err.find("--derivative 'shared' is not accepted") != std::string::npos);
}
