#pragma once
// The catalog: models, GPUs, precisions and licenses, parsed and validated from JSON text.
// Parsing never touches the file system: the CLI hands in (origin, text) pairs.
#include <algorithm>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace modelpick::catalog {

enum class Category { dense, moe, small, long_context, api_only };
std::string_view to_string(Category c);
std::optional<Category> category_from_string(std::string_view text);
std::string category_names(); // "dense, moe, small, long-context, api-only"

// full / sliding / chunked / mla keep a per-token KV cache; linear (lightning) attention and
// mamba mixers keep a fixed-size state per sequence; cross-attention layers attend to image
// tokens, not to the text; none has no token mixing at all.
enum class AttentionKind { full, sliding, chunked, mla, linear, mamba, cross, none };
std::string_view to_string(AttentionKind k);

// What a layer's feed-forward part is: `model` follows the model-wide rule (MoE layers by
// Moe::is_moe_layer, else the dense MLP); the others say it for this layer (Nemotron-H's blocks
// hold either a mixer or an MLP, NAS block_configs drop or resize the FFN).
enum class FfnKind { model, dense, moe, none };
std::string_view to_string(FfnKind k);

// One layer: its token mixer and what it holds beyond the model-wide defaults. `window` is the
// sliding window or chunk size in tokens (0 for full / MLA / none). The per-layer fields are 0
// (or false) where the layer follows the model's value.
struct AttentionLayer {
  AttentionKind kind = AttentionKind::full;
  std::uint64_t window = 0;
  std::uint64_t attention_heads = 0; // query heads (NAS block_configs); 0: the model's
  std::uint64_t kv_heads = 0;        // per-layer GQA (NAS, Gemma 4 global layers); 0: the model's
  std::uint64_t head_dim = 0;        // Gemma 4's global layers; 0: the model's
  bool shares_kv = false;            // reads an earlier layer's cache (Gemma-3n): caches nothing itself
  bool linear_replacement = false;   // kind none: a hidden x hidden linear in place of attention (NAS)
  bool value_from_key = false;       // no v_proj: V is the projected K (Gemma 4's attention_k_eq_v)
  FfnKind ffn = FfnKind::model;
  std::uint64_t ffn_intermediate_size = 0; // dense FFN width of this layer; 0: the model's
  bool operator==(const AttentionLayer&) const = default;
};

// Multi-head latent attention (DeepSeek-V2/V3, Kimi K2). q_lora_rank 0 = no query LoRA.
struct Mla {
  std::uint64_t q_lora_rank = 0;
  std::uint64_t kv_lora_rank = 0;
  std::uint64_t qk_nope_head_dim = 0;
  std::uint64_t qk_rope_head_dim = 0;
  std::uint64_t v_head_dim = 0;
  // DeepSeek-V3.2's sparse-attention indexer (0 = none): index_n_heads query heads of
  // index_head_dim over one shared key per token, cached as FP8 with one fp32 scale.
  std::uint64_t index_n_heads = 0;
  std::uint64_t index_head_dim = 0;
  bool operator==(const Mla&) const = default;
};

// A Mamba mixer layer. Mamba-1 (Jamba, Falcon-Mamba): in_proj, conv1d, x_proj, dt_proj, A, D,
// out_proj, with `dt_rank`. Mamba-2 (Nemotron-H, Granite 4.0-H, Falcon-H1) when `heads` > 0:
// in_proj to [z, x, B, C, dt], conv1d over x, B and C, per-head A, D and dt bias, a gated norm.
struct Mamba {
  std::uint64_t d_state = 0;
  std::uint64_t d_conv = 0;
  std::uint64_t d_inner = 0;
  std::uint64_t dt_rank = 0;  // Mamba-1 only
  std::uint64_t heads = 0;    // Mamba-2: SSM heads (d_inner = heads x head_dim); 0 = Mamba-1
  std::uint64_t head_dim = 0; // Mamba-2
  std::uint64_t groups = 0;   // Mamba-2: B/C groups (n_groups)
  bool operator==(const Mamba&) const = default;
};

