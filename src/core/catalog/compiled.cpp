#include "modelpick/catalog/compiled.hpp"

#include <bit>
#include <concepts>
#include <cstdint>
#include <fmt/format.h>
#include <limits>
#include <map>
#include <optional>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "modelpick/error.hpp"

namespace modelpick::catalog {
namespace {

// Names the layout: an image written by another layout is refused, never misread. Change the
// number whenever a member is added, removed or reordered below.
constexpr std::string_view k_magic = "modelpick catalog image 12\n";

template <class S, class T>
concept member_list_of = std::same_as<std::remove_const_t<S>, T>;

// Each struct's members, in declaration order, for both writing (const) and reading. A member
// left out here would not survive the round trip: the unit test that compares the compiled
// embedded catalog with the one parsed from JSON fails when one is missing.
template <member_list_of<AttentionLayer> S> auto members(S& v) {
  return std::tie(v.kind, v.window, v.attention_heads, v.kv_heads, v.head_dim, v.shares_kv, v.linear_replacement,
                  v.value_from_key, v.ffn, v.ffn_intermediate_size);
}
template <member_list_of<Mla> S> auto members(S& v) {
  return std::tie(v.q_lora_rank, v.kv_lora_rank, v.qk_nope_head_dim, v.qk_rope_head_dim, v.v_head_dim, v.index_n_heads,
                  v.index_head_dim);
}
template <member_list_of<Mamba> S> auto members(S& v) {
  return std::tie(v.d_state, v.d_conv, v.d_inner, v.dt_rank, v.heads, v.head_dim, v.groups);
}
template <member_list_of<LinearAttention> S> auto members(S& v) {
  return std::tie(v.kind, v.key_heads, v.value_heads, v.key_head_dim, v.value_head_dim, v.conv_kernel);
}
template <member_list_of<ExtraWeights> S> auto members(S& v) {
  return std::tie(v.what, v.params, v.text_only_drops, v.source);
}
template <member_list_of<Moe> S> auto members(S& v) {
  return std::tie(v.experts, v.experts_per_token, v.shared_experts, v.expert_intermediate_size,
                  v.shared_expert_intermediate_size, v.first_dense_layers, v.layer_step, v.dense_intermediate_size,
                  v.dense_residual, v.expert_bias, v.latent_size);
}
template <member_list_of<Architecture> S> auto members(S& v) {
  return std::tie(v.layers, v.hidden_size, v.intermediate_size, v.attention_heads, v.kv_heads, v.head_dim, v.vocab_size,
                  v.tied_embeddings, v.attention_bias, v.mlp_gated, v.attention_output_gate, v.attention_pattern, v.mla,
                  v.mamba, v.linear, v.moe, v.conv_state_bytes, v.recurrent_state_bytes, v.extras, v.mtp_layers,
                  v.mtp_own_embedding, v.source);
}
template <member_list_of<StoredWeights> S> auto members(S& v) {
  return std::tie(v.format, v.layer_bytes, v.first_stage_bytes, v.last_stage_bytes, v.tied_head_bytes, v.active_bytes,
                  v.params, v.bytes_by_type);
}
template <member_list_of<HostedOffer> S> auto members(S& v) {
  return std::tie(v.provider, v.input, v.output, v.cached_input, v.variant, v.date, v.source);
}
template <member_list_of<TokenPrice> S> auto members(S& v) {
  return std::tie(v.provider, v.input, v.output, v.cached_input, v.long_context_over, v.long_context_input,
                  v.long_context_output, v.long_context_cached_input, v.date, v.checked_date, v.deprecated, v.retires,
                  v.source, v.offers);
}
template <member_list_of<GpuOffer> S> auto members(S& v) {
  return std::tie(v.provider, v.usd_per_gpu_hour, v.terms, v.date, v.source);
}
template <member_list_of<GpuPrice> S> auto members(S& v) {
  return std::tie(v.usd_per_gpu_hour, v.basis, v.offers, v.date, v.source);
}
template <member_list_of<Model> S> auto members(S& v) {
  return std::tie(v.id, v.name, v.publisher, v.category, v.license, v.hf_repo, v.aliases, v.native_precision,
                  v.published_params_total, v.published_params_active, v.published_params_approximate,
                  v.published_params_name_only, v.max_context_tokens, v.checkpoint_context_tokens, v.architecture,
                  v.stored, v.provider, v.api_price, v.sources, v.origin, v.release_date, v.modalities,
                  v.inherited_licenses, v.license_history, v.scores);
}
template <member_list_of<Gpu> S> auto members(S& v) {
  return std::tie(v.id, v.name, v.vendor, v.memory_bytes, v.marketing_gb, v.nvidia_smi_mib, v.bandwidth_bytes_per_s,
                  v.tflops_bf16, v.tflops_fp8, v.tflops_int8, v.fp8, v.weight_only_fp8, v.tflops_fp4, v.fp4,
                  v.tflops_assumption, v.architecture, v.compute_capability, v.device_name, v.gpus_per_node,
                  v.nvlink_domain, v.interconnect, v.link_bytes_per_s, v.engines, v.price, v.no_rental, v.sources,
                  v.origin, v.aliases);
}
template <member_list_of<Precision> S> auto members(S& v) {
  return std::tie(v.id, v.name, v.weight_bits, v.group_size, v.group_overhead_bits, v.needs_fp8_hardware,
                  v.experts_only, v.attention_16bit, v.engines, v.notes, v.aliases, v.sources, v.origin);
}
template <member_list_of<Clause> S> auto members(S& v) {
  return std::tie(v.quote, v.section, v.source);
}
template <member_list_of<LicenseRule> S> auto members(S& v) {
  return std::tie(v.effect, v.uses, v.mau_over, v.monthly_revenue_usd_over, v.region, v.modality, v.group_mau_over,
                  v.purposes, v.fields_of_use, v.derivative, v.model_modality, v.released_from, v.released_before,
                  v.with, v.obligation, v.clause);
}
template <member_list_of<Score> S> auto members(S& v) {
  return std::tie(v.id, v.benchmark, v.value, v.setting, v.measured_by, v.date, v.source, v.variant);
}
template <member_list_of<LicensePeriod> S> auto members(S& v) {
  return std::tie(v.license, v.from, v.source);
}
template <member_list_of<License> S> auto members(S& v) {
  return std::tie(v.id, v.name, v.source, v.grant, v.rules, v.notes, v.origin);
}

template <class T> struct is_vector : std::false_type {};
template <class T> struct is_vector<std::vector<T>> : std::true_type {};
template <class T> struct is_optional : std::false_type {};
template <class T> struct is_optional<std::optional<T>> : std::true_type {};
template <class T> struct is_map : std::false_type {};
template <class K, class V> struct is_map<std::map<K, V>> : std::true_type {};
template <class T> struct is_pair : std::false_type {};
template <class A, class B> struct is_pair<std::pair<A, B>> : std::true_type {};

// Unsigned integers and enums as LEB128 varints, doubles as their 8 bytes (little-endian),
// bools as one byte, strings and containers as a count then their elements, optionals as a
// presence byte then the value, structs as their members in order.
class Writer {
public:
  std::string out;

