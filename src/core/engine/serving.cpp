#include "modelpick/engine/serving.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <limits>
#include <utility>
#include <vector>

#include "modelpick/engine/constants.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/engine/parallelism.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/engine/throughput.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

// One row of ggml's type sizes (see k_cache_types).
struct CacheTypeSize {
  std::string_view name;
  std::uint64_t block_bytes;
  std::uint64_t block_values;
};

using catalog::AttentionKind;
using catalog::FfnKind;
using util::checked_add;
using util::checked_mul;
using util::group_digits;

namespace {

// One table per name set: parsing, printing and the accepted list in an error agree.
struct EngineName {
  ServingEngine engine;
  std::string_view id;      // the --engine value
  std::string_view display; // as the project writes it
};
constexpr EngineName k_engine_names[] = {
    {ServingEngine::vllm, "vllm", "vLLM"},
    {ServingEngine::sglang, "sglang", "SGLang"},
    {ServingEngine::llama_cpp, "llama.cpp", "llama.cpp"},
};

// ggml's type traits: bytes per block and values per block (ggml/src/ggml.c, type_traits)
constexpr CacheTypeSize k_cache_types[] = {
    {"f16", 2, 1},    {"bf16", 2, 1},   {"f32", 4, 1},    {"q8_0", 34, 32},   {"q5_1", 24, 32},
    {"q5_0", 22, 32}, {"q4_1", 20, 32}, {"q4_0", 18, 32}, {"iq4_nl", 18, 32},
};

const EngineName& entry(ServingEngine engine) {
  for (const EngineName& e : k_engine_names) {
    if (e.engine == engine) {
      return e;
    }
  }
  return k_engine_names[0];
}

// "a, b or c"
template <class Entries, class Name> std::string or_list(const Entries& entries, Name name) {
  std::string out;
  const std::size_t n = std::size(entries);
  for (std::size_t i = 0; i < n; ++i) {
    out += fmt::format("{}{}", i == 0 ? "" : i + 1 == n ? " or " : ", ", name(entries[i]));
  }
  return out;
}

} // namespace

std::string_view to_string(ServingEngine engine) {
  return entry(engine).id;
}

std::string_view display_name(ServingEngine engine) {
  return entry(engine).display;
}

std::optional<ServingEngine> serving_engine_from(std::string_view name) {
  if (name == "llamacpp" || name == "llama-cpp") {
    return ServingEngine::llama_cpp;
  }
  for (const EngineName& e : k_engine_names) {
    if (e.id == name) {
      return e.engine;
    }
  }
  return std::nullopt;
}

std::string serving_engine_names() {
  return or_list(k_engine_names, [](const EngineName& e) { return e.id; });
}

std::optional<CacheType> cache_type_from(std::string_view name) {
  for (const CacheTypeSize& t : k_cache_types) {
    if (t.name == name) {
      return CacheType{std::string(t.name), t.block_bytes, t.block_values};
    }
  }
  return std::nullopt;
}

std::string_view to_string(VllmSampler sampler) {
  return sampler == VllmSampler::fused ? "fused" : "sort";
}

std::optional<VllmSampler> vllm_sampler_from(std::string_view name) {
  if (name == "fused") {
    return VllmSampler::fused;
  }
  if (name == "sort") {
    return VllmSampler::sort;
  }
  return std::nullopt;
}

std::string cache_type_names() {
  return or_list(k_cache_types, [](const CacheTypeSize& t) { return t.name; });
}

namespace {

std::uint64_t gib_floor(long double bytes) {
  return bytes <= 0 ? 0 : static_cast<std::uint64_t>(std::floor(bytes));
}

// What a budget leaves for the KV cache once its terms are paid; negative when it falls short.
std::int64_t kv_left(long double left) {
  return static_cast<std::int64_t>(std::max<long double>(left, -9.0e18L));
}

// Whole pages of `page_bytes` in what is left (none when short, or when nothing is cached).
std::uint64_t whole_pages(std::int64_t kv_cache_bytes, std::uint64_t page_bytes) {
  return kv_cache_bytes <= 0 || page_bytes == 0 ? 0 : static_cast<std::uint64_t>(kv_cache_bytes) / page_bytes;
}

// Mamba and linear-attention layers: a fixed-size state per sequence instead of a KV cache.
bool recurrent(const catalog::AttentionLayer& l) {
  return l.kind == AttentionKind::mamba || l.kind == AttentionKind::linear;
}

// The first layer whose cache the engine does not model, or nullptr: SGLang keeps recurrent
// and linear-attention state in a pool of its own (vLLM's hybrid allocator and llama.cpp's
// recurrent cells are sized, see vllm_groups and predict_llama_cpp); cross-attention caches
// image tokens sized by the vision encoder.
const catalog::AttentionLayer* unmodelled_layer(const catalog::Architecture& a, ServingEngine engine) {
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const AttentionKind k = a.attention(i).kind;
    if ((recurrent(a.attention(i)) && engine == ServingEngine::sglang) || k == AttentionKind::cross) {
      return &a.attention(i);
    }
  }
  return nullptr;
}

