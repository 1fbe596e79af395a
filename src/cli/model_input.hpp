#pragma once
// The model a command sizes: a catalog id, a .gguf file (its header) or --config config.json,
// and the precision its weights are stored at. Shared by size and cost.
#include <optional>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/catalog/hf_config.hpp"

namespace modelpick::cli {

class ModelInput {
public:
  // `model` is an id or a .gguf path, `config` a config.json path: exactly one is non-empty.
  // `precision` (may be empty) is refused for a GGUF file, whose tensors are sized as stored.
  // `text_only` leaves out the vision and audio towers an engine can skip (--text-only).
  static ModelInput resolve(const char* command, const std::string& model, const std::string& config,
                            const std::string& precision, const catalog::Catalog& catalog, bool text_only = false);

  // A MODEL argument that names a GGUF weights file rather than a catalog id.
  static bool is_gguf(const std::string& model);

  [[nodiscard]] const catalog::Model& model() const {
    return imported_ ? imported_->model : adjusted_ ? *adjusted_ : *model_;
  }

  // What a config.json or GGUF file said, when the model came from one.
  [[nodiscard]] const catalog::ConfigImport* imported() const { return imported_ ? &*imported_ : nullptr; }

  // The precision named (default: the official checkpoint's), or a weights file's own format.
  [[nodiscard]] const catalog::Precision& precision(const catalog::Catalog& catalog) const;

  // What a config.json or GGUF file supplied and what was assumed, as report lines.
  [[nodiscard]] std::vector<std::string> assumptions() const;

private:
  std::optional<catalog::ConfigImport> imported_;
  const catalog::Model* model_ = nullptr;
  std::optional<catalog::Model> adjusted_; // a catalog model without its towers (--text-only)
  std::vector<std::string> notes_;
  std::string origin_; // the file a model was read from
  std::string precision_;
  catalog::Precision stored_;
};

} // namespace modelpick::cli