// Linear attention with a fixed-size state per sequence. Lightning (MiniMax-01) keeps one
// head_dim x head_dim matrix per attention head and has no convolution. Gated DeltaNet (Qwen3-Next,
// Qwen3.5) and Kimi Delta Attention (Kimi-Linear) keep a key_head_dim x value_head_dim matrix per
// value head plus a short causal convolution over q, k and v.
enum class LinearKind { lightning, gated_deltanet, kda };
std::string_view to_string(LinearKind k);
struct LinearAttention {
  LinearKind kind = LinearKind::lightning;
  std::uint64_t key_heads = 0;
  std::uint64_t value_heads = 0;
  std::uint64_t key_head_dim = 0;
  std::uint64_t value_head_dim = 0;
  std::uint64_t conv_kernel = 0; // 0: no convolution (lightning)
  bool operator==(const LinearAttention&) const = default;
};

// Weights a checkpoint loads beside the language model: a vision or audio tower, multi-token
// prediction (MTP) layers. `text_only` parts are left out under --text-only.
struct ExtraWeights {
  std::string what;
  std::uint64_t params = 0;
  bool text_only_drops = false;
  std::string source;
  bool operator==(const ExtraWeights&) const = default;
};

struct Moe {
  std::uint64_t experts = 0;
  std::uint64_t experts_per_token = 0;
  std::uint64_t shared_experts = 0;
  std::uint64_t expert_intermediate_size = 0;
  std::uint64_t shared_expert_intermediate_size = 0;
  std::uint64_t first_dense_layers = 0;      // layers [0, first_dense_layers) use the dense FFN
  std::uint64_t layer_step = 1;              // layer i >= first_dense_layers is MoE iff i % step == step - 1
  std::uint64_t dense_intermediate_size = 0; // FFN width of the dense layers
  bool dense_residual = false;               // MoE layers also run a dense MLP (Snowflake Arctic)
  bool expert_bias = false;                  // expert projections carry biases (gpt-oss)
  // LatentMoE (Nemotron 3 Super / Ultra): routed experts run on this width, behind a hidden ->
  // latent and a latent -> hidden projection per MoE layer; 0: they run on hidden_size.
  std::uint64_t latent_size = 0;
  [[nodiscard]] std::uint64_t expert_width(std::uint64_t hidden_size) const {
    return latent_size > 0 ? latent_size : hidden_size;
  }
  [[nodiscard]] bool is_moe_layer(std::uint64_t layer) const {
    return layer >= first_dense_layers && layer % layer_step == layer_step - 1;
  }
  bool operator==(const Moe&) const = default;
};

struct Architecture {
  std::uint64_t layers = 0;
  std::uint64_t hidden_size = 0;
  std::uint64_t intermediate_size = 0;
  std::uint64_t attention_heads = 0;
  std::uint64_t kv_heads = 0;
  std::uint64_t head_dim = 0;
  std::uint64_t vocab_size = 0;
  bool tied_embeddings = false;
  bool attention_bias = false;
  bool mlp_gated = true;              // gate/up/down (SwiGLU, GeGLU); false: up/down only (Falcon's GELU MLP)
  bool attention_output_gate = false; // q_proj also yields a sigmoid gate per head (Qwen3-Next, Qwen3.5)
  std::vector<AttentionLayer> attention_pattern; // repeats from layer 0
  std::optional<Mla> mla;
  std::optional<Mamba> mamba;
  std::optional<LinearAttention> linear; // absent: lightning over attention_heads x head_dim
  std::optional<Moe> moe;
  // Bytes per element of the fixed per-sequence state (Mamba conv and SSM state, linear
  // attention's conv and recurrent state): the model dtype unless the config asks for another
  // (Nemotron-H's mamba_ssm_cache_dtype float32).
  std::uint64_t conv_state_bytes = 2;
  std::uint64_t recurrent_state_bytes = 2;
  std::vector<ExtraWeights> extras; // vision / audio towers
  // Multi-token-prediction layers the checkpoint stores (DeepSeek-V3, GLM-4.5+, Qwen3.5): each a
  // block like the last layer plus a 2 hidden -> hidden projection; DeepSeek-style ones also
  // store their own embedding and head.
  std::uint64_t mtp_layers = 0;
  bool mtp_own_embedding = false;
  std::string source;