void require_modelled(const catalog::Model& model, ServingEngine engine) {
  if (const catalog::AttentionLayer* l = unmodelled_layer(*model.architecture, engine)) {
    const AttentionKind k = l->kind;
    throw Error(ErrorKind::usage,
                fmt::format("--engine {}: not modelled for {}'s {} layers ({}); use --engine none for modelpick's "
                            "own estimate",
                            to_string(engine), model.id, catalog::to_string(k),
                            k == AttentionKind::cross ? "their cache of image tokens is sized by the vision encoder"
                                                      : "their recurrent state lives in an engine-specific pool"));
  }
}

// Sliding-window and chunked layers: their cache holds a window of tokens, not the request.
bool windowed(const catalog::AttentionLayer& l) {
  return l.kind == AttentionKind::sliding || l.kind == AttentionKind::chunked;
}

// Bytes a rank holds beyond an even share of layers [first, last) under TP: the K and V
// projections of attention layers when TP exceeds the KV heads and vLLM replicates a head per
// rank (QKVParallelLinear), and LatentMoE's two projections, which vLLM keeps whole on every
// rank (ReplicatedLinear in nemotron_h.py).
std::uint64_t replicated_weight_bytes(const catalog::Architecture& a, const catalog::Precision& precision,
                                      std::uint64_t first, std::uint64_t last, std::uint64_t tp) {
  if (tp <= 1) {
    return 0;
  }
  const bool kv_replicated = !a.mla && tp > a.kv_heads && a.kv_heads > 0;
  const bool latent = a.moe && a.moe->latent_size > 0;
  if (!kv_replicated && !latent) {
    return 0;
  }
  std::uint64_t kv_layers = 0;
  std::uint64_t latent_layers = 0;
  for (std::uint64_t i = first; i < last; ++i) {
    const AttentionKind kind = a.attention(i).kind;
    kv_layers += kind == AttentionKind::full || windowed(a.attention(i)) || kind == AttentionKind::cross ? 1 : 0;
    latent_layers += latent && a.is_moe_layer(i) ? 1 : 0;
  }
  const auto held = [&](std::uint64_t params) {
    return precision.experts_only ? checked_mul(params, k_bytes_16bit, "weight bytes")
                                  : quantized_bytes(params, precision);
  };
  std::uint64_t out = 0;
  if (kv_replicated) {
    // each rank holds one head of K and V where an even share would be kv_heads / tp of one
    const std::uint64_t kv = held(checked_mul(2 * a.head_dim * a.hidden_size, kv_layers, "weight bytes"));
    out = kv - kv * a.kv_heads / tp;
  }
  if (latent_layers > 0) {
    const std::uint64_t projections =
        held(checked_mul(2 * a.hidden_size * a.moe->latent_size, latent_layers, "weight bytes"));
    out = checked_add(out, projections - projections / tp, "weight bytes");
  }
  return out;
}

// The forward pass's activation bytes per batched token on one rank (constants.hpp).
std::uint64_t forward_bytes_per_token(const catalog::Architecture& a, std::uint64_t tp) {
  // The MoE term is the same for every MoE layer and a dense layer's grows with its width, so
  // the widest layer is found from which kinds occur and the widest dense FFN (one pass, the
  // pattern walked without a division per layer).
  bool any_moe = false;
  std::uint64_t widest_dense = 0;
  const std::size_t pattern = a.attention_pattern.size();
  const std::uint64_t step = a.moe ? a.moe->layer_step : 1;
  std::size_t j = 0;   // i % pattern
  std::uint64_t k = 0; // i % step (Moe::is_moe_layer)
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const catalog::AttentionLayer& l = a.attention_pattern[j];
    const bool moe_layer =
        l.ffn != FfnKind::model ? l.ffn == FfnKind::moe : a.moe && i >= a.moe->first_dense_layers && k + 1 == step;
    j = j + 1 == pattern ? 0 : j + 1;
    k = k + 1 == step ? 0 : k + 1;
    if (moe_layer) {
      any_moe = true;
    } else if (l.ffn != FfnKind::none) {
      widest_dense =
          std::max(widest_dense, l.ffn_intermediate_size > 0                   ? l.ffn_intermediate_size
                                 : a.moe && a.moe->dense_intermediate_size > 0 ? a.moe->dense_intermediate_size
                                                                               : a.intermediate_size);
    }
  }
  std::uint64_t widest = k_vllm_forward_intermediate_copies * widest_dense / tp;
  if (any_moe) {
    // fused MoE: per routed expert a gate+up, an activation and an output of the experts' width
    const std::uint64_t n = a.moe->expert_intermediate_size / tp;
    widest = std::max(
        widest,
        a.moe->experts_per_token * (k_vllm_forward_intermediate_copies * n + a.moe->expert_width(a.hidden_size)) +
            k_vllm_forward_intermediate_copies * a.moe->shared_experts * a.moe->shared_expert_intermediate_size / tp);
  }
  return k_bytes_16bit * (k_vllm_forward_hidden_copies * a.hidden_size + widest);
}

