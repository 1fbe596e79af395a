#include "modelpick/catalog/hf_config.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "modelpick/error.hpp"
#include "modelpick/util/json_text.hpp"

namespace modelpick::catalog {

using nlohmann::json;

namespace {

const char* const k_types[] = {"llama",       "mistral", "mixtral", "qwen2",  "qwen2_moe",   "qwen3",
                               "qwen3_moe",   "gemma",   "gemma2",  "gemma3", "gemma3_text", "deepseek_v2",
                               "deepseek_v3", "kimi_k2", "gpt_oss", "phi3",   "phimoe"};

constexpr std::size_t k_max_config_bytes = 4U << 20;
constexpr int k_max_depth = 32;

// A string field: empty when absent or null, an error naming the field when it is not a string
// (json::value() would throw a type_error that no message names; found by fuzz_hf_config).
std::string string_field(const json& node, const char* key, const std::string& origin) {
  const auto it = node.find(key);
  if (it == node.end() || it->is_null()) {
    return {};
  }
  if (!it->is_string()) {
    throw Error(ErrorKind::invalid_catalog,
                fmt::format("{}: \"{}\" must be a string, got {}", origin, key, it->dump()));
  }
  return it->get<std::string>();
}

// The first of `node`'s and `root`'s values of `key` that is present.
std::string string_field(const json& node, const json& root, const char* key, const std::string& origin) {
  std::string v = string_field(node, key, origin);
  return v.empty() ? string_field(root, key, origin) : v;
}

// Reads fields of one config object, recording which were used and which assumed.
class Fields {
public:
  Fields(const json& node, std::string origin, ConfigImport& out)
      : node_(node), origin_(std::move(origin)), out_(out) {}

  [[nodiscard]] bool has(const char* key) const { return node_.contains(key) && !node_[key].is_null(); }

  std::uint64_t uint(const char* key, std::uint64_t min, std::uint64_t max) {
    if (!has(key)) {
      throw Error(ErrorKind::invalid_catalog, fmt::format("{}: missing \"{}\" (an integer)", origin_, key));
    }
    return checked(key, min, max);
  }

  std::uint64_t uint_or(const char* key, std::uint64_t fallback, const std::string& why, std::uint64_t min,
                        std::uint64_t max) {
    if (!has(key)) {
      out_.assumed.push_back(fmt::format("{}: not in the file; {} = {}", key, why, fallback));
      return fallback;
    }
    return checked(key, min, max);
  }

  bool boolean_or(const char* key, bool fallback, const std::string& why) {
    if (!has(key)) {
      out_.assumed.push_back(fmt::format("{}: not in the file; {} = {}", key, why, fallback ? "true" : "false"));
      return fallback;
    }
    if (!node_[key].is_boolean()) {
      throw Error(ErrorKind::invalid_catalog,
                  fmt::format("{}: \"{}\" must be true or false, got {}", origin_, key, node_[key].dump()));
    }
    out_.used.push_back(fmt::format("{} = {}", key, node_[key].get<bool>() ? "true" : "false"));
    return node_[key].get<bool>();
  }

  const json& node() const { return node_; }
  const std::string& origin() const { return origin_; }

private:
  std::uint64_t checked(const char* key, std::uint64_t min, std::uint64_t max) {
    const json& v = node_[key];
    if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0) ||
        v.get<std::uint64_t>() < min || v.get<std::uint64_t>() > max) {
      throw Error(ErrorKind::invalid_catalog,
                  fmt::format("{}: \"{}\" must be an integer from {} to {}, got {}", origin_, key, min, max, v.dump()));
    }
    out_.used.push_back(fmt::format("{} = {}", key, v.get<std::uint64_t>()));
    return v.get<std::uint64_t>();
  }

  const json& node_;
  std::string origin_;
  ConfigImport& out_;
};