  [[nodiscard]] std::uint64_t extra_params() const {
    std::uint64_t n = 0;
    for (const ExtraWeights& e : extras) {
      n += e.params;
    }
    return n;
  }
  // A vision or audio tower among the extras (what --text-only leaves out).
  [[nodiscard]] bool has_towers() const {
    for (const ExtraWeights& e : extras) {
      if (e.text_only_drops) {
        return true;
      }
    }
    return false;
  }

  [[nodiscard]] const AttentionLayer& attention(std::uint64_t layer) const {
    return attention_pattern[layer % attention_pattern.size()];
  }
  // Whether layer `layer` runs routed experts: its own FFN kind where it names one, else the
  // model-wide MoE rule.
  [[nodiscard]] bool is_moe_layer(std::uint64_t layer) const {
    const AttentionLayer& l = attention(layer);
    if (l.ffn != FfnKind::model) {
      return l.ffn == FfnKind::moe;
    }
    return moe && moe->is_moe_layer(layer);
  }
  // The dense FFN width of a layer that is not an MoE layer (0: it has no FFN).
  [[nodiscard]] std::uint64_t ffn_width_of(std::uint64_t layer) const {
    const AttentionLayer& l = attention(layer);
    if (l.ffn == FfnKind::none) {
      return 0;
    }
    if (l.ffn_intermediate_size > 0) {
      return l.ffn_intermediate_size;
    }
    return moe && moe->dense_intermediate_size > 0 ? moe->dense_intermediate_size : intermediate_size;
  }
  // A layer's own value where it has one, else the model's.
  [[nodiscard]] std::uint64_t heads_of(const AttentionLayer& l) const {
    return l.attention_heads > 0 ? l.attention_heads : attention_heads;
  }
  [[nodiscard]] std::uint64_t kv_heads_of(const AttentionLayer& l) const {
    return l.kv_heads > 0 ? l.kv_heads : kv_heads;
  }
  [[nodiscard]] std::uint64_t head_dim_of(const AttentionLayer& l) const {
    return l.head_dim > 0 ? l.head_dim : head_dim;
  }
  bool operator==(const Architecture&) const = default;
};

// What makes an architecture impossible (empty when none): zero sizes, KV heads that do not
// divide the query heads, windows of 0, experts used outside 1..experts, a linear-attention or
// Mamba block without sizes. The catalog, config.json and GGUF readers all apply it.
std::string architecture_problem(const Architecture& a);

// Shortens the attention pattern to its shortest period that gives every layer the same entry
// (64 layer_types of "3 linear, 1 full" become 4 entries).
void compress_pattern(Architecture& a);

// Exact bytes of a weights file's tensors (a GGUF header), used instead of the architecture's
// parameter count x precision.
struct StoredWeights {
  std::string format;                                               // "GGUF Q4_K_M"
  std::vector<std::uint64_t> layer_bytes;                           // blk.N.*
  std::uint64_t first_stage_bytes = 0;                              // token embedding and anything outside the blocks
  std::uint64_t last_stage_bytes = 0;                               // output norm and output (lm_head)
  std::uint64_t tied_head_bytes = 0;                                // the embedding's copy a last stage needs when tied
  std::uint64_t active_bytes = 0;                                   // what one token reads (routed experts pro rata)
  std::uint64_t params = 0;                                         // elements over all tensors
  std::vector<std::pair<std::string, std::uint64_t>> bytes_by_type; // "Q4_K" -> bytes
  bool operator==(const StoredWeights&) const = default;
};

// One inference provider's list price for an open-weight model (data/prices.json,
// api_prices[].offers): the same weights served by several hosts at their own rates.
struct HostedOffer {
  std::string provider;
  double input = 0;
  double output = 0;
  std::optional<double> cached_input;
  std::string variant; // the provider's model name and precision, where it says
  std::string date;    // when the price was recorded
  std::string source;
  bool operator==(const HostedOffer&) const = default;
};