// The window key of recurrent layers in vLLM's KV cache groups (MambaSpec): one block of state
// per request, whatever its length.
constexpr std::uint64_t k_state_group = std::numeric_limits<std::uint64_t>::max();

// vLLM's KV cache groups (vllm/v1/core/kv_cache_utils.py, uniform page size): layers of one
// kind (full, one sliding window, or recurrent state) are cut into groups of `group_size`
// layers; a block is one page of every layer of a group, and a request needs blocks from every
// group (one per state group).
struct KvGroups {
  std::uint64_t group_size = 0;       // layers per group = pages per block
  std::uint64_t page_bytes = 0;       // one layer's block of VllmPage::block_size tokens
  std::vector<std::uint64_t> windows; // per group: 0 = full attention, k_state_group, else the window
};

// vLLM's block size and page for the whole model (its config sets them before any rank sizes
// its cache): with recurrent layers, the attention block grows in multiples of the kernel
// alignment until its page holds one sequence's state, and the state is padded to that page
// (models/config.py, HybridAttentionMambaModelConfig); with no attention layer at all the page
// is the state and a block spans max_model_len (MambaModelConfig).
struct VllmPage {
  std::uint64_t block_size = 0;
  std::uint64_t page_bytes = 0; // 0: the page is each stage's attention page (no recurrent layer)
  std::uint64_t state_bytes = 0;
};

VllmPage vllm_page(const catalog::Architecture& a, std::uint64_t tp, std::uint64_t kv_bytes, std::uint64_t block_size,
                   std::uint64_t max_model_len) {
  VllmPage out;
  out.block_size = block_size;
  std::uint64_t attention = 0; // bytes per token of one attention layer on one rank
  for (std::uint64_t j = 0; j < a.attention_pattern.size() && j < a.layers; ++j) {
    const catalog::AttentionLayer& l = a.attention_pattern[j];
    if (recurrent(l)) {
      out.state_bytes = std::max(out.state_bytes, layer_state_bytes(a, j, tp));
    } else {
      attention = std::max(attention, layer_kv_bytes_per_token(a, j, tp, kv_bytes));
    }
  }
  if (out.state_bytes == 0) {
    return out;
  }
  if (attention == 0) {
    out.block_size = max_model_len;
    out.page_bytes = out.state_bytes;
    return out;
  }
  const std::uint64_t align = a.mla ? k_vllm_hybrid_block_alignment_mla : k_vllm_hybrid_block_alignment;
  const std::uint64_t step = checked_mul(align, attention, "bytes");
  out.block_size = std::max(block_size, align * util::ceil_div(out.state_bytes, step));
  out.page_bytes = checked_mul(out.block_size, attention, "bytes");
  return out;
}

KvGroups vllm_groups(const catalog::Architecture& a, std::uint64_t first, std::uint64_t last, std::uint64_t tp,
                     std::uint64_t kv_bytes, const VllmPage& model_page) {
  // window (0 = full) -> layers, in ascending window order; few kinds, so a small sorted list.
  // The pattern repeats: each entry is worked out once and counted as often as it occurs.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> layers_by_window;
  const std::uint64_t block_size = model_page.block_size;
  std::uint64_t page = model_page.page_bytes;
  const std::uint64_t pattern = a.attention_pattern.size();
  for (std::uint64_t j = 0; j < pattern; ++j) {
    const std::uint64_t start = first + (j + pattern - first % pattern) % pattern; // first i >= first, i % pattern == j
    const catalog::AttentionLayer& l = a.attention_pattern[j];
    if (start >= last || l.kind == AttentionKind::none) {
      continue;
    }
    const std::uint64_t occurrences = (last - 1 - start) / pattern + 1;
    const std::uint64_t window = recurrent(l) ? k_state_group : windowed(l) ? l.window : 0;
    auto at = std::lower_bound(layers_by_window.begin(), layers_by_window.end(), window,
                               [](const auto& e, std::uint64_t w) { return e.first < w; });
    if (at == layers_by_window.end() || at->first != window) {
      at = layers_by_window.insert(at, {window, 0});
    }
    at->second += occurrences;
    if (model_page.page_bytes == 0) {
      page = std::max(page, checked_mul(layer_kv_bytes_per_token(a, start, tp, kv_bytes), block_size, "bytes"));
    }
  }
  KvGroups g;
  g.page_bytes = page;
  if (layers_by_window.empty()) {
    return g;
  }
  std::uint64_t fewest = std::numeric_limits<std::uint64_t>::max();
  std::uint64_t most = 0;
  for (const auto& [window, n] : layers_by_window) {
    fewest = std::min(fewest, n);
    most = std::max(most, n);
  }
  // one kind: a single group; several: the smallest kind's count, unless the largest is
  // within 1.25x of it (then one group per kind, padded)
  g.group_size = layers_by_window.size() == 1 || most * 4 < fewest * 5 ? most : fewest;
  for (const auto& [window, n] : layers_by_window) {
    for (std::uint64_t k = 0; k < util::ceil_div(n, g.group_size); ++k) {
      g.windows.push_back(window);
    }
  }
  return g;
}

