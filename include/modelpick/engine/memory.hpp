#pragma once
// Parameter counts from the architecture, and weight bytes per precision.
#include <cstdint>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::engine {

// Parameters of one transformer block, split by how they are stored.
struct LayerParams {
  std::uint64_t attention_linear = 0;     // attention / mixer projections
  std::uint64_t mlp_linear = 0;           // dense MLP, shared experts, a dense residual MLP
  std::uint64_t expert_linear = 0;        // all routed experts
  std::uint64_t active_expert_linear = 0; // the routed experts one token uses
  std::uint64_t unquantized = 0;          // norms, biases, routers, conv and SSM parameters: 16-bit

  [[nodiscard]] std::uint64_t total() const { return attention_linear + mlp_linear + expert_linear + unquantized; }
  [[nodiscard]] std::uint64_t active() const {
    return attention_linear + mlp_linear + active_expert_linear + unquantized;
  }
  bool operator==(const LayerParams&) const = default;
};

struct ParamCounts {
  std::vector<LayerParams> layers;
  std::uint64_t embedding = 0; // vocab x hidden
  std::uint64_t lm_head = 0;   // vocab x hidden when untied (0 when tied)
  std::uint64_t final_norm = 0;
  std::uint64_t extra = 0; // e.g. a vision encoder, kept in 16-bit
  // Multi-token-prediction layers: their blocks (stored like the model's layers) and the rest
  // (projection, norms, an own embedding and head), 16-bit; on the last pipeline stage.
  LayerParams mtp_block;
  std::uint64_t mtp_layers = 0;
  std::uint64_t mtp_other = 0;
  std::uint64_t total = 0;
  std::uint64_t active = 0; // what one text token passes through: routed + shared experts, no vision encoder
};

ParamCounts count_params(const catalog::Architecture& arch);

// A model's counts: from its architecture, or none for a weights file's model, whose bytes come
// from its tensors and whose metadata gives only the architecture the KV cache needs.
ParamCounts model_params(const catalog::Model& model);

// Bytes of `params` linear weights stored at `precision` (group scales included).
std::uint64_t quantized_bytes(std::uint64_t params, const catalog::Precision& precision);

// How a layer's parameters are stored at `precision`: linear weights the precision quantises,
// and the 16-bit rest (an experts-only format such as MXFP4 leaves attention and dense MLPs in
// 16-bit). `active` counts only the routed experts a token uses.
struct LayerStorage {
  std::uint64_t quantized = 0;
  std::uint64_t sixteen_bit = 0;
};
LayerStorage layer_storage(const LayerParams& layer, const catalog::Precision& precision, bool active = false);

// Bytes of one layer at `precision`; `active` counts only the routed experts a token uses.
std::uint64_t layer_weight_bytes(const LayerParams& layer, const catalog::Precision& precision, bool active = false);

// Where the weight bytes sit, for splitting a model over pipeline stages.
struct WeightPlacement {
  std::vector<std::uint64_t> layer_bytes;
  std::uint64_t first_stage_bytes = 0; // embedding and any vision encoder
  std::uint64_t last_stage_bytes = 0;  // final norm, an untied lm_head and any MTP layers
  std::uint64_t tied_head_bytes = 0;   // a tied lm_head's copy on the last stage once PP > 1
  std::uint64_t mtp_bytes = 0;         // the MTP layers in last_stage_bytes (and total)
  std::uint64_t total = 0;             // everything resident: all experts, embeddings, extra
  std::uint64_t active = 0;            // what one token reads
};

// From the architecture at `precision`.
WeightPlacement place_weights(const ParamCounts& params, const catalog::Precision& precision);

// Bytes pipeline stage `stage` of `stages` holds ([first, last) layers each): its layers, the
// embedding (and any vision encoder) on the first, the final norm and lm_head on the last,
// which with PP > 1 is a separate copy even when the model ties them.
std::uint64_t stage_weight_bytes(const WeightPlacement& weights,
                                 const std::vector<std::pair<std::uint64_t, std::uint64_t>>& stages, std::size_t stage);

// The same, or the model's stored bytes when it has them (a GGUF file).
WeightPlacement place_weights(const catalog::Model& model, const ParamCounts& params,
                              const catalog::Precision& precision);

} // namespace modelpick::engine