// An API's list price in USD per million tokens (data/prices.json, "api_prices").
struct TokenPrice {
  std::string provider;
  double input = 0;
  double output = 0;
  std::optional<double> cached_input;
  // Prompts longer than this many tokens pay the long-context rates (0: one tier only).
  std::uint64_t long_context_over = 0;
  double long_context_input = 0;
  double long_context_output = 0;
  std::optional<double> long_context_cached_input;
  std::string date;         // when this price took effect (price_effective_date; YYYY-MM-DD or YYYY-MM)
  std::string checked_date; // when the price page was last read (price_checked_date; "" = date)
  std::string deprecated;   // the provider's deprecation date ("" = none announced)
  std::string retires;      // the provider's retirement (shutdown) date ("" = none announced)
  std::string source;
  std::vector<HostedOffer> offers; // open-weight models: other providers' prices of the same model
  bool operator==(const TokenPrice&) const = default;

  // Past its retirement on `today` (YYYY-MM-DD): no longer bought, never offered as an alternative.
  [[nodiscard]] bool retired_on(std::string_view today) const { return !retires.empty() && retires <= today; }
};

// One provider's on-demand rate for a GPU.
struct GpuOffer {
  std::string provider;
  double usd_per_gpu_hour = 0;
  std::string terms; // "on-demand, 8x H100 SXM instance"
  std::string date;
  std::string source;
  bool operator==(const GpuOffer&) const = default;
};

// A GPU's rental price (data/prices.json, "gpu_prices"): the reference rate `cost` uses
// unless --gpu-hour-usd names one, and the offers it was chosen from.
struct GpuPrice {
  double usd_per_gpu_hour = 0;
  std::string basis; // how the reference was chosen from the offers
  std::vector<GpuOffer> offers;
  std::string date;
  std::string source;
  bool operator==(const GpuPrice&) const = default;
};

// One published benchmark result (data/scores.json). Only scores with the same benchmark,
// setting and measurer are comparable; a score without a setting is shown, never ranked.
struct Score {
  std::string id;          // "model:benchmark:n"
  std::string benchmark;   // lower case: mmlu-pro, gpqa-diamond, aime-2025, arena-elo, ...
  double value = 0;        // as printed (percent, or an Elo rating)
  std::string setting;     // shots, thinking on/off, harness; "" = not stated
  std::string measured_by; // "self-reported", "independent: <leaderboard>", "<Lab> (competitor's table)"
  std::string date;
  std::string source;
  std::string variant; // which checkpoint of the catalog id was measured, where it says
  [[nodiscard]] bool self_reported() const { return measured_by == "self-reported"; }
  [[nodiscard]] bool independent() const { return measured_by.rfind("independent", 0) == 0; }
  bool operator==(const Score&) const = default;
};

// A model's license over time (data: "license.history"): the text that governed it from each
// date; the checker takes the one in force when the model was released.
struct LicensePeriod {
  std::string license; // a license id
  std::string from;    // YYYY-MM-DD
  std::string source;
  bool operator==(const LicensePeriod&) const = default;
};

struct Model {
  std::string id;
  std::string name;
  std::string publisher;
  Category category = Category::dense;
  std::string license;
  std::string hf_repo;
  std::vector<std::string> aliases;
  std::string native_precision;
  std::uint64_t published_params_total = 0;
  std::uint64_t published_params_active = 0;
  bool published_params_approximate = false;   // the publisher gives only a rough figure ("25% active")
  bool published_params_name_only = false;     // only the size in the name ("Falcon3-1B" holds 1.67B)
  std::uint64_t max_context_tokens = 0;        // the advertised context (with rope scaling)
  std::uint64_t checkpoint_context_tokens = 0; // config.json's max_position_embeddings (0: not known)
  std::optional<Architecture> architecture;    // absent for API-only models
  std::optional<StoredWeights> stored;         // from a weights file: exact bytes
  std::string provider;                        // API-only models: who serves it
  std::optional<TokenPrice> api_price;         // a list price per token, when some API serves it
  std::map<std::string, std::string> sources;  // fact group -> source (params, context, license, ...)
  std::string origin;                          // "embedded" or the overlay file it came from
  std::string release_date;                    // the publisher's release (YYYY-MM-DD), "" when not known
  std::vector<std::string> inherited_licenses; // a derivative's base licenses, all checked (license.inherits)
  std::vector<LicensePeriod> license_history;  // earlier texts, by date (license.history)
  std::vector<Score> scores;                   // data/scores.json
  std::vector<std::string> modalities;         // inputs it takes: "text", "image", "audio", "video"