// Blocks one request of `len` tokens takes in a group.
std::uint64_t blocks_per_request(std::uint64_t window, std::uint64_t len, std::uint64_t block_size) {
  if (window == k_state_group) {
    return 1; // one sequence's state (no prefix caching, vLLM's default for hybrids)
  }
  const std::uint64_t full = util::ceil_div(len, block_size);
  if (window == 0) {
    return full;
  }
  return std::min(full, util::ceil_div(window - 1, block_size) + 1);
}

// A stage's weights as vLLM loads them: without the MTP layers, which its models skip unless
// they draft for speculative decoding. Every MTP model of the catalog is read by a loader that
// skips them (vllm/model_executor/models/, upstream main of 2026-05-29): deepseek_v2.py
// ("skip spec decode layers for main model": DeepSeek-V3/R1/V3.1/V3.2, GLM-5), glm4_moe.py
// (GLM-4.5), glm4_moe_lite.py (GLM-4.7-Flash), minimax_m2.py, qwen3_next.py and qwen3_5.py
// (skip_prefixes=["mtp."]), nemotron_h.py.
std::uint64_t vllm_stage_weight_bytes(const WeightPlacement& weights,
                                      const std::vector<std::pair<std::uint64_t, std::uint64_t>>& stages,
                                      std::size_t stage) {
  const std::uint64_t bytes = stage_weight_bytes(weights, stages, stage);
  return stage + 1 == stages.size() ? bytes - weights.mtp_bytes : bytes;
}

// vLLM's budget per GPU: total memory x gpu_memory_utilization.
std::uint64_t vllm_budget(const ServingRequest& r) {
  return gib_floor(static_cast<long double>(r.gpu_memory_bytes) * r.memory_fraction);
}

// FP8 tensor cores and NVLink-class links: where vLLM's all-reduce keeps buffers per peer.
bool hopper_nvlink(const catalog::Gpu& gpu) {
  return gpu.fp8 && static_cast<double>(gpu.link_bytes_per_s) >= k_nvlink_link_bytes_per_s;
}