  void varint(std::uint64_t v) {
    while (v >= 0x80) {
      out.push_back(static_cast<char>((v & 0x7F) | 0x80));
      v >>= 7;
    }
    out.push_back(static_cast<char>(v));
  }

  template <class T> void put(const T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      out.push_back(v ? '\1' : '\0');
    } else if constexpr (std::is_enum_v<T>) {
      varint(static_cast<std::uint64_t>(v));
    } else if constexpr (std::is_unsigned_v<T>) {
      varint(v);
    } else if constexpr (std::is_same_v<T, double>) {
      const auto bits = std::bit_cast<std::uint64_t>(v);
      for (int shift = 0; shift < 64; shift += 8) {
        out.push_back(static_cast<char>((bits >> shift) & 0xFF));
      }
    } else if constexpr (std::is_same_v<T, std::string>) {
      varint(v.size());
      out.append(v);
    } else if constexpr (is_vector<T>::value || is_map<T>::value) {
      varint(v.size());
      for (const auto& element : v) {
        put(element);
      }
    } else if constexpr (is_optional<T>::value) {
      put(v.has_value());
      if (v) {
        put(*v);
      }
    } else if constexpr (is_pair<T>::value) {
      put(v.first);
      put(v.second);
    } else {
      std::apply([this](const auto&... m) { (this->put(m), ...); }, members(v));
    }
  }
};

class Reader {
public:
  explicit Reader(std::string_view in) : in_(in) {}

