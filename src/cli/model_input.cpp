#include "model_input.hpp"

#include <fmt/format.h>

#include "catalog_source.hpp"
#include "modelpick/error.hpp"

namespace modelpick::cli {

ModelInput ModelInput::resolve(const char* command, const std::string& model, const std::string& config,
                               const std::string& precision, const catalog::Catalog& catalog) {
  if (model.empty() == config.empty()) {
    throw Error(ErrorKind::usage, fmt::format("{} takes a MODEL id or --config FILE (one of them)", command));
  }
  ModelInput in;
  in.precision_ = precision;
  if (!config.empty()) {
    in.imported_ = catalog::model_from_hf_config(config, read_user_file(config, "config file", 4U << 20));
    in.origin_ = config;
  } else if (is_gguf(model)) {
    if (!precision.empty()) {
      throw Error(ErrorKind::usage, fmt::format("--precision {} does not apply to a GGUF file: its tensors are sized "
                                                "as stored",
                                                precision));
    }
    in.imported_ = read_gguf_model(model);
    in.origin_ = model;
    in.stored_.id = "gguf";
    in.stored_.name = in.imported_->model.stored->format;
    in.stored_.weight_bits = 16;
  } else {
    in.model_ = &catalog.model(model);
  }
  return in;
}

bool ModelInput::is_gguf(const std::string& model) {
  return model.size() > 5 && model.compare(model.size() - 5, 5, ".gguf") == 0;
}

const catalog::Precision& ModelInput::precision(const catalog::Catalog& catalog) const {
  if (model().stored) {
    return stored_;
  }
  return catalog.precision(precision_.empty() ? model().native_precision : precision_);
}

std::vector<std::string> ModelInput::assumptions() const {
  std::vector<std::string> out;
  if (imported_) {
    out.push_back(fmt::format("from {}: {}", origin_, fmt::join(imported_->used, ", ")));
    for (const std::string& a : imported_->assumed) {
      out.push_back("assumed: " + a);
    }
  }
  return out;
}

} // namespace modelpick::cli