void predict_vllm(const catalog::Model& model, const catalog::Precision& precision, const catalog::Gpu& gpu,
                  const WeightPlacement& weights, Wording wording, ServingPrediction& p) {
  const catalog::Architecture& a = *model.architecture;
  ServingRequest& r = p.request;
  const std::uint64_t tp = r.tensor_parallel;
  const auto stages = pipeline_stages(a.layers, r.pipeline_parallel);
  const std::uint64_t budget = vllm_budget(r);
  const std::uint64_t forward_per_token = forward_bytes_per_token(a, tp);
  const std::uint64_t forward = checked_mul(forward_per_token, r.max_num_batched_tokens, "bytes");
  const double copies =
      r.sampler == VllmSampler::fused ? k_vllm_sampler_fp32_copies_fused : k_vllm_sampler_fp32_copies_sort;
  const std::uint64_t sampler =
      gib_floor(copies * static_cast<long double>(r.max_num_seqs) * static_cast<long double>(a.vocab_size) * 4);

  const VllmPage model_page = vllm_page(a, tp, r.kv_bytes, r.block_size, r.max_model_len);
  p.block_size = model_page.block_size;
  bool first = true;
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const std::uint64_t stage_weights = vllm_stage_weight_bytes(weights, stages, s);
    ServingRank rank;
    rank.pipeline_stage = s;
    rank.total_bytes = r.gpu_memory_bytes;
    rank.budget_bytes = budget;
    rank.weights_bytes =
        checked_add(util::ceil_div(stage_weights, tp),
                    model.stored ? 0 : replicated_weight_bytes(a, precision, stages[s].first, stages[s].second, tp),
                    "weight bytes");
    // vLLM's custom all-reduce keeps buffers per NVLink peer; a TP group that spans nodes has it
    // disabled (custom_all_reduce.py: not for groups across nodes) and uses NCCL alone
    const bool custom_allreduce = hopper_nvlink(gpu) && tp <= gpu.tp_domain();
    rank.non_torch_bytes = k_vllm_non_torch_bytes + (custom_allreduce ? (tp - 1) * k_vllm_nvlink_bytes_per_peer : 0);
    // the sampler runs where the logits are: the last pipeline stage
    rank.activation_bytes = s + 1 == stages.size() ? std::max(forward, sampler) : forward;
    const long double left = static_cast<long double>(budget) - static_cast<long double>(rank.weights_bytes) -
                             static_cast<long double>(rank.non_torch_bytes) -
                             static_cast<long double>(rank.activation_bytes);
    rank.kv_cache_bytes = kv_left(left);

    const KvGroups groups = vllm_groups(a, stages[s].first, stages[s].second, tp, r.kv_bytes, model_page);
    rank.kv_bytes_per_token = sum_over_layers(a, stages[s].first, stages[s].second, "bytes", [&](std::uint64_t i) {
      return layer_kv_bytes_per_token(a, i, tp, r.kv_bytes);
    });
    rank.page_bytes = checked_mul(groups.page_bytes, groups.group_size, "bytes");
    rank.blocks = whole_pages(rank.kv_cache_bytes, rank.page_bytes);
    // tokens as vLLM reports them: blocks per group x block size
    const std::uint64_t n_groups = std::max<std::size_t>(1, groups.windows.size());
    const std::uint64_t tokens = rank.blocks / n_groups * model_page.block_size;
    std::uint64_t need = 0;
    for (const std::uint64_t w : groups.windows) {
      need += blocks_per_request(w, r.max_model_len, model_page.block_size);
    }
    rank.request_blocks = need;
    const double concurrency = need == 0 ? 0 : static_cast<double>(rank.blocks) / static_cast<double>(need);
    // a stage whose layers cache nothing (a NAS model's no-attention blocks) limits no one,
    // unless every stage is such
    const bool caches = rank.page_bytes > 0;
    if (!caches && !(first && s + 1 == stages.size())) {
      continue;
    }
    if (first || tokens < p.kv_cache_tokens) {
      p.rank = rank;
      p.kv_cache_tokens = tokens;
      p.kv_cache_groups = n_groups;
      p.max_concurrency = concurrency;
      first = false;
    }
  }
  // every rank allocates the bottleneck's block count
  p.kv_cache_bytes = checked_mul(checked_mul(p.rank.blocks, p.rank.page_bytes, "bytes"), p.gpus, "bytes");
  p.starts = p.rank.kv_cache_bytes > 0 && p.max_concurrency >= 1.0;
  if (wording == Wording::numbers) {
    return;
  }
  if (p.rank.kv_cache_bytes <= 0) {
    p.refusal = "No available memory for the cache blocks. Try increasing `gpu_memory_utilization` when "
                "initializing the engine.";
  } else if (p.max_concurrency < 1.0) {
    p.refusal = fmt::format("The model's max seq len ({}) is larger than the maximum number of tokens that can be "
                            "stored in KV cache ({}). Try increasing `gpu_memory_utilization` or decreasing "
                            "`max_model_len` when initializing the engine.",
                            r.max_model_len, p.kv_cache_tokens);
  }
  p.assumptions.push_back(fmt::format(
      "vLLM (V1 and V0 from 0.6.5 to 0.20): KV cache = {} GiB x {:.2f} - weights - {} MiB non-torch - activation peak "
      "of the profiling run, per GPU; the minimum over ranks, in blocks of {} tokens",
      fmt::format("{:.2f}", static_cast<double>(r.gpu_memory_bytes) / (1ULL << 30)), r.memory_fraction,
      p.rank.non_torch_bytes >> 20, p.block_size));
  p.assumptions.push_back(fmt::format(
      "activation peak: max(forward over --max-num-batched-tokens {} = {} B/token, sampler over --max-num-seqs {} x "
      "{} vocabulary x 4 B x {} ({}))",
      r.max_num_batched_tokens, group_digits(forward_per_token), r.max_num_seqs, group_digits(a.vocab_size), copies,
      r.sampler == VllmSampler::fused
          ? "--sampler fused: FlashInfer's or vLLM's Triton top-k/top-p kernels; --sampler sort for PyTorch's sort, "
            "as in V0 and in V1 logs that say \"FlashInfer is not available\" before 2026-02"
          : "--sampler sort: PyTorch's sort-based top-k/top-p"));
  p.assumptions.push_back("CUDA graphs are captured after the KV cache is sized, outside the budget (vLLM 0.21 and "
                          "later subtract their estimate first, leaving fewer tokens)");
  if (tp > a.kv_heads && !a.mla) {
    p.assumptions.push_back(fmt::format("TP {} exceeds {}'s {} KV heads: each rank holds one replicated head's cache "
                                        "and K/V weights",
                                        tp, model.id, a.kv_heads));
  }
  if (a.has_towers()) {
    p.assumptions.push_back(
        "not modelled: the profiling run also encodes the largest batch of images (or audio) the model accepts, "
        "whose peak can take far more than the text's (36.63 GiB for Llama-3.2-11B-Vision, "
        "github.com/vllm-project/vllm/pull/12126): expect fewer tokens unless vLLM runs with "
        "--limit-mm-per-prompt set to 0 (--text-only here)");
  }
  if (model_page.state_bytes > 0) {
    p.assumptions.push_back(fmt::format(
        "recurrent layers (vLLM's hybrid allocator, V1 from 0.10.2): one sequence's state is {} B per layer on a "
        "rank ({}-byte conv, {}-byte SSM values), held in one block per state group per request (no prefix "
        "caching, the default); {}; tokens = blocks / groups x block size, as vLLM up to 0.20 logs them",
        group_digits(model_page.state_bytes), a.conv_state_bytes, a.recurrent_state_bytes,
        model_page.page_bytes > model_page.state_bytes
            ? fmt::format("attention blocks of {} tokens ({} B a layer) hold it, the state padded by {:.2f}%",
                          model_page.block_size, group_digits(model_page.page_bytes),
                          100.0 * static_cast<double>(model_page.page_bytes - model_page.state_bytes) /
                              static_cast<double>(model_page.state_bytes))
            : fmt::format("attention blocks of {} tokens", model_page.block_size)));
  }
  if (p.kv_cache_groups > 1) {
    p.assumptions.push_back(fmt::format("{} KV cache groups of equal page size (vLLM's hybrid allocator); tokens = "
                                        "blocks / groups x block size",
                                        p.kv_cache_groups));
  }
}