  [[nodiscard]] bool self_hostable() const { return architecture.has_value(); }
  // What a serving engine takes as max_model_len unless told: the checkpoint's
  // max_position_embeddings where known (vLLM's default), else the advertised context.
  [[nodiscard]] std::uint64_t engine_default_context() const {
    return checkpoint_context_tokens > 0 ? checkpoint_context_tokens : max_context_tokens;
  }
  // The longest context any reading allows (DeepSeek-V3: 131,072 advertised, 163,840 in config).
  [[nodiscard]] std::uint64_t longest_context() const {
    return std::max(max_context_tokens, checkpoint_context_tokens);
  }
  bool operator==(const Model&) const = default;
};

struct Gpu {
  std::string id;
  std::string name;
  std::string vendor;
  std::uint64_t memory_bytes = 0; // total as CUDA/PyTorch report it (what vLLM budgets from)
  std::uint64_t marketing_gb = 0; // the datasheet's "80GB"
  std::uint64_t nvidia_smi_mib = 0;
  std::uint64_t bandwidth_bytes_per_s = 0;
  double tflops_bf16 = 0;
  double tflops_fp8 = 0; // 0 when not supported
  double tflops_int8 = 0;
  bool fp8 = false;
  // Runs FP8 weights through weight-only kernels with 16-bit math (vLLM's FP8 Marlin, compute
  // capability 8.0 and up: Ampere)
  bool weight_only_fp8 = false;
  double tflops_fp4 = 0; // 0 where the silicon has no FP4 tensor cores
  bool fp4 = false;
  // Set when a compute rate is derived rather than printed by the vendor: how it was derived
  // (shown as an assumption wherever throughput is reported)
  std::string tflops_assumption;
  std::string architecture;       // "hopper", "blackwell", "ampere", "cdna3", ...
  std::string compute_capability; // NVIDIA "8.0", "9.0", "10.0"; AMD "gfx942"
  std::string device_name;        // what the runtime reports (torch.cuda.get_device_name)
  std::uint64_t gpus_per_node = 1;
  std::uint64_t nvlink_domain = 0; // GPUs one NVLink / Infinity Fabric domain joins (0: gpus_per_node)
  std::string interconnect;
  std::uint64_t link_bytes_per_s = 0; // GPU-to-GPU inside a node, one direction
  std::vector<std::string> engines;   // serving engines that run on it ("vllm", "sglang", "llama.cpp")
  // GPUs tensor parallelism can span: one NVLink domain (72 for GB200 / GB300 NVL72, whose trays
  // hold 4), else one node
  [[nodiscard]] std::uint64_t tp_domain() const { return std::max(gpus_per_node, nvlink_domain); }
  std::optional<GpuPrice> price;
  std::string no_rental; // why there is no rental price (bought, not rented); "" when one is expected
  std::map<std::string, std::string> sources;
  std::string origin;
  std::vector<std::string> aliases;
  bool operator==(const Gpu&) const = default;
};

// Storage of quantised linear weights: `weight_bits` per weight plus, for group-wise
// schemes, `group_overhead_bits` (scale + zero point) per `group_size` weights.
struct Precision {
  std::string id;
  std::string name;
  std::uint64_t weight_bits = 16;
  std::uint64_t group_size = 0; // 0: per-tensor / per-channel scales, counted as zero
  std::uint64_t group_overhead_bits = 0;
  bool needs_fp8_hardware = false;
  bool experts_only = false;        // quantises routed-expert weights only (gpt-oss's MXFP4 checkpoint)
  bool attention_16bit = false;     // leaves attention projections in 16-bit (an NVFP4 checkpoint's ignore list)
  std::vector<std::string> engines; // only these engines load it (GGUF types: llama.cpp); empty: any
  std::string notes;
  std::vector<std::string> aliases;
  std::map<std::string, std::string> sources;
  std::string origin;
  bool operator==(const Precision&) const = default;
};

