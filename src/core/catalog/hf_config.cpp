#include "modelpick/catalog/hf_config.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

#include "modelpick/error.hpp"
#include "modelpick/util/json_text.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::catalog {

using nlohmann::json;

namespace {

constexpr std::size_t k_max_config_bytes = 4U << 20;
constexpr int k_max_depth = 32;

// Families with rules of their own; any other model_type goes through the general decoder
// path when its config carries the standard fields.
const char* const k_family_rules[] = {
    "chatglm",    "deepseek_v2", "deepseek_v3",  "deepseek_v32", "glm4_moe_lite",    "glm_moe_dsa",
    "kimi_k2",    "kimi_linear", "nemotron_h",   "nemotron-nas", "granitemoehybrid", "gemma2",
    "gemma3",     "gemma3_text", "gemma3n",      "gemma3n_text", "gemma4",           "gemma4_text",
    "qwen3_next", "qwen3_5",     "qwen3_5_text", "qwen3_5_moe",  "qwen3_5_moe_text", "minimax",
    "minimax_m1", "gpt_oss"};

// The tokens Python's json.dump writes for non-finite floats. nlohmann_json refuses them, so
// they are turned into strings before parsing: a field that only configures training
// (Nemotron-H's time_step_limit) is never read, and one that decides memory names the token.
const std::array<std::string_view, 3> k_python_tokens = {"-Infinity", "Infinity", "NaN"};

std::string python_tokens_as_strings(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  util::StringTracker strings;
  char previous = '\0'; // last non-space character outside a string ('"' after one)
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (strings.inside(c)) {
      out += c;
      previous = '"';
      continue;
    }
    if (previous == ':' || previous == '[' || previous == ',') {
      bool replaced = false;
      for (const std::string_view token : k_python_tokens) {
        if (text.substr(i, token.size()) == token) {
          out += '"';
          out += token;
          out += '"';
          i += token.size() - 1;
          previous = '"';
          replaced = true;
          break;
        }
      }
      if (replaced) {
        continue;
      }
    }
    out += c;
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      previous = c;
    }
  }
  return out;
}

bool python_token(const json& v) {
  return v.is_string() &&
         std::find(k_python_tokens.begin(), k_python_tokens.end(), v.get<std::string>()) != k_python_tokens.end();
}

// Config fields whose meaning for memory no rule here reads (see model_from_hf_config).
constexpr std::pair<const char*, const char*> k_unmodelled_fields[] = {
    {"compress_ratios", "per-layer KV compression"},
    {"hc_mult", "hyper-connections"},
    {"o_groups", "grouped output projection"},
    {"expert_dtype", "routed experts stored in their own dtype"},
    // Kimi K3's latent MoE: routed experts on a narrower hidden size with their own norms
    // (latent_moe_use_norm), whose projections no published modelling code shows; counting them
    // at hidden_size would overstate their weights about twofold. Nemotron's moe_latent_size is read.
    {"routed_expert_hidden_size", "latent MoE: routed experts on a narrower hidden size"},
    {"attn_res_block_size", "attention residuals across blocks"},
};

[[noreturn]] void refuse(const std::string& origin, const std::string& what) {
  throw Error(ErrorKind::invalid_catalog, fmt::format("{}: {}", origin, what));
}

// A string field: empty when absent or null, an error naming the field when it is not a string
// (json::value() would throw a type_error that no message names; found by fuzz_hf_config).
std::string string_field(const json& node, const char* key, const std::string& origin) {
  const auto it = node.find(key);
  if (it == node.end() || it->is_null()) {
    return {};
  }
  if (!it->is_string()) {
    refuse(origin, fmt::format("\"{}\" must be a string, got {}", key,
                               it->dump(-1, ' ', false, json::error_handler_t::replace)));
  }
  return it->get<std::string>();
}

// Reads fields of one config object, recording which were used and which assumed.
class Fields {
public:
  Fields(const json& node, std::string origin, std::string prefix, ConfigImport& out)
      : node_(node), origin_(std::move(origin)), prefix_(std::move(prefix)), out_(out) {}

  [[nodiscard]] bool has(const char* key) const { return node_.contains(key) && !node_[key].is_null(); }

  // The first of `keys` present, or nullptr.
  [[nodiscard]] const char* first_of(std::initializer_list<const char*> keys) const {
    for (const char* k : keys) {
      if (has(k)) {
        return k;
      }
    }
    return nullptr;
  }

  std::uint64_t uint(const char* key, std::uint64_t min, std::uint64_t max) {
    if (!has(key)) {
      refuse(origin_, fmt::format("missing \"{}{}\" (an integer), which decides memory", prefix_, key));
    }
    return checked(key, min, max);
  }

  // The first present of `keys`, required.
  std::uint64_t uint_any(std::initializer_list<const char*> keys, std::uint64_t min, std::uint64_t max) {
    if (const char* k = first_of(keys)) {
      return checked(k, min, max);
    }
    std::string names;
    for (const char* k : keys) {
      names += (names.empty() ? "" : " or ") + fmt::format("\"{}{}\"", prefix_, k);
    }
    refuse(origin_, fmt::format("missing {} (an integer), which decides memory", names));
  }

  std::uint64_t uint_or(const char* key, std::uint64_t fallback, const std::string& why, std::uint64_t min,
                        std::uint64_t max) {
    if (!has(key)) {
      if (!why.empty()) {
        out_.assumed.push_back(fmt::format("{}{}: not in the file; {} = {}", prefix_, key, why, fallback));
      }
      return fallback;
    }
    return checked(key, min, max);
  }

  bool boolean_or(const char* key, bool fallback, const std::string& why) {
    if (!has(key)) {
      if (!why.empty()) {
        out_.assumed.push_back(
            fmt::format("{}{}: not in the file; {} = {}", prefix_, key, why, fallback ? "true" : "false"));
      }
      return fallback;
    }
    if (!node_[key].is_boolean()) {
      refuse(origin_, fmt::format("\"{}{}\" must be true or false, got {}", prefix_, key,
                                  node_[key].dump(-1, ' ', false, json::error_handler_t::replace)));
    }
    out_.used.push_back(fmt::format("{}{} = {}", prefix_, key, node_[key].get<bool>() ? "true" : "false"));
    return node_[key].get<bool>();
  }

  std::string str(const char* key) { return string_field(node_, key, origin_); }

  // An array of small integers (layer indices), each below `limit`.
  std::vector<std::uint64_t> indices(const char* key, std::uint64_t limit) {
    std::vector<std::uint64_t> out;
    if (!has(key)) {
      return out;
    }
    if (!node_[key].is_array()) {
      refuse(origin_, fmt::format("\"{}{}\" must be an array of layer numbers, got {}", prefix_, key,
                                  node_[key].dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40)));
    }
    for (const json& v : node_[key]) {
      if (!v.is_number_unsigned() || v.get<std::uint64_t>() >= limit) {
        refuse(origin_, fmt::format("\"{}{}\" holds {}; layer numbers are integers below {}", prefix_, key,
                                    v.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40), limit));
      }
      out.push_back(v.get<std::uint64_t>());
    }
    out_.used.push_back(fmt::format("{}{} ({} entries)", prefix_, key, out.size()));
    return out;
  }

  // A number that may be fractional (ffn_mult).
  double number(const char* key, double min, double max) {
    const json& v = node_[key];
    if (python_token(v)) {
      refuse(origin_, fmt::format("\"{}{}\" is {}; it decides memory and must be a number from {} to {}", prefix_, key,
                                  v.get<std::string>(), min, max));
    }
    if (!v.is_number() || !std::isfinite(v.get<double>()) || v.get<double>() < min || v.get<double>() > max) {
      refuse(origin_, fmt::format("\"{}{}\" must be a number from {} to {}, got {}", prefix_, key, min, max,
                                  v.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40)));
    }
    return v.get<double>();
  }

  const json& node() const { return node_; }
  const std::string& origin() const { return origin_; }
  const std::string& prefix() const { return prefix_; }
  ConfigImport& out() { return out_; }