void predict_sglang(const WeightPlacement& weights, const catalog::Model& model, Wording wording,
                    ServingPrediction& p) {
  const catalog::Architecture& a = *model.architecture;
  ServingRequest& r = p.request;
  const std::uint64_t tp = r.tensor_parallel;
  if (r.pipeline_parallel != 1) {
    throw Error(ErrorKind::usage, fmt::format("--engine sglang: pipeline parallelism (PP {}) is not modelled; give a "
                                              "--tensor-parallel-size that holds {} without it",
                                              r.pipeline_parallel, model.id));
  }
  ServingRank& rank = p.rank;
  rank.total_bytes = r.gpu_memory_bytes;
  rank.non_torch_bytes = std::min(k_sglang_startup_bytes, r.gpu_memory_bytes);
  // mem_fraction_static of the memory free before loading is static: weights + KV pool
  rank.budget_bytes =
      gib_floor(static_cast<long double>(r.gpu_memory_bytes - rank.non_torch_bytes) * r.memory_fraction);
  rank.weights_bytes = util::ceil_div(weights.total, tp);
  const long double left = static_cast<long double>(rank.budget_bytes) - static_cast<long double>(rank.weights_bytes);
  rank.kv_cache_bytes = kv_left(left);
  // SGLang sizes every layer's pool at the full length (no sliding-window pool)
  rank.kv_bytes_per_token = sum_over_layers(
      a, 0, a.layers, "bytes", [&](std::uint64_t i) { return layer_kv_bytes_per_token(a, i, tp, r.kv_bytes); });
  rank.page_bytes = rank.kv_bytes_per_token;
  // a model that caches nothing per token (no attention heads left) has no pool to count
  rank.blocks = whole_pages(rank.kv_cache_bytes, rank.page_bytes);
  p.kv_cache_tokens = rank.blocks;
  rank.request_blocks = r.max_model_len;
  p.kv_cache_bytes = checked_mul(checked_mul(rank.blocks, rank.page_bytes, "bytes"), p.gpus, "bytes");
  p.max_concurrency = static_cast<double>(p.kv_cache_tokens) / static_cast<double>(r.max_model_len);
  if (rank.kv_cache_bytes <= 0) {
    p.starts = false;
    p.refusal = "Not enough memory. Please try to increase --mem-fraction-static.";
  }
  if (wording == Wording::numbers) {
    return;
  }
  p.assumptions.push_back(fmt::format(
      "SGLang: KV pool = {:.2f} (--mem-fraction-static) x the memory free before loading ({} MiB of CUDA context "
      "and init already in use) - weights, per rank; every layer at full length; it starts even when one request "
      "of {} tokens does not fit",
      r.memory_fraction, k_sglang_startup_bytes >> 20, r.max_model_len));
}