// What a deploying company does with a model (license-check --use).
enum class Use { serve, hosted_api, fine_tune, redistribute, distill, train_other_models };
std::string_view to_string(Use u);
std::optional<Use> use_from_string(std::string_view text);
std::string use_names(); // "serve, hosted-api, ..."

// A short verbatim quote of a license, where it stands and where it was read.
struct Clause {
  std::string quote;
  std::string section;
  std::string source;
  bool operator==(const Clause&) const = default;
};

// One deciding clause: it applies when every condition it names holds.
struct LicenseRule {
  enum class Effect { obligation, needs_agreement, not_allowed };
  Effect effect = Effect::obligation;
  std::vector<Use> uses; // any of these (empty: any use)
  std::optional<std::uint64_t> mau_over;
  std::optional<std::uint64_t> monthly_revenue_usd_over;
  std::string region;   // e.g. "eu"; empty: anywhere
  std::string modality; // e.g. "vision"; empty: any (the deployment's input)
  // licensee and its affiliates, across all their products (Llama, DBRX, NVIDIA's "Legal Entity")
  std::optional<std::uint64_t> group_mau_over;
  std::vector<std::string> purposes;          // any of: commercial, internal, research, non-commercial
  std::vector<std::string> fields_of_use;     // any of the fields the deployment names (military, ...)
  std::string derivative;                     // "distributed": only for a derivative distributed or made available
  std::string model_modality;                 // the model itself takes this input ("image"): multimodal models
  std::string released_from, released_before; // the model's release date within [from, before)
  std::string with;                           // needs_agreement: who grants the separate license
  std::string obligation;                     // obligation: what the user must do
  Clause clause;
  bool operator==(const LicenseRule&) const = default;
};

struct License {
  std::string id;
  std::string name;
  std::string source;
  std::optional<Clause> grant; // absent: modelpick has no rules for it (verdict unknown)
  std::vector<LicenseRule> rules;
  std::string notes;
  std::string origin;
  bool operator==(const License&) const = default;
};

// One catalog document: its origin (for messages) and its JSON text.
struct Document {
  std::string origin;
  std::string text;
  bool embedded = false; // embedded documents must source every fact
};

class Catalog;
// The compiled form (catalog/compiled.hpp) writes and reads a validated catalog whole.
Catalog read_image(std::string_view image);

class Catalog {
public:
  // Parses the documents in order; later documents overlay earlier ones (an entry whose id
  // already exists is merged field by field, a new id is added). Validates the result.
  static Catalog load(const std::vector<Document>& documents);

  [[nodiscard]] const std::vector<Model>& models() const { return models_; }
  [[nodiscard]] const std::vector<Gpu>& gpus() const { return gpus_; }
  [[nodiscard]] const std::vector<Precision>& precisions() const { return precisions_; }
  [[nodiscard]] const std::vector<License>& licenses() const { return licenses_; }
  [[nodiscard]] const std::string& version() const { return version_; }

  // Lookups by id or alias (case-insensitive); throw Error(not_found) with suggestions.
  [[nodiscard]] const Model& model(std::string_view name) const;
  [[nodiscard]] const Gpu& gpu(std::string_view name) const;
  [[nodiscard]] const Precision& precision(std::string_view name) const;
  [[nodiscard]] const License* find_license(std::string_view id) const;

  bool operator==(const Catalog&) const = default;

private:
  friend Catalog read_image(std::string_view image);

  std::vector<Model> models_;
  std::vector<Gpu> gpus_;
  std::vector<Precision> precisions_;
  std::vector<License> licenses_;
  std::string version_;
};

} // namespace modelpick::catalog
