#pragma once
// A model from a Hugging Face config.json: any checkpoint can be sized offline.
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::catalog {

struct ConfigImport {
  Model model;
  std::string rule;                 // which reader rule read it: "qwen3_next", "general decoder", ...
  std::vector<std::string> used;    // "num_hidden_layers = 80", ...
  std::vector<std::string> assumed; // "head_dim: not in the file, hidden_size / num_attention_heads = 128"
  // The weights' storage as the checkpoint's quantization_config states it (AWQ/GPTQ bits and
  // group, compressed-tensors, FP8 blocks, NVFP4), where it differs from the catalog precision
  // model.native_precision names; used unless the user passes --precision.
  std::optional<Precision> stored_precision;
};

// Reads any decoder config by architecture: family rules where a family needs them (Nemotron-H's
// hybrid_override_pattern, Kimi-Linear's layer lists, NAS block_configs, ChatGLM's names, Gemma's
// sliding patterns and global heads, MLA with a DSA indexer), and a general path for any other
// model_type with the standard fields (layer_types, full_attention_interval, sliding_window,
// kv_lora_rank, experts, ...). A nested "text_config" / "llm_config" / "language_config" is read
// as the language model; a Qwen-style vision tower and MTP layers are counted as loaded weights.
// Python's Infinity / NaN are accepted where no memory-deciding field holds them. Throws
// Error(invalid_catalog) naming the field for anything malformed or missing that decides memory,
// and Error(usage) for a quantization method that is not modelled.
// `quant_text`, when not empty, is the checkpoint's hf_quant_config.json (modelopt), read when
// config.json has no quantization_config.
ConfigImport model_from_hf_config(const std::string& origin, const std::string& text,
                                  const std::string& quant_text = {});

} // namespace modelpick::catalog
