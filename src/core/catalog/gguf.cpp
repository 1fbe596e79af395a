#include "modelpick/catalog/gguf.hpp"

#include <algorithm>
#include <cstring>
#include <fmt/format.h>

#include "modelpick/error.hpp"
#include "modelpick/util/numbers.hpp"

namespace modelpick::catalog {
namespace {

// Hostile-input limits, far past any real file (a 2025 GGUF holds < 5,000 tensors and a
// tokenizer of < 300,000 strings).
constexpr std::uint64_t k_max_tensors = 1'000'000;
constexpr std::uint64_t k_max_metadata = 1'000'000;
constexpr std::uint64_t k_max_string = 16U << 20;
constexpr std::uint64_t k_max_key = 1U << 16;
constexpr std::uint64_t k_max_array = 1ULL << 26;
constexpr std::uint64_t k_max_stored_ints = 1U << 16;
// Integer arrays kept in all (8 bytes a value, whatever the stored width): the per-layer arrays
// the sizing reads are a few hundred values; the tokenizer's are skipped, not widened 8x.
constexpr std::uint64_t k_max_stored_ints_total = 1U << 20;
constexpr std::uint32_t k_max_dims = 4; // GGML_MAX_DIMS

struct NeedMore {};

class Cursor {
public:
  Cursor(std::span<const unsigned char> data, std::uint64_t file_size, const std::string& origin)
      : data_(data), file_size_(file_size), origin_(origin) {}

  [[noreturn]] void fail(const std::string& what) const {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{}: not a usable GGUF file: {}", origin_, what));
  }

  void need(std::uint64_t n) const {
    if (n > data_.size() - pos_) {
      if (data_.size() < file_size_) {
        throw NeedMore{};
      }
      fail(fmt::format("truncated at byte {} (the header needs {} more bytes)", pos_, n));
    }
  }