std::string precision_of(const json& root, const json& text, ConfigImport& out, const std::string& origin) {
  if (const auto q = root.find("quantization_config"); q != root.end() && q->is_object()) {
    const std::string method = string_field(*q, "quant_method", origin);
    out.used.push_back(fmt::format("quantization_config.quant_method = {}", method));
    if (method == "fp8" || method == "fbgemm_fp8" || method == "compressed-tensors") {
      return "fp8";
    }
    if (method == "mxfp4") {
      return "mxfp4";
    }
    if (method == "awq" || method == "gptq") {
      return "int4";
    }
    throw Error(ErrorKind::usage, fmt::format("quantization_config.quant_method '{}' is not modelled; accepted: fp8, "
                                              "mxfp4, awq, gptq (or pass --precision)",
                                              method));
  }
  std::string dtype = string_field(text, root, "torch_dtype", origin);
  if (dtype.empty()) {
    dtype = string_field(text, root, "dtype", origin);
  }
  if (dtype == "float16") {
    out.used.push_back("torch_dtype = float16");
    return "fp16";
  }
  if (dtype == "bfloat16") {
    out.used.push_back("torch_dtype = bfloat16");
    return "bf16";
  }
  out.assumed.push_back(fmt::format("torch_dtype: {}; served as bf16", dtype.empty() ? "not in the file" : dtype));
  return "bf16";
}

