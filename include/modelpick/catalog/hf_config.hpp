#pragma once
// A model from a Hugging Face config.json: any checkpoint can be sized offline.
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::catalog {

struct ConfigImport {
  Model model;
  std::vector<std::string> used;    // "num_hidden_layers = 80", ...
  std::vector<std::string> assumed; // "head_dim: not in the file, hidden_size / num_attention_heads = 128"
};

// Model types read: llama, mistral, mixtral, qwen2, qwen2_moe, qwen3, qwen3_moe, gemma, gemma2,
// gemma3 / gemma3_text, deepseek_v2, deepseek_v3, kimi_k2, gpt_oss, phi3, phimoe; a nested
// "text_config" (multimodal wrappers) is read as the language model. Throws Error(invalid_catalog)
// naming the field for anything malformed, and Error(usage) for an unsupported model_type.
ConfigImport model_from_hf_config(const std::string& origin, const std::string& text);

// The model types model_from_hf_config accepts, comma-separated.
std::string supported_config_types();

} // namespace modelpick::catalog
