#pragma once
// KV-cache bytes per attention kind.
#include <cstdint>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::engine {

// Bytes one token adds to one layer's cache, for `kv_heads` heads held (a TP rank may hold
// fewer than the model has). MLA caches one latent of kv_lora_rank + rope dims, not K and V.
std::uint64_t layer_kv_bytes_per_token(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t kv_heads,
                                       std::uint64_t kv_bytes);

// Tokens one layer keeps for a sequence of `context` tokens: sliding-window and chunked
// layers are capped at their window, layers without attention keep none.
std::uint64_t layer_cached_tokens(const catalog::Architecture& arch, std::uint64_t layer, std::uint64_t context);

// Fixed-size state one sequence keeps in a layer, whatever its length: Mamba's conv + SSM
// state, a linear-attention layer's head_dim x head_dim matrix per head (16-bit).
std::uint64_t layer_state_bytes(const catalog::Architecture& arch, std::uint64_t layer);
std::uint64_t state_bytes_per_sequence(const catalog::Architecture& arch);

// Sum over all layers of layer_kv_bytes_per_token with the model's own KV heads.
std::uint64_t kv_bytes_per_token(const catalog::Architecture& arch, std::uint64_t kv_bytes);

// Whole-model KV cache (and fixed state) for `concurrency` sequences of `context` tokens.
std::uint64_t kv_cache_bytes(const catalog::Architecture& arch, std::uint64_t kv_bytes, std::uint64_t context,
                             std::uint64_t concurrency);

} // namespace modelpick::engine