// Per-layer attention kinds from layer_types or the model type's sliding-window convention.
std::vector<AttentionLayer> attention_of(const std::string& type, Fields& f, std::uint64_t layers,
                                         std::uint64_t context, ConfigImport& out) {
  const json& n = f.node();
  const auto window = [&]() { return f.uint("sliding_window", 1, 1'000'000'000); };
  if (n.contains("layer_types") && n["layer_types"].is_array()) {
    const json& types = n["layer_types"];
    if (types.size() != layers) {
      throw Error(ErrorKind::invalid_catalog,
                  fmt::format("{}: \"layer_types\" has {} entries for {} layers", f.origin(), types.size(), layers));
    }
    std::vector<AttentionLayer> out_layers;
    std::uint64_t w = 0;
    for (const json& t : types) {
      const std::string kind = t.is_string() ? t.get<std::string>() : "";
      if (kind == "full_attention") {
        out_layers.push_back({AttentionKind::full, 0});
      } else if (kind == "sliding_attention") {
        w = w == 0 ? window() : w;
        out_layers.push_back({AttentionKind::sliding, w});
      } else if (kind == "chunked_attention") {
        out_layers.push_back({AttentionKind::chunked, f.uint("attention_chunk_size", 1, 1'000'000'000)});
      } else {
        throw Error(ErrorKind::invalid_catalog,
                    fmt::format("{}: layer type {} is not one of full_attention, sliding_attention, chunked_attention",
                                f.origin(), t.dump()));
      }
    }
    out.used.push_back("layer_types");
    return out_layers;
  }
  if (type == "gemma2") { // even layers slide
    return {{AttentionKind::sliding, window()}, {AttentionKind::full, 0}};
  }
  if (type == "gemma3" || type == "gemma3_text") { // (pattern - 1) sliding layers, then one global
    const std::uint64_t pattern = f.uint_or("sliding_window_pattern", 6, "Gemma 3's default", 1, 1000);
    std::vector<AttentionLayer> p(pattern, AttentionLayer{AttentionKind::sliding, window()});
    p.back() = {AttentionKind::full, 0};
    return p;
  }
  const bool uses_flag = type.rfind("qwen", 0) == 0;
  const bool sliding = uses_flag ? (f.has("use_sliding_window") && f.boolean_or("use_sliding_window", false, "") &&
                                    f.has("sliding_window"))
                                 : f.has("sliding_window");
  if (sliding) {
    const std::uint64_t w = window();
    if (w < context) {
      return {{AttentionKind::sliding, w}};
    }
    out.assumed.push_back("sliding_window covers the whole context: full attention");
  }
  return {{AttentionKind::full, 0}};
}

} // namespace

std::string supported_config_types() {
  std::string out;
  for (const char* t : k_types) {
    out += (out.empty() ? "" : ", ") + std::string(t);
  }
  return out;
}

ConfigImport model_from_hf_config(const std::string& origin, const std::string& text) {
  const json root = util::parse_json_object(origin, text, k_max_config_bytes, k_max_depth, "a config.json object");
  const json& cfg = root.contains("text_config") && root["text_config"].is_object() ? root["text_config"] : root;
  ConfigImport out;
  const std::string type = string_field(cfg, root, "model_type", origin);
  if (std::find(std::begin(k_types), std::end(k_types), type) == std::end(k_types)) {
    throw Error(ErrorKind::usage, fmt::format("{}: model_type '{}' is not read by modelpick; accepted: {}", origin,
                                              type.empty() ? "(none)" : type, supported_config_types()));
  }
  if (&cfg != &root) {
    out.assumed.push_back("read the language model from \"text_config\"; a vision encoder is not counted");
  }
  out.used.push_back("model_type = " + type);
  Fields f(cfg, origin, out);

  Architecture a;
  a.source = origin;
  a.layers = f.uint("num_hidden_layers", 1, 10'000);
  a.hidden_size = f.uint("hidden_size", 1, 1'000'000);
  a.attention_heads = f.uint("num_attention_heads", 1, 100'000);
  a.kv_heads = f.uint_or("num_key_value_heads", a.attention_heads, "no GQA: num_attention_heads", 1, a.attention_heads);
  a.head_dim = f.uint_or("head_dim", a.hidden_size / a.attention_heads, "hidden_size / num_attention_heads", 1, 65'536);
  a.vocab_size = f.uint("vocab_size", 1, 100'000'000);
  a.intermediate_size = f.uint_or("intermediate_size", 0, "no dense MLP", 0, 10'000'000);
  const bool gemma = type.rfind("gemma", 0) == 0;
  a.tied_embeddings = f.boolean_or("tie_word_embeddings", gemma, gemma ? "Gemma ties them" : "transformers' default");
  const bool qwen2 = type == "qwen2" || type == "qwen2_moe";
  a.attention_bias = f.boolean_or("attention_bias", qwen2 || type == "gpt_oss",
                                  qwen2 ? "Qwen2 has q/k/v biases" : "the model type's default");
  if (a.attention_heads % a.kv_heads != 0) {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{}: num_attention_heads {} is not a multiple of "
                                                        "num_key_value_heads {}",
                                                        origin, a.attention_heads, a.kv_heads));
  }
  const std::uint64_t context = f.uint("max_position_embeddings", 1, 1'000'000'000);

  if (type == "deepseek_v2" || type == "deepseek_v3" || type == "kimi_k2") {
    a.mla = Mla{f.uint_or("q_lora_rank", 0, "no query LoRA", 0, 1'000'000), f.uint("kv_lora_rank", 1, 1'000'000),
                f.uint("qk_nope_head_dim", 1, 65'536), f.uint("qk_rope_head_dim", 0, 65'536),
                f.uint("v_head_dim", 1, 65'536)};
    a.attention_pattern = {{AttentionKind::mla, 0}};
  } else {
    a.attention_pattern = attention_of(type, f, a.layers, context, out);
  }

  // Mixture of experts, by the field names each family uses.
  const char* experts_key = f.has("n_routed_experts")    ? "n_routed_experts"
                            : f.has("num_local_experts") ? "num_local_experts"
                            : f.has("num_experts")       ? "num_experts"
                                                         : nullptr;
  if (experts_key != nullptr) {
    Moe m;
    m.experts = f.uint(experts_key, 1, 1'000'000);
    m.experts_per_token = f.has("num_experts_per_tok") ? f.uint("num_experts_per_tok", 1, m.experts)
                                                       : f.uint("experts_per_token", 1, m.experts);
    m.expert_intermediate_size = f.has("moe_intermediate_size") ? f.uint("moe_intermediate_size", 1, 10'000'000)
                                                                : f.uint("intermediate_size", 1, 10'000'000);
    m.shared_experts =
        f.uint_or("n_shared_experts", f.has("shared_expert_intermediate_size") ? 1 : 0, "shared experts", 0, 1'000);
    m.shared_expert_intermediate_size = f.has("shared_expert_intermediate_size")
                                            ? f.uint("shared_expert_intermediate_size", 1, 10'000'000)
                                            : m.expert_intermediate_size;
    m.first_dense_layers = f.has("first_k_dense_replace") ? f.uint("first_k_dense_replace", 0, a.layers) : 0;
    m.layer_step = f.has("decoder_sparse_step") ? f.uint("decoder_sparse_step", 1, a.layers)
                   : f.has("moe_layer_freq")    ? f.uint("moe_layer_freq", 1, a.layers)
                                                : 1;
    m.dense_intermediate_size = a.intermediate_size;
    m.expert_bias = type == "gpt_oss";
    a.moe = m;
  }

  Model& model = out.model;
  model.id = root.contains("_name_or_path") && root["_name_or_path"].is_string()
                 ? root["_name_or_path"].get<std::string>()
                 : std::string("config");
  model.name = model.id;
  model.publisher = "config.json";
  model.license = "unknown";
  model.native_precision = precision_of(root, cfg, out, origin);
  model.max_context_tokens = context;
  model.category = a.moe ? Category::moe : Category::dense;
  model.architecture = a;
  model.sources = {{"architecture", origin}, {"context", origin}};
  model.origin = origin;
  return out;
}

} // namespace modelpick::catalog
