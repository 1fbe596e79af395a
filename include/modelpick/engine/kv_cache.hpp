#pragma once
// KV-cache bytes per attention kind.
#include <cstdint>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::engine {

// The sum of `per_layer(i)` over the layers [first, last), for a function of the layer's
// attention layer only (every per-layer KV function here): the pattern repeats, so each of
// its entries is worked out once, at a layer that holds it, and counted as often as it occurs.
template <class PerLayer>
std::uint64_t sum_over_layers(const catalog::Architecture& arch, std::uint64_t first, std::uint64_t last,
                              const char* what, PerLayer per_layer) {
  const std::uint64_t pattern = arch.attention_pattern.size();
  std::uint64_t total = 0;
  for (std::uint64_t j = 0; j < pattern; ++j) {
    const std::uint64_t start = first + (j + pattern - first % pattern) % pattern; // first i >= first, i % pattern == j
    if (start >= last) {
      continue;
    }
    const std::uint64_t occurrences = (last - 1 - start) / pattern + 1;
    total = util::checked_add(total, util::checked_mul(per_layer(start), occurrences, what), what);
  }
  return total;
}

// Bytes one token adds to one layer's cache on one of `tp` tensor-parallel ranks (tp 1: the
// whole layer): a rank holds max(1, the layer's KV heads / tp) heads. MLA caches one latent of
// kv_lora_rank + rope dims on every rank, not K and V; a layer that shares an earlier layer's
// cache adds nothing.
std::uint64_t layer_kv_bytes_per_token(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t tp,
                                       std::uint64_t kv_bytes);

// Tokens one layer keeps for a sequence of `context` tokens: sliding-window and chunked
// layers are capped at their window, layers without attention keep none.
std::uint64_t layer_cached_tokens(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t context);

// Fixed-size state one sequence keeps in a layer, whatever its length: Mamba's conv + SSM
// state, a linear-attention layer's conv state and recurrent matrices, in the architecture's
// state dtypes (docs/formulas.md). With `tp` > 1, what one tensor-parallel rank holds as vLLM
// shards it (MambaStateShapeCalculator: heads split, Mamba-2 B/C groups that do not divide
// replicated up to one per rank); the heads must divide (tensor_parallel_problem).
std::uint64_t layer_state_bytes(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t tp = 1);
std::uint64_t state_bytes_per_sequence(const catalog::Architecture& arch);

// Sum over all layers of layer_kv_bytes_per_token with the model's own KV heads.
std::uint64_t kv_bytes_per_token(const catalog::Architecture& arch, std::uint64_t kv_bytes);

// Whole-model KV cache (and fixed state) for `concurrency` sequences of `context` tokens.
std::uint64_t kv_cache_bytes(const catalog::Architecture& arch, std::uint64_t kv_bytes, std::uint64_t context,
                             std::uint64_t concurrency);

} // namespace modelpick::engine