void predict_llama_cpp(const catalog::Model& model, Wording wording, ServingPrediction& p) {
  const catalog::Architecture& a = *model.architecture;
  ServingRequest& r = p.request;
  const std::uint64_t on_gpu = std::min<std::uint64_t>(r.gpu_layers.value_or(a.layers), a.layers);
  r.gpu_layers = on_gpu;
  std::uint64_t gpu_bytes = 0;
  std::uint64_t host_bytes = 0;
  std::uint64_t per_token = 0;
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const catalog::AttentionLayer& l = a.attention(i);
    std::uint64_t k_width = 0;
    std::uint64_t v_width = 0;
    if (l.kind == AttentionKind::mla) {
      // the compressed latent and the RoPE key only (c^KV; V is read from it)
      k_width = a.mla->kv_lora_rank + a.mla->qk_rope_head_dim;
    } else if (l.kind != AttentionKind::none) {
      k_width = l.shares_kv || l.kind == AttentionKind::linear || l.kind == AttentionKind::mamba
                    ? 0
                    : a.kv_heads_of(l) * a.head_dim_of(l);
      v_width = k_width;
    }
    const std::uint64_t cells =
        windowed(l)
            ? std::min(r.max_model_len, util::ceil_div(l.window + r.ubatch, k_llama_cpp_swa_pad) * k_llama_cpp_swa_pad)
            : r.max_model_len;
    // K and V of `n` cells, in the cache types' blocks
    const auto bytes = [&](std::uint64_t n) {
      return checked_add(util::mul_div_ceil(checked_mul(k_width, n, "KV bytes"), r.cache_type_k.block_bytes,
                                            r.cache_type_k.block_values, "KV bytes"),
                         util::mul_div_ceil(checked_mul(v_width, n, "KV bytes"), r.cache_type_v.block_bytes,
                                            r.cache_type_v.block_values, "KV bytes"),
                         "bytes");
    };
    const std::uint64_t layer = bytes(cells);
    // --n-gpu-layers offloads the last layers first (llama.cpp's i_gpu_start = n_layer - n_gpu_layers)
    if (i >= a.layers - on_gpu) {
      gpu_bytes = checked_add(gpu_bytes, layer, "KV bytes");
    } else {
      host_bytes = checked_add(host_bytes, layer, "KV bytes");
    }
    per_token = checked_add(per_token, bytes(1), "bytes");
  }
  // Recurrent layers (Mamba, Gated DeltaNet, KDA): llama.cpp's recurrent memory holds one conv
  // (r) and one state (s) row per sequence and layer, both f32 (llama-memory-recurrent.cpp,
  // n_embd_r / n_embd_s in llama-hparams.cpp), on the device of the layer; --parallel rows.
  catalog::Architecture f32_state = a;
  f32_state.conv_state_bytes = 4;
  f32_state.recurrent_state_bytes = 4;
  std::uint64_t state_bytes = 0;
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    const std::uint64_t layer = checked_mul(layer_state_bytes(f32_state, i), r.parallel, "state bytes");
    state_bytes = checked_add(state_bytes, layer, "state bytes");
    if (i >= a.layers - on_gpu) {
      gpu_bytes = checked_add(gpu_bytes, layer, "KV bytes");
    } else {
      host_bytes = checked_add(host_bytes, layer, "KV bytes");
    }
  }
  p.state_bytes = state_bytes;
  ServingRank& rank = p.rank;
  rank.total_bytes = r.gpu_memory_bytes;
  rank.kv_cache_bytes = static_cast<std::int64_t>(gpu_bytes);
  rank.host_kv_bytes = host_bytes;
  rank.kv_bytes_per_token = per_token;
  rank.blocks = r.max_model_len;
  p.kv_cache_tokens = r.max_model_len;
  p.kv_cache_bytes = gpu_bytes;
  // --parallel N slots share the cells: N sequences of up to ctx-size / N tokens each
  p.max_concurrency = static_cast<double>(r.parallel);
  if (wording == Wording::numbers) {
    return;
  }
  p.assumptions.push_back(fmt::format(
      "llama.cpp: KV cache = --ctx-size {} cells x (K {} + V {}) per layer, no profiling; {} of {} layers on the "
      "GPU(s) (--n-gpu-layers), the rest in host memory",
      r.max_model_len, r.cache_type_k.name, r.cache_type_v.name, on_gpu, a.layers));
  if (a.mla) {
    p.assumptions.push_back("MLA: only the compressed latent c^KV is cached (llama.cpp's MLA path)");
  }
  if (state_bytes > 0) {
    p.assumptions.push_back(fmt::format("llama.cpp: recurrent layers keep {} bytes of f32 conv and SSM state for {} "
                                        "sequence(s) (--parallel), counted with the KV cache",
                                        group_digits(state_bytes), r.parallel));
  }
}

} // namespace

void check_serving_request(const catalog::Model& model, const catalog::Gpu& gpu, const ServingRequest& request) {
  require_self_hostable(model);
  if (!gpu.engines.empty() &&
      std::find(gpu.engines.begin(), gpu.engines.end(), to_string(request.engine)) == gpu.engines.end()) {
    throw Error(ErrorKind::usage, fmt::format("--engine {}: the catalog does not list it as running on the {} "
                                              "(it lists {})",
                                              to_string(request.engine), gpu.name, fmt::join(gpu.engines, ", ")));
  }
  require_modelled(model, request.engine);
  const catalog::Architecture& a = *model.architecture;
  if (request.max_model_len > model.longest_context()) {
    throw Error(ErrorKind::usage,
                fmt::format("--max-model-len {} exceeds {}'s maximum context of {} tokens",
                            group_digits(request.max_model_len), model.id, group_digits(model.longest_context())));
  }
  if (request.engine == ServingEngine::llama_cpp) {
    return;
  }
  if (request.tensor_parallel > 0) {
    if (const auto problem = tensor_parallel_problem(a, request.tensor_parallel, gpu.tp_domain(), request.tp_nodes)) {
      throw Error(ErrorKind::usage, fmt::format("--tensor-parallel-size {} is not accepted for {}: {}",
                                                request.tensor_parallel, model.id, *problem));
    }
  }
  if (request.pipeline_parallel > a.layers) {
    throw Error(ErrorKind::usage, fmt::format("--pipeline-parallel-size {} must be between 1 and {}'s {} layers",
                                              request.pipeline_parallel, model.id, a.layers));
  }
}