private:
  std::uint64_t checked(const char* key, std::uint64_t min, std::uint64_t max) {
    const json& given = node_[key];
    // a per-layer array with one value for every layer (Hunyuan's moe_topk) is that value
    if (given.is_array() && !given.empty() &&
        std::all_of(given.begin(), given.end(), [&](const json& e) { return e == given.front(); })) {
      return checked_value(key, given.front(), min, max, " (every layer)");
    }
    if (given.is_array()) {
      refuse(origin_,
             fmt::format("\"{}{}\" differs between layers ({}...); a per-layer value is not modelled here", prefix_,
                         key, given.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40)));
    }
    return checked_value(key, given, min, max, "");
  }

  std::uint64_t checked_value(const char* key, const json& v, std::uint64_t min, std::uint64_t max, const char* note) {
    if (python_token(v)) {
      refuse(origin_, fmt::format("\"{}{}\" is {}; it decides memory and must be an integer from {} to {}", prefix_,
                                  key, v.get<std::string>(), min, max));
    }
    if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0) ||
        v.get<std::uint64_t>() < min || v.get<std::uint64_t>() > max) {
      refuse(origin_, fmt::format("\"{}{}\" must be an integer from {} to {}, got {}", prefix_, key, min, max,
                                  v.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40)));
    }
    out_.used.push_back(fmt::format("{}{} = {}{}", prefix_, key, v.get<std::uint64_t>(), note));
    return v.get<std::uint64_t>();
  }

  const json& node_;
  std::string origin_;
  std::string prefix_;
  ConfigImport& out_;
};

// --- quantization as stored ----------------------------------------------------------------

// The catalog precision a stored format is sized like, and the exact storage where it differs.
struct StoredFormat {
  std::string precision_id;
  std::optional<Precision> exact;
};

Precision stored_precision(const std::string& id, const std::string& name, std::uint64_t bits, std::uint64_t group,
                           std::uint64_t overhead_bits, bool fp8_hardware, const std::string& origin) {
  Precision p;
  p.id = id;
  p.name = name;
  p.weight_bits = bits;
  p.group_size = group;
  p.group_overhead_bits = group > 0 ? overhead_bits : 0;
  p.needs_fp8_hardware = fp8_hardware;
  p.notes = "as the checkpoint stores it (quantization_config)";
  p.sources["storage"] = origin;
  p.origin = origin;
  return p;
}

// Modules a quantization leaves in 16-bit beyond the embeddings and lm_head, by what its
// ignore list names: attention (Gemma 4 NVFP4's self_attn), dense MLPs and shared experts
// (Kimi-K2's INT4 checkpoints quantise the routed experts only).
struct Ignored {
  bool attention = false;
  bool dense_mlp = false;
};

Ignored ignored_modules(const json& q) {
  Ignored out;
  for (const char* key : {"ignore", "modules_to_not_convert", "exclude_modules"}) {
    const auto it = q.find(key);
    if (it == q.end() || !it->is_array()) {
      continue;
    }
    for (const json& m : *it) {
      if (!m.is_string()) {
        continue;
      }
      const std::string name = m.get<std::string>();
      out.attention = out.attention || name.find("attn") != std::string::npos;
      out.dense_mlp = out.dense_mlp || name.find("shared_expert") != std::string::npos ||
                      name.find("mlp\\.") != std::string::npos || name.find("mlp.") != std::string::npos;
    }
  }
  return out;
}

// Applies an ignore list to a stored format.
void apply_ignored(Precision& p, const Ignored& ignored, ConfigImport& out) {
  if (ignored.attention && ignored.dense_mlp) {
    p.experts_only = true;
    out.used.push_back("quantization ignore list keeps attention and dense MLPs in 16-bit: routed experts quantised");
  } else if (ignored.attention) {
    p.attention_16bit = true;
    out.used.push_back("quantization ignore list keeps attention in 16-bit");
  }
}

// AMD Quark: global_quant_config.weight names the stored dtype. Its "exclude" list names
// tensors kept in 16-bit; router gates, the sparse-attention indexer's weight projection, the
// lm_head and MTP heads are a negligible share (and the lm_head is 16-bit here anyway), so only
// the other entries count as modules left unquantised.
std::optional<StoredFormat> quark_format(const json& q, const std::string& origin, ConfigImport& out) {
  const auto global = q.find("global_quant_config");
  if (global == q.end() || !global->is_object() || !global->contains("weight") || !(*global)["weight"].is_object()) {
    refuse(origin, "quantization_config (quark): missing \"global_quant_config.weight\", which decides the stored "
                   "bits");
  }
  const json& w = (*global)["weight"];
  const std::string dtype = string_field(w, "dtype", origin);
  const std::string scheme = string_field(w, "qscheme", origin);
  out.used.push_back(fmt::format("quantization_config (quark): weight dtype {}, qscheme {}", dtype, scheme));
  StoredFormat f;
  if (dtype == "fp8_e4m3" || dtype == "fp8_e5m2") {
    // per-tensor or per-channel scales: a negligible share of the bytes
    f.precision_id = "fp8-tensor";
    f.exact = stored_precision("fp8-tensor", fmt::format("FP8 {} ({}, quark)", dtype.substr(4), scheme), 8, 0, 0, true,
                               origin);
  } else {
    refuse(origin, fmt::format("quantization_config (quark): weight dtype '{}' is not modelled; accepted: fp8_e4m3, "
                               "fp8_e5m2 (or pass --precision)",
                               dtype));
  }
  json kept = json::array();
  if (const auto ex = q.find("exclude"); ex != q.end() && ex->is_array()) {
    for (const json& m : *ex) {
      const std::string name = m.is_string() ? m.get<std::string>() : std::string();
      const bool negligible = name.find("indexer") != std::string::npos ||
                              name.find("mlp.gate.") != std::string::npos ||
                              name.find("lm_head") != std::string::npos || name.find("eh_proj") != std::string::npos ||
                              name.find("shared_head") != std::string::npos;
      if (!negligible) {
        kept.push_back(m);
      }
    }
  }
  apply_ignored(*f.exact, ignored_modules(json{{"exclude_modules", kept}}), out);
  return f;
}

