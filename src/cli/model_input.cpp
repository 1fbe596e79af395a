#include "model_input.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "catalog_source.hpp"
#include "modelpick/error.hpp"

namespace modelpick::cli {

namespace {

// The towers --text-only leaves out, and a note of what was left out.
std::vector<std::string> drop_towers(catalog::Model& m) {
  std::vector<std::string> notes;
  if (!m.architecture) {
    return notes;
  }
  auto& extras = m.architecture->extras;
  for (const catalog::ExtraWeights& e : extras) {
    if (e.text_only_drops) {
      notes.push_back(fmt::format("--text-only: {} ({} params) not loaded", e.what, e.params));
    }
  }
  extras.erase(
      std::remove_if(extras.begin(), extras.end(), [](const catalog::ExtraWeights& e) { return e.text_only_drops; }),
      extras.end());
  return notes;
}

} // namespace

ModelInput ModelInput::resolve(const char* command, const std::string& model, const std::string& config,
                               const std::string& precision, const catalog::Catalog& catalog, bool text_only) {
  if (model.empty() == config.empty()) {
    throw Error(ErrorKind::usage, fmt::format("{} takes a MODEL id or --config FILE (one of them)", command));
  }
  ModelInput in;
  in.precision_ = precision;
  if (!config.empty()) {
    in.imported_ = read_config_model(config);
    in.origin_ = config;
    if (in.imported_->stored_precision && !precision.empty()) {
      in.notes_.push_back(fmt::format("--precision {} overrides the checkpoint's stored {}", precision,
                                      in.imported_->stored_precision->name));
    }
    if (text_only) {
      const std::vector<std::string> dropped = drop_towers(in.imported_->model);
      in.notes_.insert(in.notes_.end(), dropped.begin(), dropped.end());
    }
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
    if (text_only) {
      in.adjusted_ = *in.model_;
      in.notes_ = drop_towers(*in.adjusted_);
    }
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
  if (imported_ && imported_->stored_precision && precision_.empty()) {
    return *imported_->stored_precision;
  }
  return catalog.precision(precision_.empty() ? model().native_precision : precision_);
}

std::vector<std::string> ModelInput::assumptions() const {
  std::vector<std::string> out;
  if (imported_) {
    out.push_back(
        fmt::format("from {} (read by the {} rule): {}", origin_, imported_->rule, fmt::join(imported_->used, ", ")));
    for (const std::string& a : imported_->assumed) {
      out.push_back("assumed: " + a);
    }
  }
  out.insert(out.end(), notes_.begin(), notes_.end());
  return out;
}

} // namespace modelpick::cli