bool engine_covers(const catalog::Model& model, ServingEngine engine) {
  return model.architecture && unmodelled_layer(*model.architecture, engine) == nullptr;
}

ServingRequest with_engine_defaults(const catalog::Model& model, const catalog::Gpu& gpu, ServingRequest request) {
  if (request.max_model_len == 0) {
    request.max_model_len = model.engine_default_context();
  }
  if (request.gpu_memory_bytes == 0) {
    request.gpu_memory_bytes = gpu.memory_bytes;
  }
  if (request.max_num_seqs == 0 || request.max_num_batched_tokens == 0) {
    const VllmBatchDefaults defaults = vllm_batch_defaults(gpu);
    if (request.max_num_seqs == 0) {
      request.max_num_seqs = defaults.max_num_seqs;
    }
    if (request.max_num_batched_tokens == 0) {
      request.max_num_batched_tokens = defaults.max_num_batched_tokens;
    }
  }
  if (request.memory_fraction == 0) {
    const std::uint64_t tp = std::max<std::uint64_t>(1, request.tensor_parallel);
    request.memory_fraction = request.engine == ServingEngine::vllm ? k_default_gpu_memory_utilization
                              : tp >= 16                            ? k_sglang_mem_fraction_tp16
                              : tp >= 8                             ? k_sglang_mem_fraction_tp8
                              : tp >= 4                             ? k_sglang_mem_fraction_tp4
                              : tp >= 2                             ? k_sglang_mem_fraction_tp2
                                                                    : k_sglang_mem_fraction_tp1;
  }
  return request;
}

bool surely_refused(const WeightPlacement& weights, const ServingRequest& request) {
  if (request.engine != ServingEngine::vllm) {
    return false;
  }
  // Each rank holds at least its even share of its stage's weights and pays at least the
  // non-torch floor; where that alone spends every rank's budget, no rank has cache memory and
  // predict_vllm's bottleneck rank has no block.
  const std::uint64_t budget = vllm_budget(request);
  const auto stages =
      pipeline_stages(static_cast<std::uint64_t>(weights.layer_bytes.size()), request.pipeline_parallel);
  for (std::size_t s = 0; s < stages.size(); ++s) {
    const std::uint64_t floor = util::ceil_div(vllm_stage_weight_bytes(weights, stages, s), request.tensor_parallel);
    if (floor < budget && budget - floor > k_vllm_non_torch_bytes) {
      return false;
    }
  }
  return true;
}

ServingPrediction predict_placed(const catalog::Model& model, const catalog::Precision& precision,
                                 const catalog::Gpu& gpu, const WeightPlacement& weights, const ServingRequest& request,
                                 Wording wording) {
  ServingPrediction p;
  p.request = request;
  p.gpus = request.tensor_parallel * request.pipeline_parallel;
  switch (request.engine) {
  case ServingEngine::vllm:
    predict_vllm(model, precision, gpu, weights, wording, p);
    break;
  case ServingEngine::sglang:
    predict_sglang(weights, model, wording, p);
    break;
  case ServingEngine::llama_cpp:
    predict_llama_cpp(model, wording, p);
    break;
  }
  return p;
}

ServingPrediction predict_serving(const catalog::Model& model, const catalog::Precision& precision,
                                  const catalog::Gpu& gpu, ServingRequest request, Wording wording) {
  check_serving_request(model, gpu, request);
  if (request.engine != ServingEngine::llama_cpp && (request.tensor_parallel == 0 || request.pipeline_parallel == 0)) {
    throw Error(ErrorKind::usage, "--tensor-parallel-size and --pipeline-parallel-size must be at least 1");
  }
  request = with_engine_defaults(model, gpu, request);
  return predict_placed(model, precision, gpu, place_weights(model, model_params(model), precision), request, wording);
}

std::uint64_t longest_max_model_len(const catalog::Model& model, const catalog::Precision& precision,
                                    const catalog::Gpu& gpu, ServingRequest request, std::uint64_t concurrency) {
  const auto holds = [&](std::uint64_t length) {
    request.max_model_len = length;
    const ServingPrediction p = predict_serving(model, precision, gpu, request, Wording::numbers);
    return p.starts && p.max_concurrency >= static_cast<double>(concurrency);
  };
  std::uint64_t low = 0;                            // holds (0: nothing found yet)
  std::uint64_t high = model.longest_context() + 1; // does not hold
  if (holds(high - 1)) {
    return high - 1;
  }
  high -= 1;
  while (high - low > 1) {
    const std::uint64_t mid = low + (high - low) / 2;
    (holds(mid) ? low : high) = mid;
  }
  return low;
}

} // namespace modelpick::engine