  [[noreturn]] void fail(std::string_view what) const {
    throw Error(ErrorKind::invalid_catalog,
                fmt::format("the compiled catalog is malformed at byte {}: {}", pos_, what));
  }

  void expect(std::string_view bytes) {
    if (in_.substr(pos_, bytes.size()) != bytes) {
      fail("not an image of this layout");
    }
    pos_ += bytes.size();
  }

  void expect_end() const {
    if (pos_ != in_.size()) {
      fail("bytes after the end");
    }
  }

  std::uint64_t varint() {
    std::uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const auto byte = static_cast<std::uint8_t>(next());
      if (shift == 63 && (byte & 0x7E) != 0) {
        fail("a number past 64 bits");
      }
      v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
      if ((byte & 0x80) == 0) {
        return v;
      }
    }
    fail("a number past 64 bits");
  }

  // Every element takes at least one byte, so a count past the bytes left is malformed (and
  // never becomes a huge allocation).
  std::size_t count() {
    const std::uint64_t n = varint();
    if (n > in_.size() - pos_) {
      fail("a count past the end");
    }
    return static_cast<std::size_t>(n);
  }

  template <class T> void get(T& v) {
    if constexpr (std::is_same_v<T, bool>) {
      const char byte = next();
      if (byte != '\0' && byte != '\1') {
        fail("a boolean that is neither 0 nor 1");
      }
      v = byte == '\1';
    } else if constexpr (std::is_enum_v<T>) {
      const std::uint64_t raw = varint();
      if (raw > static_cast<std::uint64_t>(std::numeric_limits<std::underlying_type_t<T>>::max())) {
        fail("an enumerator out of range");
      }
      v = static_cast<T>(raw);
    } else if constexpr (std::is_unsigned_v<T>) {
      v = varint();
    } else if constexpr (std::is_same_v<T, double>) {
      std::uint64_t bits = 0;
      for (int shift = 0; shift < 64; shift += 8) {
        bits |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(next())) << shift;
      }
      v = std::bit_cast<double>(bits);
    } else if constexpr (std::is_same_v<T, std::string>) {
      const std::size_t n = count();
      v.assign(in_.substr(pos_, n));
      pos_ += n;
    } else if constexpr (is_vector<T>::value) {
      v.resize(count());
      for (auto& element : v) {
        get(element);
      }
    } else if constexpr (is_map<T>::value) {
      const std::size_t n = count();
      for (std::size_t i = 0; i < n; ++i) {
        typename T::key_type key;
        typename T::mapped_type value;
        get(key);
        get(value);
        v.insert_or_assign(std::move(key), std::move(value));
      }
    } else if constexpr (is_optional<T>::value) {
      bool present = false;
      get(present);
      if (present) {
        get(v.emplace());
      } else {
        v.reset();
      }
    } else if constexpr (is_pair<T>::value) {
      get(v.first);
      get(v.second);
    } else {
      std::apply([this](auto&... m) { (this->get(m), ...); }, members(v));
    }
  }

private:
  char next() {
    if (pos_ >= in_.size()) {
      fail("it ends early");
    }
    return in_[pos_++];
  }

  std::string_view in_;
  std::size_t pos_ = 0;
};

} // namespace

std::string write_image(const Catalog& catalog) {
  Writer w;
  w.out.append(k_magic);
  w.put(catalog.version());
  w.put(catalog.models());
  w.put(catalog.gpus());
  w.put(catalog.precisions());
  w.put(catalog.licenses());
  return std::move(w.out);
}

Catalog read_image(std::string_view image) {
  Reader r(image);
  r.expect(k_magic);
  Catalog catalog;
  r.get(catalog.version_);
  r.get(catalog.models_);
  r.get(catalog.gpus_);
  r.get(catalog.precisions_);
  r.get(catalog.licenses_);
  r.expect_end();
  return catalog;
}

} // namespace modelpick::catalog