std::optional<StoredFormat> quantization_of(const json& q, const std::string& origin, ConfigImport& out) {
  const std::string method = string_field(q, "quant_method", origin);
  out.used.push_back(fmt::format("quantization_config.quant_method = {}", method));
  const Ignored ignored = ignored_modules(q);
  const auto bits_of = [&](const json& node, const char* key) -> std::uint64_t {
    const auto it = node.find(key);
    if (it == node.end() || !it->is_number_unsigned() || it->get<std::uint64_t>() == 0 ||
        it->get<std::uint64_t>() > 16) {
      refuse(origin, fmt::format("quantization_config: \"{}\" must be an integer from 1 to 16", key));
    }
    return it->get<std::uint64_t>();
  };
  const auto group_of = [&](const json& node) -> std::uint64_t {
    const auto it = node.find("group_size");
    if (it == node.end() || it->is_null()) {
      return 0;
    }
    if (it->is_number_integer() && it->get<std::int64_t>() == -1) {
      return 0; // per channel
    }
    if (!it->is_number_unsigned() || it->get<std::uint64_t>() == 0) {
      refuse(origin, fmt::format("quantization_config: \"group_size\" must be a positive integer or -1, got {}",
                                 it->dump().substr(0, 40)));
    }
    return it->get<std::uint64_t>();
  };
  StoredFormat f;
  if (method == "fp8" || method == "fbgemm_fp8") {
    // without weight_block_size: per-tensor or per-channel scales (fbgemm_fp8)
    f.precision_id = "fp8-tensor";
    // DeepSeek's block-wise FP8: one fp32 scale per 128 x 128 block
    if (const auto b = q.find("weight_block_size"); b != q.end() && b->is_array() && b->size() == 2 &&
                                                    (*b)[0].is_number_unsigned() && (*b)[1].is_number_unsigned()) {
      const std::uint64_t block = (*b)[0].get<std::uint64_t>() * (*b)[1].get<std::uint64_t>();
      f.precision_id = "fp8";
      f.exact = stored_precision("fp8", fmt::format("FP8 e4m3, one fp32 scale per {} weights", block), 8, block, 32,
                                 true, origin);
      out.used.push_back(fmt::format("quantization_config.weight_block_size = {} x {}", (*b)[0].get<std::uint64_t>(),
                                     (*b)[1].get<std::uint64_t>()));
    }
    return f;
  }
  if (method == "mxfp4") {
    f.precision_id = "mxfp4";
    return f;
  }
  if (method == "awq" || method == "gptq") {
    const std::uint64_t bits = bits_of(q, q.contains("bits") ? "bits" : "w_bit");
    const std::uint64_t group =
        group_of(q.contains("group_size") ? q : json{{"group_size", q.value("q_group_size", 0)}});
    // per group: an fp16 scale and a packed zero point of `bits`
    f.precision_id = bits == 4 ? "int4" : "int8";
    f.exact = stored_precision(f.precision_id, fmt::format("{} {}-bit, group {}", method, bits, group), bits, group,
                               16 + bits, false, origin);
    out.used.push_back(fmt::format("quantization_config: {} bits, group_size {}", bits, group));
    return f;
  }
  if (method == "compressed-tensors") {
    const std::string format = string_field(q, "format", origin);
    const auto groups = q.find("config_groups");
    if (groups == q.end() || !groups->is_object() || groups->empty()) {
      refuse(origin, "quantization_config (compressed-tensors): missing \"config_groups\", which decides the stored "
                     "bits");
    }
    const json& g = groups->begin().value();
    const auto w = g.find("weights");
    if (w == g.end() || !w->is_object()) {
      refuse(origin, "quantization_config.config_groups: missing \"weights\", which decides the stored bits");
    }
    const std::uint64_t bits = bits_of(*w, "num_bits");
    const std::string type = string_field(*w, "type", origin);
    const std::uint64_t group = group_of(*w);
    out.used.push_back(fmt::format("quantization_config (compressed-tensors {}): {} bits, type {}, group {}", format,
                                   bits, type, group));
    if (format.find("nvfp4") != std::string::npos || (bits == 4 && type == "float")) {
      // NVFP4: 4-bit values, one FP8 scale per 16 (the fp32 tensor scale is negligible)
      f.precision_id = "nvfp4";
      f.exact = stored_precision("nvfp4", "NVFP4 (e2m1, one fp8 scale per 16)", 4, 16, 8, true, origin);
    } else if (bits == 8 && type == "float") {
      f.precision_id = group > 0 ? "fp8" : "fp8-tensor";
      f.exact =
          stored_precision(f.precision_id, "FP8 e4m3 (compressed-tensors)", 8, group, group > 0 ? 16 : 0, true, origin);
    } else {
      // integer weights: a 16-bit scale per group (and a zero point when asymmetric)
      const bool symmetric = w->value("symmetric", true);
      f.precision_id = bits <= 4 ? "int4" : "int8";
      f.exact = stored_precision(f.precision_id, fmt::format("INT{} group {} (compressed-tensors)", bits, group), bits,
                                 group, 16 + (symmetric ? 0 : bits), false, origin);
    }
    apply_ignored(*f.exact, ignored, out);
    return f;
  }
  if (method == "modelopt") {
    const std::string algo = string_field(q, "quant_algo", origin);
    out.used.push_back("quantization_config.quant_algo = " + algo);
    if (algo == "FP8") {
      f.precision_id = "fp8-tensor";
      f.exact = stored_precision("fp8-tensor", "FP8 e4m3, per-tensor scales (modelopt)", 8, 0, 0, true, origin);
      apply_ignored(*f.exact, ignored, out);
      return f;
    }
    if (algo == "NVFP4") {
      f.precision_id = "nvfp4";
      f.exact = stored_precision("nvfp4", "NVFP4 (e2m1, one fp8 scale per 16; modelopt)", 4, 16, 8, true, origin);
      apply_ignored(*f.exact, ignored, out);
      return f;
    }
    refuse(origin, fmt::format("quantization_config.quant_algo '{}' is not modelled; accepted: FP8, NVFP4", algo));
  }
  if (method == "quark") {
    return quark_format(q, origin, out);
  }
  throw Error(
      ErrorKind::usage,
      fmt::format("{}: quantization_config.quant_method '{}' is not modelled; accepted: fp8, fbgemm_fp8, mxfp4, "
                  "awq, gptq, compressed-tensors, modelopt, quark (or pass --precision)",
                  origin, method));
}