  template <typename T> T read() {
    need(sizeof(T));
    T value;
    std::memcpy(&value, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }

  std::string string(std::uint64_t max, const char* what) {
    const auto n = read<std::uint64_t>();
    if (n > max) {
      fail(fmt::format("a {} of {} bytes (at most {} accepted)", what, n, max));
    }
    need(n);
    std::string s(reinterpret_cast<const char*>(data_.data() + pos_), n);
    pos_ += n;
    return s;
  }

  void skip(std::uint64_t n) {
    need(n);
    pos_ += n;
  }

  [[nodiscard]] std::uint64_t pos() const { return pos_; }

private:
  std::span<const unsigned char> data_;
  std::uint64_t file_size_;
  const std::string& origin_;
  std::uint64_t pos_ = 0;
};

// GGUF value types.
enum : std::uint32_t { u8, i8, u16, i16, u32, i32, f32, boolean, string, array, u64, i64, f64 };

std::uint64_t fixed_size(std::uint32_t type) {
  switch (type) {
  case u8:
  case i8:
  case boolean:
    return 1;
  case u16:
  case i16:
    return 2;
  case u32:
  case i32:
  case f32:
    return 4;
  case u64:
  case i64:
  case f64:
    return 8;
  default:
    return 0;
  }
}

// A signed value read as T; negative values come back as nullopt.
template <typename T> std::optional<std::uint64_t> non_negative(Cursor& c) {
  const auto v = c.read<T>();
  return v < 0 ? std::nullopt : std::optional<std::uint64_t>(static_cast<std::uint64_t>(v));
}

// Reads an integer of `type`; negative values come back as nullopt.
std::optional<std::uint64_t> read_integer(Cursor& c, std::uint32_t type) {
  switch (type) {
  case u8:
  case boolean:
    return c.read<std::uint8_t>();
  case i8:
    return non_negative<std::int8_t>(c);
  case u16:
    return c.read<std::uint16_t>();
  case i16:
    return non_negative<std::int16_t>(c);
  case u32:
    return c.read<std::uint32_t>();
  case i32:
    return non_negative<std::int32_t>(c);
  case u64:
    return c.read<std::uint64_t>();
  case i64:
    return non_negative<std::int64_t>(c);
  default:
    c.skip(fixed_size(type)); // floats
    return std::nullopt;
  }
}

void read_value(Cursor& c, std::uint32_t type, const std::string& key, GgufHeader& h, int depth) {
  if (type == string) {
    h.strings[key] = c.string(k_max_string, "string value");
    return;
  }
  if (type == array) {
    if (depth > 1) {
      c.fail(fmt::format("metadata \"{}\" nests arrays deeper than 2 levels", key));
    }
    const auto elem = c.read<std::uint32_t>();
    const auto count = c.read<std::uint64_t>();
    if (count > k_max_array) {
      c.fail(fmt::format("metadata \"{}\" is an array of {} elements (at most {} accepted)", key, count, k_max_array));
    }
    h.array_lengths[key] = count;
    if (elem == string || elem == array) {
      for (std::uint64_t i = 0; i < count; ++i) {
        if (elem == string) {
          c.string(k_max_string, "string in an array");
        } else {
          read_value(c, array, key + "[]", h, depth + 1);
        }
      }
      return;
    }
    const std::uint64_t size = fixed_size(elem);
    if (size == 0) {
      c.fail(fmt::format("metadata \"{}\" has element type {}, which GGUF does not define", key, elem));
    }
    const bool keep = elem != f32 && elem != f64 && count <= k_max_stored_ints && key.rfind("tokenizer.", 0) != 0 &&
                      h.stored_ints + count <= k_max_stored_ints_total;
    if (!keep) {
      c.skip(count * size);
      return;
    }
    std::vector<std::uint64_t> values;
    for (std::uint64_t i = 0; i < count; ++i) {
      values.push_back(read_integer(c, elem).value_or(0));
    }
    h.stored_ints += values.size();
    h.integer_arrays[key] = std::move(values);
    return;
  }
  if (fixed_size(type) == 0) {
    c.fail(fmt::format("metadata \"{}\" has type {}, which GGUF does not define", key, type));
  }
  if (const auto v = read_integer(c, type)) {
    h.integers[key] = *v;
  }
}

} // namespace

std::optional<GgmlType> ggml_type(std::uint32_t type) {
  // ggml/include/ggml.h enum ggml_type and the block structs of ggml-common.h.
  static const std::map<std::uint32_t, GgmlType> types = {
      {0, {"F32", 1, 4}},         {1, {"F16", 1, 2}},         {2, {"Q4_0", 32, 18}},      {3, {"Q4_1", 32, 20}},
      {6, {"Q5_0", 32, 22}},      {7, {"Q5_1", 32, 24}},      {8, {"Q8_0", 32, 34}},      {9, {"Q8_1", 32, 36}},
      {10, {"Q2_K", 256, 84}},    {11, {"Q3_K", 256, 110}},   {12, {"Q4_K", 256, 144}},   {13, {"Q5_K", 256, 176}},
      {14, {"Q6_K", 256, 210}},   {15, {"Q8_K", 256, 292}},   {16, {"IQ2_XXS", 256, 66}}, {17, {"IQ2_XS", 256, 74}},
      {18, {"IQ3_XXS", 256, 98}}, {19, {"IQ1_S", 256, 50}},   {20, {"IQ4_NL", 32, 18}},   {21, {"IQ3_S", 256, 110}},
      {22, {"IQ2_S", 256, 82}},   {23, {"IQ4_XS", 256, 136}}, {24, {"I8", 1, 1}},         {25, {"I16", 1, 2}},
      {26, {"I32", 1, 4}},        {27, {"I64", 1, 8}},        {28, {"F64", 1, 8}},        {29, {"IQ1_M", 256, 56}},
      {30, {"BF16", 1, 2}},       {34, {"TQ1_0", 256, 54}},   {35, {"TQ2_0", 256, 66}},   {39, {"MXFP4", 32, 17}},
  };
  const auto it = types.find(type);
  return it == types.end() ? std::nullopt : std::optional<GgmlType>(it->second);
}

std::optional<GgufHeader> parse_gguf_header(std::span<const unsigned char> data, std::uint64_t file_size,
                                            const std::string& origin) {
  Cursor c(data, file_size, origin);
  try {
    GgufHeader h;
    if (c.read<std::uint32_t>() != 0x46554747U) { // "GGUF" little-endian
      c.fail("it does not start with the magic bytes \"GGUF\"");
    }
    h.version = c.read<std::uint32_t>();
    if (h.version != 2 && h.version != 3) {
      c.fail(
          fmt::format("version {} (versions 2 and 3 are read; a big-endian file reads as a huge version)", h.version));
    }
    const auto tensor_count = c.read<std::uint64_t>();
    const auto metadata_count = c.read<std::uint64_t>();
    if (tensor_count > k_max_tensors || metadata_count > k_max_metadata) {
      c.fail(fmt::format("{} tensors and {} metadata entries (at most {} and {} accepted)", tensor_count,
                         metadata_count, k_max_tensors, k_max_metadata));
    }
    for (std::uint64_t i = 0; i < metadata_count; ++i) {
      const std::string key = c.string(k_max_key, "metadata key");
      read_value(c, c.read<std::uint32_t>(), key, h, 0);
    }
    for (std::uint64_t i = 0; i < tensor_count; ++i) {
      GgufTensor t;
      t.name = c.string(k_max_key, "tensor name");
      const auto dims = c.read<std::uint32_t>();
      if (dims == 0 || dims > k_max_dims) {
        c.fail(fmt::format("tensor \"{}\" has {} dimensions (1 to {} accepted)", t.name, dims, k_max_dims));
      }
      t.elements = 1;
      for (std::uint32_t d = 0; d < dims; ++d) {
        const auto n = c.read<std::uint64_t>();
        if (n == 0 || __builtin_mul_overflow(t.elements, n, &t.elements) || t.elements > (1ULL << 50)) {
          c.fail(fmt::format("tensor \"{}\" has an impossible shape", t.name));
        }
        t.dims.push_back(n);
      }
      t.type = c.read<std::uint32_t>();
      t.offset = c.read<std::uint64_t>();
      const auto type = ggml_type(t.type);
      if (!type) {
        c.fail(fmt::format("tensor \"{}\" has ggml type {}, which modelpick does not know", t.name, t.type));
      }
      if (t.dims[0] % type->block != 0) {
        c.fail(fmt::format("tensor \"{}\" rows of {} do not split into {} blocks of {}", t.name, t.dims[0], type->name,
                           type->block));
      }
      t.bytes = t.elements / type->block * type->bytes;
      h.tensors.push_back(std::move(t));
    }
    h.header_bytes = c.pos();
    const std::uint64_t alignment = h.integers.count("general.alignment") ? h.integers["general.alignment"] : 32;
    if (alignment == 0 || (alignment & (alignment - 1)) != 0 || alignment > (1U << 20)) {
      c.fail(fmt::format("general.alignment {} is not a power of two up to 1 MiB", alignment));
    }
    h.data_offset = (h.header_bytes + alignment - 1) / alignment * alignment;
    // The tensor table must describe tensors that do not overlap; the data itself may be
    // missing (a partial download that holds the whole header is sized from its table).
    std::vector<std::pair<std::uint64_t, std::uint64_t>> spans; // [offset, end) in the data section
    for (const GgufTensor& t : h.tensors) {
      std::uint64_t end = 0;
      if (__builtin_add_overflow(t.offset, t.bytes, &end) || __builtin_add_overflow(h.data_offset, end, &end)) {
        c.fail(fmt::format("tensor \"{}\" at offset {} of {} bytes reaches past 2^64", t.name, t.offset, t.bytes));
      }
      spans.emplace_back(t.offset, t.offset + t.bytes);
      h.data_end = std::max(h.data_end, end);
    }
    h.file_size = file_size;
    std::sort(spans.begin(), spans.end());
    for (std::size_t i = 1; i < spans.size(); ++i) {
      if (spans[i].first < spans[i - 1].second) {
        c.fail(fmt::format("two tensors overlap at data offset {}: the tensor table is not a real file's",
                           spans[i].first));
      }
    }
    return h;
  } catch (const NeedMore&) {
    return std::nullopt;
  }
}

namespace {

std::string dominant_type(const std::vector<std::pair<std::string, std::uint64_t>>& by_type) {
  return by_type.empty() ? "?" : by_type.front().first;
}

} // namespace

ConfigImport model_from_gguf(const GgufHeader& h, const std::string& origin) {
  ConfigImport out;
  const auto arch_it = h.strings.find("general.architecture");
  if (arch_it == h.strings.end()) {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{}: no \"general.architecture\" in the metadata", origin));
  }
  const std::string arch = arch_it->second;
  if (h.tensors.empty()) {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{}: the GGUF file holds no tensors", origin));
  }
  const auto key = [&](const char* suffix) { return arch + "." + suffix; };
  const auto integer = [&](const char* suffix, bool required) -> std::optional<std::uint64_t> {
    const std::string k = key(suffix);
    if (const auto it = h.integers.find(k); it != h.integers.end()) {
      out.used.push_back(fmt::format("{} = {}", k, it->second));
      return it->second;
    }
    if (const auto it = h.integer_arrays.find(k); it != h.integer_arrays.end() && !it->second.empty()) {
      const std::uint64_t largest = *std::max_element(it->second.begin(), it->second.end());
      out.assumed.push_back(fmt::format("{} varies by layer; the largest, {}, is used", k, largest));
      return largest;
    }
    if (required) {
      throw Error(ErrorKind::invalid_catalog, fmt::format("{}: no \"{}\" in the metadata", origin, k));
    }
    return std::nullopt;
  };
  const auto bounded = [&](std::uint64_t v, const char* what, std::uint64_t max) {
    if (v == 0 || v > max) {
      throw Error(ErrorKind::invalid_catalog,
                  fmt::format("{}: {}.{} = {} is out of range (1 to {})", origin, arch, what, v, max));
    }
    return v;
  };

  // A per-layer array of `suffix` (nullopt when the key is a scalar or absent).
  const auto per_layer = [&](const char* suffix) -> const std::vector<std::uint64_t>* {
    const auto it = h.integer_arrays.find(key(suffix));
    return it == h.integer_arrays.end() ? nullptr : &it->second;
  };
  const auto scalar = [&](const char* suffix, bool required, std::uint64_t max) -> std::optional<std::uint64_t> {
    const std::string k = key(suffix);
    if (const auto it = h.integers.find(k); it != h.integers.end()) {
      out.used.push_back(fmt::format("{} = {}", k, it->second));
      if (it->second > max) {
        throw Error(ErrorKind::invalid_catalog,
                    fmt::format("{}: {} = {} is out of range (0 to {})", origin, k, it->second, max));
      }
      return it->second;
    }
    if (required) {
      throw Error(ErrorKind::invalid_catalog, fmt::format("{}: no \"{}\" in the metadata", origin, k));
    }
    return std::nullopt;
  };

  Architecture a;
  a.source = origin;
  const std::uint64_t blocks = bounded(*integer("block_count", true), "block_count", 10'000);
  // MTP blocks sit after the trunk (glm4moe, qwen35: nextn_predict_layers); their bytes count,
  // their attention never caches
  const std::uint64_t nextn = scalar("nextn_predict_layers", false, blocks - 1).value_or(0);
  a.layers = blocks;
  a.hidden_size = bounded(*integer("embedding_length", true), "embedding_length", 1'000'000);
  a.attention_heads = bounded(*integer("attention.head_count", true), "attention.head_count", 100'000);
  const std::vector<std::uint64_t>* kv_array = per_layer("attention.head_count_kv");
  if (kv_array != nullptr && kv_array->size() != blocks) {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{}: {} has {} entries for {} blocks", origin,
                                                        key("attention.head_count_kv"), kv_array->size(), blocks));
  }
  if (kv_array != nullptr) {
    const std::uint64_t largest = *std::max_element(kv_array->begin(), kv_array->end());
    a.kv_heads = bounded(largest, "attention.head_count_kv", a.attention_heads);
    out.used.push_back(fmt::format("{} per layer", key("attention.head_count_kv")));
  } else {
    a.kv_heads = bounded(integer("attention.head_count_kv", false).value_or(a.attention_heads),
                         "attention.head_count_kv", a.attention_heads);
  }
  if (a.attention_heads < a.kv_heads || a.hidden_size < a.attention_heads) {
    if (!h.integers.count(key("attention.key_length"))) {
      throw Error(ErrorKind::invalid_catalog,
                  fmt::format("{}: {} {} is smaller than {} {} and there is no {}", origin, key("embedding_length"),
                              a.hidden_size, key("attention.head_count"), a.attention_heads,
                              key("attention.key_length")));
    }
  }
  a.head_dim = bounded(integer("attention.key_length", false).value_or(a.hidden_size / a.attention_heads),
                       "attention.key_length", 65'536);
  const std::uint64_t context = bounded(*integer("context_length", true), "context_length", 1'000'000'000);
  const auto window = [&]() {
    return bounded(*integer("attention.sliding_window", true), "attention.sliding_window", 1'000'000'000);
  };

  // Recurrent mixers: Mamba-1/2 and Gated DeltaNet (ssm.*), Kimi Delta Attention (kda.head_dim).
  const auto conv = scalar("ssm.conv_kernel", false, 1'024);
  const auto inner = scalar("ssm.inner_size", false, 10'000'000);
  const auto state = scalar("ssm.state_size", false, 65'536);
  const auto dt_rank = scalar("ssm.time_step_rank", false, 1'000'000);
  const auto groups = scalar("ssm.group_count", false, 1'000'000);
  const auto kda = scalar("kda.head_dim", false, 65'536);
  const bool gated_deltanet = arch == "qwen3next" || arch == "qwen35" || arch == "qwen35moe";
  const AttentionKind recurrent_kind = (kda || gated_deltanet) ? AttentionKind::linear : AttentionKind::mamba;
  const bool has_recurrent = kda.has_value() || (conv && inner && state);
  if (kda) {
    LinearAttention g;
    g.kind = LinearKind::kda;
    g.key_heads = g.value_heads = a.attention_heads;
    g.key_head_dim = g.value_head_dim = bounded(*kda, "kda.head_dim", 65'536);
    g.conv_kernel = conv.value_or(4);
    a.linear = g;
  } else if (has_recurrent && gated_deltanet) {
    // llama.cpp's convert: group_count = K heads, time_step_rank = V heads, state_size = head dim
    LinearAttention g;
    g.kind = LinearKind::gated_deltanet;
    g.key_heads = bounded(groups.value_or(0), "ssm.group_count", 100'000);
    g.value_heads = bounded(dt_rank.value_or(0), "ssm.time_step_rank", 100'000);
    g.key_head_dim = bounded(*state, "ssm.state_size", 65'536);
    g.value_head_dim = bounded(*inner / g.value_heads, "ssm.inner_size / ssm.time_step_rank", 65'536);
    g.conv_kernel = bounded(*conv, "ssm.conv_kernel", 1'024);
    a.linear = g;
  } else if (has_recurrent) {
    Mamba m;
    m.d_conv = bounded(*conv, "ssm.conv_kernel", 1'024);
    m.d_inner = bounded(*inner, "ssm.inner_size", 10'000'000);
    m.d_state = bounded(*state, "ssm.state_size", 65'536);
    if (groups && *groups > 0) { // Mamba-2: time_step_rank is the head count
      m.heads = bounded(dt_rank.value_or(0), "ssm.time_step_rank", 1'000'000);
      m.head_dim = m.d_inner / m.heads;
      m.groups = *groups;
      if (m.heads * m.head_dim != m.d_inner) {
        throw Error(ErrorKind::invalid_catalog, fmt::format("{}: ssm.inner_size {} is not a multiple of the {} heads "
                                                            "(ssm.time_step_rank)",
                                                            origin, m.d_inner, m.heads));
      }
    } else {
      m.dt_rank = bounded(dt_rank.value_or(0), "ssm.time_step_rank", 1'000'000);
    }
    a.mamba = m;
  }
  if (has_recurrent) {
    // llama.cpp keeps the conv (r) and recurrent (s) states in f32
    a.conv_state_bytes = 4;
    a.recurrent_state_bytes = 4;
  }

  // The layers: per-layer KV heads (0 = recurrent or no attention), an interval, a SWA pattern.
  std::vector<AttentionLayer> layers(blocks, AttentionLayer{AttentionKind::full, 0});
  const std::vector<std::uint64_t>* ff_array = per_layer("feed_forward_length");
  const auto recurrent_flags = per_layer("attention.recurrent_layers");
  const auto interval = scalar("full_attention_interval", false, blocks);
  for (std::uint64_t i = 0; i < blocks; ++i) {
    AttentionLayer& l = layers[i];
    if (i >= blocks - nextn) {
      l.kind = AttentionKind::none; // an MTP block: not run, not cached
      continue;
    }
    bool recurrent = false;
    if (recurrent_flags != nullptr && recurrent_flags->size() == blocks) {
      recurrent = (*recurrent_flags)[i] != 0;
    } else if (gated_deltanet) {
      recurrent = (i + 1) % interval.value_or(4) != 0;
    } else if (kv_array != nullptr && (*kv_array)[i] == 0) {
      // nemotron_h: a block with neither KV heads nor an FFN is a Mamba block; with an FFN, an MLP
      const bool mlp_block =
          arch.rfind("nemotron_h", 0) == 0 && ff_array != nullptr && ff_array->size() == blocks && (*ff_array)[i] > 0;
      recurrent = has_recurrent && !mlp_block;
      if (!recurrent) {
        l.kind = AttentionKind::none;
        continue;
      }
    } else if (arch == "mamba" || arch == "mamba2") {
      recurrent = true;
    }
    if (recurrent) {
      if (!has_recurrent) {
        throw Error(
            ErrorKind::invalid_catalog,
            fmt::format("{}: layer {} is recurrent but the metadata has no ssm.* or kda.head_dim sizes", origin, i));
      }
      l.kind = recurrent_kind;
      continue;
    }
    if (kv_array != nullptr) {
      l.kv_heads = (*kv_array)[i];
      if (a.attention_heads % l.kv_heads != 0) {
        throw Error(ErrorKind::invalid_catalog,
                    fmt::format("{}: layer {}: {} attention heads are not a multiple of its {} KV heads", origin, i,
                                a.attention_heads, l.kv_heads));
      }
    }
  }
  if (const auto kv_lora = integer("attention.kv_lora_rank", false)) {
    const std::uint64_t rope =
        bounded(integer("rope.dimension_count", false).value_or(1), "rope.dimension_count", 65'536);
    a.mla = Mla{integer("attention.q_lora_rank", false).value_or(0),
                bounded(*kv_lora, "attention.kv_lora_rank", 1'000'000), 1, rope, 1};
    if (const auto index_dim = scalar("attention.indexer.key_length", false, 65'536)) {
      a.mla->index_head_dim = bounded(*index_dim, "attention.indexer.key_length", 65'536);
      a.mla->index_n_heads =
          bounded(scalar("attention.indexer.head_count", true, 65'536).value(), "attention.indexer.head_count", 65'536);
    }
    for (AttentionLayer& l : layers) {
      if (l.kind == AttentionKind::full) {
        l.kind = AttentionKind::mla;
        l.kv_heads = 0;
      }
    }
  } else if (h.integers.count(key("attention.sliding_window")) ||
             h.integer_arrays.count(key("attention.sliding_window_pattern"))) {
    // which layers slide: a per-layer bool array (gemma4), a period (gemma3n: layer i slides
    // when i % n < n - 1), or the family's known pattern
    const auto* swa_flags = per_layer("attention.sliding_window_pattern");
    const auto period = scalar("attention.sliding_window_pattern", false, blocks);
    std::uint64_t known = 0;
    if (arch == "gemma3") {
      known = 6;
    } else if (arch == "gemma2" || arch == "gpt-oss") {
      known = 2;
    }
    if (swa_flags == nullptr && !period && known == 0) {
      out.assumed.push_back(fmt::format("{}: which layers slide is not in the metadata for '{}'; all counted as full "
                                        "attention",
                                        key("attention.sliding_window"), arch));
    } else {
      const std::uint64_t w = window();
      const std::uint64_t swa_head_dim = scalar("attention.key_length_swa", false, 65'536).value_or(0);
      for (std::uint64_t i = 0; i < blocks; ++i) {
        const bool slides = swa_flags != nullptr    ? (i < swa_flags->size() && (*swa_flags)[i] != 0)
                            : period && *period > 0 ? i % *period < *period - 1
                                                    : (known == 2 ? i % 2 == 0 : i % known < known - 1);
        if (slides && layers[i].kind == AttentionKind::full) {
          layers[i].kind = AttentionKind::sliding;
          layers[i].window = w;
          layers[i].head_dim = swa_head_dim;
        }
      }
    }
  }
  if (const auto shared = scalar("attention.shared_kv_layers", false, blocks)) {
    for (std::uint64_t i = blocks - *shared; i < blocks; ++i) {
      layers[i].shares_kv = true;
    }
  }
  // a uniform model keeps a one-entry pattern
  if (std::all_of(layers.begin(), layers.end(), [&](const AttentionLayer& l) { return l == layers.front(); })) {
    layers.resize(1);
  } else if (std::all_of(layers.begin(), layers.end(),
                         [](const AttentionLayer& l) {
                           return l.kind == AttentionKind::none || l.kind == AttentionKind::linear ||
                                  l.kind == AttentionKind::mamba;
                         }) &&
             !has_recurrent) {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{}: no layer of the metadata mixes tokens", origin));
  }
  a.attention_pattern = std::move(layers);
  compress_pattern(a);

  // Exact bytes per tensor, placed by block.
  StoredWeights w;
  w.layer_bytes.assign(a.layers, 0);
  std::map<std::string, std::uint64_t> by_type;
  std::uint64_t expert_bytes = 0;
  bool has_output = false;
  std::uint64_t embedding_bytes = 0;
  for (const GgufTensor& t : h.tensors) {
    w.params = util::checked_add(w.params, t.elements, "parameter count");
    by_type[ggml_type(t.type)->name] += t.bytes;
    if (t.name.rfind("blk.", 0) == 0) {
      const std::uint64_t layer = std::strtoull(t.name.c_str() + 4, nullptr, 10);
      if (layer >= a.layers) {
        throw Error(ErrorKind::invalid_catalog,
                    fmt::format("{}: tensor \"{}\" names a block beyond block_count {}", origin, t.name, a.layers));
      }
      w.layer_bytes[layer] += t.bytes;
      expert_bytes += t.name.find("_exps") != std::string::npos ? t.bytes : 0;
    } else if (t.name == "output.weight") {
      has_output = true;
      w.last_stage_bytes += t.bytes;
    } else if (t.name.rfind("output_norm", 0) == 0) {
      w.last_stage_bytes += t.bytes;
    } else {
      embedding_bytes += t.name == "token_embd.weight" ? t.bytes : 0;
      w.first_stage_bytes += t.bytes;
    }
  }
  w.tied_head_bytes = has_output ? 0 : embedding_bytes;
  a.tied_embeddings = !has_output;
  std::uint64_t total = util::checked_add(w.first_stage_bytes, w.last_stage_bytes, "weight bytes");
  for (const std::uint64_t b : w.layer_bytes) {
    total = util::checked_add(total, b, "weight bytes");
  }
  w.active_bytes = total;
  if (expert_bytes > 0) {
    const std::uint64_t experts = integer("expert_count", true).value();
    const std::uint64_t used = integer("expert_used_count", true).value();
    if (experts == 0 || used == 0 || used > experts) {
      throw Error(ErrorKind::invalid_catalog,
                  fmt::format("{}: expert_used_count {} of expert_count {}", origin, used, experts));
    }
    w.active_bytes = total - expert_bytes + util::mul_div_ceil(expert_bytes, used, experts, "active bytes");
    Moe m;
    m.experts = experts;
    m.experts_per_token = used;
    m.expert_intermediate_size = 1;
    a.moe = m;
  }
  w.bytes_by_type.assign(by_type.begin(), by_type.end());
  std::stable_sort(w.bytes_by_type.begin(), w.bytes_by_type.end(),
                   [](const auto& x, const auto& y) { return x.second > y.second; });
  w.format = "GGUF, mostly " + dominant_type(w.bytes_by_type);
  a.vocab_size = h.array_lengths.count("tokenizer.ggml.tokens") ? h.array_lengths.at("tokenizer.ggml.tokens") : 1;

  Model& m = out.model;
  m.id = h.strings.count("general.name") ? h.strings.at("general.name") : std::string("gguf");
  m.name = m.id;
  m.publisher = "GGUF file";
  m.license = h.strings.count("general.license") ? h.strings.at("general.license") : "unknown";
  m.native_precision = "gguf";
  m.max_context_tokens = context;
  m.category = a.moe ? Category::moe : Category::dense;
  m.architecture = a;
  m.stored = w;
  m.sources = {{"architecture", origin}, {"context", origin}, {"weights", origin}};
  m.origin = origin;
  out.used.push_back(fmt::format("general.architecture = {}", arch));
  out.rule = "GGUF " + arch;
  if (h.data_end > h.file_size) {
    out.assumed.push_back(fmt::format("a partial download: the file holds {} of its {} bytes; sized from its tensor "
                                      "table, which is complete",
                                      util::group_digits(h.file_size), util::group_digits(h.data_end)));
  }
  if (const std::string problem = architecture_problem(a); !problem.empty()) {
    throw Error(ErrorKind::invalid_catalog, fmt::format("{}: {}", origin, problem));
  }
  return out;
}

} // namespace modelpick::catalog