std::string dtype_precision(const json& text, const json& root, ConfigImport& out, const std::string& origin) {
  std::string dtype;
  for (const json* node : {&text, &root}) {
    for (const char* key : {"torch_dtype", "dtype"}) {
      if (dtype.empty()) {
        dtype = string_field(*node, key, origin);
      }
    }
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

std::uint64_t dtype_bytes(const std::string& dtype, const std::string& field, const std::string& origin) {
  if (dtype == "float32") {
    return 4;
  }
  if (dtype == "bfloat16" || dtype == "float16" || dtype == "auto") {
    return 2;
  }
  refuse(origin, fmt::format("\"{}\" '{}' is not one of float32, bfloat16, float16, auto", field, dtype));
}

// --- layer patterns --------------------------------------------------------------------------

struct Reading {
  std::string type;
  Architecture a;
  std::uint64_t context = 0;
};

// A linear-attention layer's sizes from the Qwen3-Next / Qwen3.5 fields.
LinearAttention gated_deltanet(Fields& f) {
  LinearAttention g;
  g.kind = LinearKind::gated_deltanet;
  g.key_heads = f.uint("linear_num_key_heads", 1, 100'000);
  g.value_heads = f.uint("linear_num_value_heads", 1, 100'000);
  g.key_head_dim = f.uint("linear_key_head_dim", 1, 65'536);
  g.value_head_dim = f.uint("linear_value_head_dim", 1, 65'536);
  g.conv_kernel = f.uint("linear_conv_kernel_dim", 1, 1'024);
  return g;
}

// Mamba-2 sizes from Nemotron-H's or Granite 4.0-H's field names.
Mamba mamba2(Fields& f, bool granite) {
  Mamba m;
  m.heads = f.uint(granite ? "mamba_n_heads" : "mamba_num_heads", 1, 1'000'000);
  m.head_dim = f.uint(granite ? "mamba_d_head" : "mamba_head_dim", 1, 65'536);
  m.d_state = f.uint(granite ? "mamba_d_state" : "ssm_state_size", 1, 65'536);
  m.groups = f.uint(granite ? "mamba_n_groups" : "n_groups", 1, m.heads);
  m.d_conv = f.uint(granite ? "mamba_d_conv" : "conv_kernel", 1, 1'024);
  m.d_inner = m.heads * m.head_dim;
  return m;
}

// One entry of `layer_types`.
AttentionLayer layer_of_type(const json& t, Fields& f, std::uint64_t& window, Architecture& a, bool granite) {
  const std::string kind = t.is_string() ? t.get<std::string>() : "";
  if (kind == "full_attention" || kind == "attention") {
    return {AttentionKind::full, 0};
  }
  if (kind == "sliding_attention") {
    window = window == 0 ? f.uint("sliding_window", 1, 1'000'000'000) : window;
    return {AttentionKind::sliding, window};
  }
  if (kind == "chunked_attention") {
    return {AttentionKind::chunked, f.uint("attention_chunk_size", 1, 1'000'000'000)};
  }
  if (kind == "linear_attention") {
    if (!a.linear) {
      a.linear = gated_deltanet(f);
    }
    return {AttentionKind::linear, 0};
  }
  if (kind == "mamba") {
    if (!a.mamba) {
      a.mamba = mamba2(f, granite);
    }
    return {AttentionKind::mamba, 0};
  }
  refuse(f.origin(), fmt::format("\"{}layer_types\" holds {}; accepted: full_attention, attention, sliding_attention, "
                                 "chunked_attention, linear_attention, mamba",
                                 f.prefix(), t.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40)));
}

// Per-layer token mixers, from whichever field the family uses to say them.
std::vector<AttentionLayer> attention_of(Reading& r, Fields& f) {
  Architecture& a = r.a;
  const std::string& type = r.type;
  const json& n = f.node();
  const bool granite = type == "granitemoehybrid";
  const auto window = [&]() { return f.uint("sliding_window", 1, 1'000'000'000); };
  if (n.contains("layer_types") && n["layer_types"].is_array()) {
    const json& types = n["layer_types"];
    if (types.size() != a.layers) {
      refuse(f.origin(),
             fmt::format("\"{}layer_types\" has {} entries for {} layers", f.prefix(), types.size(), a.layers));
    }
    std::vector<AttentionLayer> out;
    std::uint64_t w = 0;
    for (const json& t : types) {
      out.push_back(layer_of_type(t, f, w, a, granite));
    }
    f.out().used.push_back(f.prefix() + "layer_types");
    return out;
  }
  if (n.contains("layer_types") && !n["layer_types"].is_null()) {
    refuse(f.origin(), fmt::format("\"{}layer_types\" must be an array of layer kinds", f.prefix()));
  }
  if (type == "qwen3_next" || f.has("full_attention_interval")) {
    // every interval-th layer is full attention, the others Gated DeltaNet
    const std::uint64_t interval = f.uint("full_attention_interval", 1, a.layers);
    a.linear = gated_deltanet(f);
    std::vector<AttentionLayer> p(interval, AttentionLayer{AttentionKind::linear, 0});
    p.back() = {AttentionKind::full, 0};
    return p;
  }
  if (f.has("attn_type_list")) { // MiniMax: 0 = lightning (linear), 1 = softmax attention
    const json& list = n["attn_type_list"];
    if (!list.is_array() || list.size() != a.layers) {
      refuse(f.origin(),
             fmt::format("\"{}attn_type_list\" must hold one 0 or 1 per layer ({} layers)", f.prefix(), a.layers));
    }
    std::vector<AttentionLayer> out;
    for (const json& t : list) {
      if (!t.is_number_unsigned() || t.get<std::uint64_t>() > 1) {
        refuse(f.origin(),
               fmt::format("\"{}attn_type_list\" holds {}; accepted: 0 (lightning), 1 (softmax)", f.prefix(),
                           t.dump(-1, ' ', false, json::error_handler_t::replace).substr(0, 40)));
      }
      out.push_back({t.get<std::uint64_t>() == 0 ? AttentionKind::linear : AttentionKind::full, 0});
    }
    f.out().used.push_back(f.prefix() + "attn_type_list");
    return out;
  }
  if (type == "gemma2") { // even layers slide
    return {{AttentionKind::sliding, window()}, {AttentionKind::full, 0}};
  }
  if (type.rfind("gemma3", 0) == 0 || f.has("sliding_window_pattern")) {
    // (pattern - 1) sliding layers, then one global
    const std::uint64_t pattern = f.uint_or("sliding_window_pattern", 6, "Gemma 3's default", 1, 1000);
    std::vector<AttentionLayer> p(pattern, AttentionLayer{AttentionKind::sliding, window()});
    p.back() = {AttentionKind::full, 0};
    return p;
  }
  const bool uses_flag = f.has("use_sliding_window");
  const bool sliding =
      uses_flag ? (f.boolean_or("use_sliding_window", false, "") && f.has("sliding_window")) : f.has("sliding_window");
  if (sliding) {
    const std::uint64_t w = window();
    if (w < r.context) {
      return {{AttentionKind::sliding, w}};
    }
    f.out().assumed.push_back("sliding_window covers the whole context: full attention");
  }
  return {{AttentionKind::full, 0}};
}

// Nemotron-H's hybrid_override_pattern: one character per block; newer configs give the same
// as a layers_block_type list ("mamba", "attention", "mlp", "moe": transformers' NemotronHConfig).
std::vector<AttentionLayer> nemotron_h_pattern(Reading& r, Fields& f) {
  std::string pattern;
  if (!f.has("hybrid_override_pattern") && f.node().contains("layers_block_type")) {
    static constexpr std::pair<const char*, char> k_blocks[] = {
        {"mamba", 'M'}, {"attention", '*'}, {"mlp", '-'}, {"moe", 'E'}};
    for (const json& block : f.node()["layers_block_type"]) {
      const auto* kind = std::find_if(std::begin(k_blocks), std::end(k_blocks), [&](const auto& k) {
        return block.is_string() && block.get<std::string>() == k.first;
      });
      if (kind == std::end(k_blocks)) {
        refuse(f.origin(), fmt::format("\"{}layers_block_type\" holds {}; accepted: \"mamba\", \"attention\", "
                                       "\"mlp\", \"moe\"",
                                       f.prefix(), block.dump()));
      }
      pattern.push_back(kind->second);
    }
  } else {
    pattern = f.str("hybrid_override_pattern");
  }
  if (pattern.size() != r.a.layers) {
    refuse(f.origin(),
           fmt::format("\"hybrid_override_pattern\" has {} blocks for {} layers", pattern.size(), r.a.layers));
  }
  std::vector<AttentionLayer> out;
  for (const char c : pattern) {
    AttentionLayer l;
    l.ffn = FfnKind::none;
    switch (c) {
    case 'M':
      l.kind = AttentionKind::mamba;
      break;
    case '*':
      l.kind = AttentionKind::full;
      break;
    case '-':
      l.kind = AttentionKind::none;
      l.ffn = FfnKind::dense;
      break;
    case 'E':
      l.kind = AttentionKind::none;
      l.ffn = FfnKind::moe;
      break;
    default:
      refuse(f.origin(), fmt::format("\"hybrid_override_pattern\" holds '{}'; accepted: M (Mamba-2), * (attention), "
                                     "- (MLP), E (MoE)",
                                     c));
    }
    out.push_back(l);
  }
  f.out().used.push_back(fmt::format(
      "{} = {}", f.has("hybrid_override_pattern") ? "hybrid_override_pattern" : "layers_block_type, as a pattern",
      pattern));
  r.a.mamba = mamba2(f, false);
  return out;
}

// Kimi-Linear: 1-based lists of KDA and full-attention (MLA) layers.
std::vector<AttentionLayer> kimi_linear_pattern(Reading& r, Fields& f, const json& cfg) {
  Fields lin(cfg, f.origin(), "linear_attn_config.", f.out());
  const auto kda = lin.indices("kda_layers", r.a.layers + 1);
  const auto full = lin.indices("full_attn_layers", r.a.layers + 1);
  std::vector<AttentionLayer> out(r.a.layers, AttentionLayer{AttentionKind::none, 0});
  std::vector<bool> seen(r.a.layers, false);
  for (const auto& [list, kind] : {std::pair{&kda, AttentionKind::linear}, std::pair{&full, AttentionKind::mla}}) {
    for (const std::uint64_t one_based : *list) {
      if (one_based == 0 || seen[one_based - 1]) {
        refuse(f.origin(),
               fmt::format("linear_attn_config: layer {} is listed twice or is 0 (layers count from 1)", one_based));
      }
      seen[one_based - 1] = true;
      out[one_based - 1].kind = kind;
    }
  }
  if (std::find(seen.begin(), seen.end(), false) != seen.end()) {
    refuse(f.origin(), fmt::format("linear_attn_config: kda_layers and full_attn_layers cover {} of {} layers",
                                   kda.size() + full.size(), r.a.layers));
  }
  LinearAttention g;
  g.kind = LinearKind::kda;
  g.key_heads = g.value_heads = lin.uint("num_heads", 1, 100'000);
  g.key_head_dim = g.value_head_dim = lin.uint("head_dim", 1, 65'536);
  g.conv_kernel = lin.uint("short_conv_kernel_size", 1, 1'024);
  r.a.linear = g;
  return out;
}

// NAS block_configs (Llama-Nemotron Super / Ultra, DeciLM): heads, FFN width or no-op per layer.
std::vector<AttentionLayer> nas_pattern(Reading& r, Fields& f) {
  const json& blocks = f.node()["block_configs"];
  if (!blocks.is_array() || blocks.size() != r.a.layers) {
    refuse(f.origin(), fmt::format("\"block_configs\" must hold one entry per layer ({} layers)", r.a.layers));
  }
  std::vector<AttentionLayer> out;
  for (std::size_t i = 0; i < blocks.size(); ++i) {
    const json& b = blocks[i];
    if (!b.is_object() || !b.contains("attention") || !b.contains("ffn") || !b["attention"].is_object() ||
        !b["ffn"].is_object()) {
      refuse(f.origin(), fmt::format("\"block_configs[{}]\" must hold \"attention\" and \"ffn\" objects", i));
    }
    Fields att(b["attention"], f.origin(), fmt::format("block_configs[{}].attention.", i), f.out());
    Fields ffn(b["ffn"], f.origin(), fmt::format("block_configs[{}].ffn.", i), f.out());
    AttentionLayer l;
    if (att.boolean_or("no_op", false, "")) {
      l.kind = AttentionKind::none;
    } else if (att.boolean_or("replace_with_linear", false, "")) {
      l.kind = AttentionKind::none;
      l.linear_replacement = true;
    } else {
      const std::uint64_t group = att.uint("n_heads_in_group", 1, r.a.attention_heads);
      if (r.a.attention_heads % group != 0) {
        refuse(f.origin(), fmt::format("\"block_configs[{}].attention.n_heads_in_group\" {} does not divide the {} "
                                       "attention heads",
                                       i, group, r.a.attention_heads));
      }
      l.kv_heads = r.a.attention_heads / group;
    }
    if (ffn.boolean_or("no_op", false, "")) {
      l.ffn = FfnKind::none;
    } else if (ffn.boolean_or("replace_with_linear", false, "")) {
      refuse(f.origin(), fmt::format("\"block_configs[{}].ffn.replace_with_linear\" is not modelled", i));
    } else {
      l.ffn = FfnKind::dense;
      if (ffn.has("intermediate_size")) {
        l.ffn_intermediate_size = ffn.uint("intermediate_size", 1, 10'000'000);
      } else {
        // vLLM nemotron_nas.py _ffn_mult_to_intermediate_size: 2/3 x mult x hidden, rounded up to 256
        const double mult = ffn.has("ffn_mult") ? ffn.number("ffn_mult", 0.01, 1000)
                                                : (refuse(f.origin(), fmt::format("missing \"block_configs[{}].ffn."
                                                                                  "ffn_mult\", which decides memory",
                                                                                  i)),
                                                   0.0);
        const auto width = static_cast<std::uint64_t>(2 * mult * static_cast<double>(r.a.hidden_size) / 3);
        l.ffn_intermediate_size = util::ceil_div(width, 256) * 256;
      }
    }
    out.push_back(l);
  }
  // the model-wide KV heads: the first layer that has attention (vLLM's get_total_num_kv_heads)
  for (const AttentionLayer& l : out) {
    if (l.kv_heads > 0) {
      r.a.kv_heads = l.kv_heads;
      break;
    }
  }
  return out;
}

// --- weights beside the language model ------------------------------------------------------

// A Qwen-VL style vision transformer (Qwen2.5-VL, Qwen3-VL, Qwen3.5): patch embedding, learned
// positions, blocks of LayerNorm + qkv + proj + a GELU MLP (all with biases), and the patch
// merger(s) that project into the language model's width.
std::uint64_t qwen_vision_params(const json& v, const std::string& origin, ConfigImport& out) {
  Fields f(v, origin, "vision_config.", out);
  const std::uint64_t h = f.uint("hidden_size", 1, 100'000);
  const std::uint64_t depth = f.uint("depth", 1, 1'000);
  const std::uint64_t inter = f.uint("intermediate_size", 1, 1'000'000);
  const std::uint64_t patch = f.uint("patch_size", 1, 1'024);
  const std::uint64_t temporal = f.uint_or("temporal_patch_size", 1, "", 1, 64);
  const std::uint64_t channels = f.uint_or("in_channels", 3, "", 1, 64);
  const std::uint64_t positions = f.uint_or("num_position_embeddings", 0, "", 0, 10'000'000);
  const std::uint64_t merge = f.uint_or("spatial_merge_size", 2, "", 1, 64);
  const std::uint64_t out_h = f.uint("out_hidden_size", 1, 1'000'000);
  std::uint64_t deepstack = 0;
  if (v.contains("deepstack_visual_indexes") && v["deepstack_visual_indexes"].is_array()) {
    deepstack = v["deepstack_visual_indexes"].size();
  }
  const std::uint64_t block = 4 * h + 3 * h * h + 3 * h + h * h + h + h * inter + inter + inter * h + h;
  const std::uint64_t hm = h * merge * merge;
  const std::uint64_t merger = hm * hm + hm + hm * out_h + out_h;
  return channels * temporal * patch * patch * h + h + positions * h + depth * block + 2 * h + merger +
         deepstack * (2 * hm + merger);
}

// A ViT whose config gives num_hidden_layers, hidden_size, intermediate_size and patch_size
// (SigLIP, Gemma 4's encoder): attention q/k/v/o, an MLP (gated for Gemma 4), norms, the patch
// embedding, learned positions and a projection into the language model's width.
std::uint64_t vit_params(const json& v, bool gated, std::uint64_t text_hidden, const std::string& origin,
                         ConfigImport& out) {
  Fields f(v, origin, "vision_config.", out);
  const std::uint64_t h = f.uint("hidden_size", 1, 100'000);
  const std::uint64_t layers = f.uint("num_hidden_layers", 1, 1'000);
  const std::uint64_t inter = f.uint("intermediate_size", 1, 1'000'000);
  const std::uint64_t patch = f.uint("patch_size", 1, 1'024);
  const std::uint64_t positions =
      f.uint_or(v.contains("position_embedding_size") ? "position_embedding_size" : "num_position_embeddings", 0, "", 0,
                10'000'000);
  const std::uint64_t block = 4 * h * h + (gated ? 3 : 2) * h * inter + 4 * h;
  return layers * block + 3 * patch * patch * h + positions * h + h * text_hidden;
}

} // namespace

ConfigImport model_from_hf_config(const std::string& origin, const std::string& text, const std::string& quant_text) {
  const std::string converted = python_tokens_as_strings(text);
  const json root = util::parse_json_object(origin, converted, k_max_config_bytes, k_max_depth, "a config.json object");
  ConfigImport out;
  // Multimodal wrappers keep the language model in a nested object.
  const char* nested = nullptr;
  for (const char* key : {"text_config", "llm_config", "language_config", "thinker_config"}) {
    if (root.contains(key) && root[key].is_object()) {
      nested = key;
      break;
    }
  }
  const json& cfg = nested != nullptr ? root[nested] : root;
  const std::string prefix = nested != nullptr ? std::string(nested) + "." : "";
  Reading r;
  r.type = string_field(cfg, "model_type", origin);
  const std::string outer_type = string_field(root, "model_type", origin);
  if (r.type.empty()) {
    r.type = outer_type;
  }
  // "qwen3_5_text" is read by the qwen3_5 rule, "gemma3_text" by gemma3's
  const bool has_rule = std::find_if(std::begin(k_family_rules), std::end(k_family_rules),
                                     [&](const char* t) { return r.type == t; }) != std::end(k_family_rules);
  out.rule = has_rule ? r.type : "general decoder";
  if (nested != nullptr) {
    out.rule += fmt::format(" (language model in \"{}\")", nested);
  }
  out.used.push_back("model_type = " + (r.type.empty() ? std::string("(none)") : r.type));
  // Fields that change what the weights or the cache hold in ways no rule here reads: sized
  // without them, the answer would be silently wrong (DeepSeek-V4's compressed attention,
  // hyper-connections, grouped output projection and FP4 experts), so they are refused by name.
  for (const auto& [key, what] : k_unmodelled_fields) {
    if (cfg.contains(key) && !cfg[key].is_null()) {
      refuse(origin, fmt::format("\"{}{}\" ({}) is not modelled: this checkpoint's weights and KV cache cannot be "
                                 "sized from its config.json yet",
                                 prefix, key, what));
    }
  }
  Fields f(cfg, origin, prefix, out);
  Architecture& a = r.a;
  a.source = origin;

  const bool chatglm = r.type == "chatglm";
  if (r.type == "nemotron_h" && !f.has("num_hidden_layers") && !f.has("hybrid_override_pattern") &&
      f.node().contains("layers_block_type") && f.node()["layers_block_type"].is_array()) {
    // transformers' newer NemotronHConfig stores the block list, and num_hidden_layers is its length
    a.layers = f.node()["layers_block_type"].size();
    if (a.layers == 0 || a.layers > 10'000) {
      refuse(origin, fmt::format("\"{}layers_block_type\" holds {} blocks; expected 1 to 10,000", prefix, a.layers));
    }
    out.used.push_back(fmt::format("layers = {}, the length of {}layers_block_type", a.layers, prefix));
  } else {
    a.layers = f.uint_any({"num_hidden_layers", "num_layers", "n_layer", "n_layers"}, 1, 10'000);
  }
  a.hidden_size = f.uint_any({"hidden_size", "d_model", "n_embd"}, 1, 1'000'000);
  a.attention_heads = f.uint_any({"num_attention_heads", "n_head", "num_heads"}, 1, 100'000);
  if (chatglm) {
    const bool mqa = f.boolean_or("multi_query_attention", false, "ChatGLM's default");
    a.kv_heads = mqa ? f.uint("multi_query_group_num", 1, a.attention_heads) : a.attention_heads;
  } else if (const char* k = f.first_of({"num_key_value_heads", "num_kv_heads", "n_head_kv"})) {
    a.kv_heads = f.uint(k, 1, a.attention_heads);
  } else {
    a.kv_heads =
        f.uint_or("num_key_value_heads", a.attention_heads, "no GQA: num_attention_heads", 1, a.attention_heads);
  }
  if (const char* k = f.first_of({"head_dim", "attention_head_dim", "kv_channels"})) {
    a.head_dim = f.uint(k, 1, 65'536);
  } else {
    if (a.hidden_size < a.attention_heads) {
      refuse(origin, fmt::format("\"{}hidden_size\" {} is smaller than \"{}num_attention_heads\" {} and there is no "
                                 "\"{}head_dim\", which decides memory",
                                 prefix, a.hidden_size, prefix, a.attention_heads, prefix));
    }
    a.head_dim =
        f.uint_or("head_dim", a.hidden_size / a.attention_heads, "hidden_size / num_attention_heads", 1, 65'536);
  }
  a.vocab_size = f.uint_any({"vocab_size", "padded_vocab_size"}, 1, 100'000'000);
  if (const char* k = f.first_of({"intermediate_size", "ffn_hidden_size", "n_inner"})) {
    a.intermediate_size = f.uint(k, 0, 10'000'000);
  } else {
    f.uint_or("intermediate_size", 0, "no dense MLP", 0, 10'000'000);
  }
  // config classes whose tie_word_embeddings defaults to true
  const bool gemma = r.type.rfind("gemma", 0) == 0 || r.type == "smollm3";
  const bool root_tie = root.contains("tie_word_embeddings") && root["tie_word_embeddings"].is_boolean();
  if (!f.has("tie_word_embeddings") && root_tie) {
    a.tied_embeddings = root["tie_word_embeddings"].get<bool>();
    out.used.push_back(fmt::format("tie_word_embeddings = {}", a.tied_embeddings));
  } else {
    a.tied_embeddings = f.boolean_or("tie_word_embeddings", gemma,
                                     gemma ? "the config class ties them by default" : "transformers' default");
  }
  const bool qwen2 = r.type == "qwen2" || r.type == "qwen2_moe" || r.type == "qwen2_vl" || r.type == "qwen2_5_vl";
  if (chatglm) {
    a.attention_bias = f.boolean_or("add_qkv_bias", false, "ChatGLM's default");
  } else {
    a.attention_bias = f.boolean_or("attention_bias", qwen2 || r.type == "gpt_oss",
                                    qwen2 ? "Qwen2 has q/k/v biases" : "the model type's default");
  }
  const std::string act = f.str(f.has("mlp_hidden_act") ? "mlp_hidden_act" : "hidden_act");
  a.mlp_gated = act != "relu2" && r.type != "nemotron_h";
  if (!a.mlp_gated) {
    out.used.push_back("MLP without a gate (relu2: up and down projections only)");
  }
  a.attention_output_gate = r.type == "qwen3_next" || f.boolean_or("attn_output_gate", false, "");
  if (a.attention_heads % a.kv_heads != 0) {
    refuse(origin, fmt::format("\"{}num_attention_heads\" {} is not a multiple of the {} KV heads", prefix,
                               a.attention_heads, a.kv_heads));
  }
  if (chatglm) {
    r.context = f.uint_any({"seq_length", "max_position_embeddings"}, 1, 1'000'000'000);
  } else {
    r.context =
        f.uint_any({"max_position_embeddings", "max_sequence_length", "seq_length", "n_positions", "model_max_length"},
                   1, 1'000'000'000);
  }

  // Token mixers, layer by layer.
  if (r.type == "nemotron_h") {
    a.attention_pattern = nemotron_h_pattern(r, f);
  } else if (r.type == "kimi_linear") {
    if (!cfg.contains("linear_attn_config") || !cfg["linear_attn_config"].is_object()) {
      refuse(origin, "missing \"linear_attn_config\" (an object), which decides memory");
    }
    a.attention_pattern = kimi_linear_pattern(r, f, cfg["linear_attn_config"]);
  } else if (f.has("block_configs")) {
    a.attention_pattern = nas_pattern(r, f);
  } else {
    a.attention_pattern = attention_of(r, f);
  }
  // Gemma 4: full-attention layers have their own head_dim and KV heads, and V from K.
  if (f.has("global_head_dim") || f.has("num_global_key_value_heads")) {
    const std::uint64_t global_dim = f.uint_or("global_head_dim", 0, "", 0, 65'536);
    const std::uint64_t global_kv = f.uint_or("num_global_key_value_heads", 0, "", 0, a.attention_heads);
    const bool k_eq_v = f.boolean_or("attention_k_eq_v", false, "");
    for (AttentionLayer& l : a.attention_pattern) {
      if (l.kind == AttentionKind::full) {
        l.head_dim = global_dim;
        l.kv_heads = k_eq_v ? global_kv : 0;
        l.value_from_key = k_eq_v;
      }
    }
  }
  if (const char* k = f.first_of({"num_kv_shared_layers"}); k != nullptr && f.uint(k, 0, a.layers) > 0) {
    // Gemma-3n: the last num_kv_shared_layers layers read the cache of an earlier layer of their
    // type (modeling_gemma3n.py: is_kv_shared_layer = layer_idx >= first_kv_shared_layer_idx)
    const std::uint64_t shared = f.uint(k, 0, a.layers);
    std::vector<AttentionLayer> full;
    for (std::uint64_t i = 0; i < a.layers; ++i) {
      full.push_back(a.attention(i));
      full.back().shares_kv = i >= a.layers - shared;
    }
    a.attention_pattern = full;
  }
  if (f.boolean_or("use_cla", false, "")) {
    // Hunyuan's cross-layer attention: each group of cla_share_factor layers keeps one KV cache
    const std::uint64_t factor = f.uint("cla_share_factor", 1, a.layers);
    std::vector<AttentionLayer> full;
    for (std::uint64_t i = 0; i < a.layers; ++i) {
      full.push_back(a.attention(i));
      full.back().shares_kv = i % factor != 0;
    }
    a.attention_pattern = full;
  }
  // MLA replaces every softmax-attention layer when the config has a KV LoRA rank.
  if (f.has("kv_lora_rank")) {
    Mla m;
    m.q_lora_rank = f.uint_or("q_lora_rank", 0, "no query LoRA", 0, 1'000'000);
    m.kv_lora_rank = f.uint("kv_lora_rank", 1, 1'000'000);
    m.qk_nope_head_dim = f.uint("qk_nope_head_dim", 1, 65'536);
    m.qk_rope_head_dim = f.uint("qk_rope_head_dim", 0, 65'536);
    m.v_head_dim = f.uint("v_head_dim", 1, 65'536);
    if (f.has("index_head_dim") || f.has("index_n_heads")) {
      m.index_n_heads = f.uint("index_n_heads", 1, 65'536);
      m.index_head_dim = f.uint("index_head_dim", 1, 65'536);
    }
    a.mla = m;
    for (AttentionLayer& l : a.attention_pattern) {
      if (l.kind == AttentionKind::full || l.kind == AttentionKind::sliding) {
        l.kind = AttentionKind::mla;
        l.window = 0;
      }
    }
    out.used.push_back("MLA: the cache holds kv_lora_rank + qk_rope_head_dim per token");
  }

  // Fixed per-sequence state dtypes.
  if (a.mamba || a.linear) {
    const char* key = f.first_of({"mamba_ssm_cache_dtype", "mamba_ssm_dtype"});
    if (key != nullptr) {
      a.recurrent_state_bytes = dtype_bytes(f.str(key), prefix + key, origin);
      out.used.push_back(fmt::format("{}{} = {}", prefix, key, f.str(key)));
    } else if (r.type == "nemotron_h") {
      a.recurrent_state_bytes = 4;
      out.assumed.push_back("mamba_ssm_cache_dtype: not in the file; vLLM's Nemotron-H default float32");
    } else {
      out.assumed.push_back("recurrent state in the model dtype (16-bit), vLLM's default without "
                            "mamba_ssm_cache_dtype");
    }
    if (a.linear && a.linear->kind == LinearKind::kda) {
      a.recurrent_state_bytes = 4; // vLLM kda_state_dtype: the recurrent state is always float32
      out.used.push_back("KDA recurrent state in float32 (vLLM's kda_state_dtype)");
    }
  }

  // Mixture of experts, by the field names each family uses.
  const char* experts_key = f.first_of({"n_routed_experts", "num_local_experts", "num_experts", "moe_num_experts"});
  if (experts_key != nullptr && f.node()[experts_key].is_number_unsigned() &&
      f.node()[experts_key].get<std::uint64_t>() > 0) {
    Moe m;
    m.experts = f.uint(experts_key, 1, 1'000'000);
    m.experts_per_token = f.uint_any(
        {"num_experts_per_tok", "experts_per_token", "num_experts_per_token", "top_k_experts", "moe_topk", "moe_k"}, 1,
        m.experts);
    m.expert_intermediate_size = f.uint_any({"moe_intermediate_size", "intermediate_size"}, 1, 10'000'000);
    const char* shared_width = f.first_of(
        {"moe_shared_expert_intermediate_size", "shared_expert_intermediate_size", "shared_intermediate_size"});
    const std::uint64_t width = shared_width != nullptr ? f.uint(shared_width, 0, 10'000'000) : 0;
    if (shared_width != nullptr && width == 0) {
      m.shared_experts = 0; // "shared_expert_intermediate_size": 0 means none
    } else if (const char* n = f.first_of(
                   {"n_shared_experts", "num_shared_experts", "moe_num_shared_experts", "num_shared_expert"})) {
      m.shared_experts = f.uint(n, 0, 1'000);
      if (std::string(n) == "num_shared_expert" && f.boolean_or("use_mixed_mlp_moe", false, "")) {
        // Hunyuan: the shared MLP has the dense intermediate_size
        m.shared_expert_intermediate_size = a.intermediate_size;
      }
    } else {
      m.shared_experts = shared_width != nullptr ? 1 : 0;
    }
    if (m.shared_expert_intermediate_size == 0) {
      m.shared_expert_intermediate_size = width > 0 ? width : m.expert_intermediate_size;
    }
    // DeepSeek / GLM / Kimi: n_shared_experts of the expert width; Nemotron-H gives their total
    if (r.type == "nemotron_h" && m.shared_experts > 0) {
      m.shared_expert_intermediate_size = width / m.shared_experts;
    }
    // ERNIE 4.5: layer i runs experts iff (i + 1) % moe_layer_interval == 0 and
    // moe_layer_start_index <= i <= moe_layer_end_index (transformers' Ernie4_5_MoeDecoderLayer)
    m.first_dense_layers = f.has("first_k_dense_replace")   ? f.uint("first_k_dense_replace", 0, a.layers)
                           : f.has("moe_layer_start_index") ? f.uint("moe_layer_start_index", 0, a.layers)
                                                            : 0;
    m.layer_step = f.has("decoder_sparse_step")  ? f.uint("decoder_sparse_step", 1, a.layers)
                   : f.has("moe_layer_freq")     ? f.uint("moe_layer_freq", 1, a.layers)
                   : f.has("moe_layer_interval") ? f.uint("moe_layer_interval", 1, a.layers)
                                                 : 1;
    m.dense_intermediate_size = a.intermediate_size;
    m.expert_bias = r.type == "gpt_oss";
    if (f.has("moe_latent_size")) {
      // LatentMoE (vLLM nemotron_h.py): experts on the latent width behind two projections
      m.latent_size = f.uint("moe_latent_size", 1, a.hidden_size);
      out.used.push_back("LatentMoE: routed experts on the moe_latent_size width, behind hidden -> latent and "
                         "latent -> hidden projections");
    }
    // Gemma 4's MoE layers keep the dense MLP beside the experts
    m.dense_residual = f.boolean_or("enable_moe_block", false, "");
    a.moe = m;
    std::vector<std::uint64_t> dense_layers = f.indices("mlp_only_layers", a.layers);
    // moe_layer_end_index: null or -1 runs experts to the last layer; a smaller index leaves the
    // layers after it dense
    if (f.has("moe_layer_end_index") && !(f.node()["moe_layer_end_index"].is_number_integer() &&
                                          f.node()["moe_layer_end_index"].get<std::int64_t>() == -1)) {
      for (std::uint64_t i = f.uint("moe_layer_end_index", 0, a.layers - 1) + 1; i < a.layers; ++i) {
        dense_layers.push_back(i);
      }
    }
    for (const std::uint64_t dense : dense_layers) {
      if (a.attention_pattern.size() < a.layers) { // unroll the pattern so one layer can differ
        std::vector<AttentionLayer> full;
        for (std::uint64_t i = 0; i < a.layers; ++i) {
          full.push_back(a.attention(i));
        }
        a.attention_pattern = full;
      }
      a.attention_pattern[dense].ffn = FfnKind::dense;
    }
  }

  if (const std::string problem = architecture_problem(a); !problem.empty()) {
    refuse(origin, problem);
  }
  compress_pattern(a);

  // Weights loaded beside the language model.
  if (root.contains("vision_config") && root["vision_config"].is_object()) {
    const json& v = root["vision_config"];
    if (v.contains("depth") && v.contains("out_hidden_size")) {
      ExtraWeights e;
      e.what = "vision encoder (Qwen-VL ViT, counted from vision_config)";
      e.params = qwen_vision_params(v, origin, out);
      e.text_only_drops = true;
      e.source = origin;
      a.extras.push_back(e);
    } else if (v.contains("num_hidden_layers") && v.contains("hidden_size") && v.contains("intermediate_size") &&
               v.contains("patch_size")) {
      const bool gated = string_field(v, "model_type", origin).rfind("gemma4", 0) == 0;
      ExtraWeights e;
      e.what = "vision encoder (ViT, counted from vision_config)";
      e.params = vit_params(v, gated, a.hidden_size, origin, out);
      e.text_only_drops = true;
      e.source = origin;
      a.extras.push_back(e);
      out.assumed.push_back("vision encoder counted as a plain ViT from vision_config (within a few % of its "
                            "tensors)");
    } else {
      out.assumed.push_back("vision_config: its encoder is not counted (no rule for this vision tower)");
    }
  }
  if (root.contains("audio_config") && root["audio_config"].is_object()) {
    out.assumed.push_back("audio_config: its encoder is not counted (no rule for this audio tower)");
  }
  if (const char* mtp_key = f.first_of({"num_nextn_predict_layers", "mtp_num_hidden_layers"})) {
    a.mtp_layers = f.uint(mtp_key, 0, 64);
    // DeepSeek-V3's checkpoint stores layers.61.embed_tokens and shared_head.head as well
    // (GLM-4.7-Flash's layer 47 too: its tensors sum to the count with them); GLM-5's do not
    a.mtp_own_embedding =
        a.mtp_layers > 0 && (r.type.rfind("deepseek", 0) == 0 || r.type == "kimi_k2" || r.type == "glm4_moe_lite");
  } else if (r.type == "qwen3_next") {
    a.mtp_layers = 1;
    out.assumed.push_back("Qwen3-Next checkpoints store one MTP layer (mtp.* tensors) that config.json does not "
                          "state: counted");
  }

  Model& model = out.model;
  if (root.contains("_name_or_path") && root["_name_or_path"].is_string() &&
      !root["_name_or_path"].get<std::string>().empty()) {
    model.id = root["_name_or_path"].get<std::string>();
    out.used.push_back("_name_or_path = " + model.id);
  } else {
    // the folder that holds config.json
    std::string path = origin;
    const auto slash = path.find_last_of('/');
    std::string folder = slash == std::string::npos ? "" : path.substr(0, slash);
    const auto up = folder.find_last_of('/');
    folder = up == std::string::npos ? folder : folder.substr(up + 1);
    model.id = folder.empty() || folder == "." ? std::string("config") : folder;
    out.assumed.push_back(fmt::format("name: no _name_or_path; the folder's name, {}", model.id));
  }
  model.name = model.id;
  model.publisher = "config.json";
  model.license = "unknown";
  const json* q = nullptr;
  for (const json* node : {&root, &cfg}) {
    if (q == nullptr && node->contains("quantization_config") && (*node)["quantization_config"].is_object()) {
      q = &(*node)["quantization_config"];
    }
  }
  json modelopt;
  if (q == nullptr && !quant_text.empty()) {
    // hf_quant_config.json: {"producer": {"name": "modelopt"}, "quantization": {"quant_algo": ...}}
    const std::string quant_origin = "hf_quant_config.json";
    const json file = util::parse_json_object(quant_origin, quant_text, 1U << 20, k_max_depth, "a JSON object");
    if (file.contains("quantization") && file["quantization"].is_object()) {
      modelopt = file["quantization"];
      modelopt["quant_method"] = "modelopt";
      q = &modelopt;
      out.used.push_back("hf_quant_config.json");
    }
  }
  if (q != nullptr) {
    const auto stored = quantization_of(*q, origin, out);
    model.native_precision = stored->precision_id;
    out.stored_precision = stored->exact;
  } else {
    model.native_precision = dtype_precision(cfg, root, out, origin);
  }
  model.max_context_tokens = r.context;
  model.checkpoint_context_tokens = r.context;
  model.category = a.moe ? Category::moe : Category::dense;
  model.architecture = a;
  model.sources = {{"architecture", origin}, {"context", origin}};
  model.origin = origin;
  return out;
}

} // namespace modelpick::catalog
