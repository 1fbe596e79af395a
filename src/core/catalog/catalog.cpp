#include "modelpick/catalog/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "modelpick/error.hpp"
#include "modelpick/util/json_text.hpp"
#include "modelpick/util/names.hpp"
#include "modelpick/util/spellcheck.hpp"

namespace modelpick::catalog {

using util::name_of;
using util::names_of;
using util::value_of;

using nlohmann::json;

namespace {

// One table per enum serves both directions: catalog text -> value and value -> text.
constexpr std::pair<Category, std::string_view> k_category_names[] = {
    {Category::dense, "dense"},       {Category::moe, "moe"},
    {Category::small, "small"},       {Category::long_context, "long-context"},
    {Category::api_only, "api-only"},
};
constexpr std::pair<AttentionKind, std::string_view> k_attention_names[] = {
    {AttentionKind::full, "full"},   {AttentionKind::sliding, "sliding"}, {AttentionKind::chunked, "chunked"},
    {AttentionKind::mla, "mla"},     {AttentionKind::linear, "linear"},   {AttentionKind::mamba, "mamba"},
    {AttentionKind::cross, "cross"}, {AttentionKind::none, "none"},
};
constexpr std::pair<FfnKind, std::string_view> k_ffn_names[] = {
    {FfnKind::model, "model"}, {FfnKind::dense, "dense"}, {FfnKind::moe, "moe"}, {FfnKind::none, "none"}};
constexpr std::pair<LinearKind, std::string_view> k_linear_names[] = {
    {LinearKind::lightning, "lightning"}, {LinearKind::gated_deltanet, "gated-deltanet"}, {LinearKind::kda, "kda"}};

constexpr std::pair<Use, std::string_view> k_use_names[] = {
    {Use::serve, "serve"},         {Use::hosted_api, "hosted-api"},
    {Use::fine_tune, "fine-tune"}, {Use::redistribute, "redistribute"},
    {Use::distill, "distill"},     {Use::train_other_models, "train-other-models"},
};

} // namespace

std::string_view to_string(Use u) {
  return name_of(k_use_names, u);
}

std::optional<Use> use_from_string(std::string_view text) {
  return value_of(k_use_names, text);
}

std::string use_names() {
  return names_of(k_use_names);
}

std::string_view to_string(Category c) {
  return name_of(k_category_names, c);
}

std::optional<Category> category_from_string(std::string_view text) {
  return value_of(k_category_names, text);
}

std::string category_names() {
  return names_of(k_category_names);
}

std::string_view to_string(AttentionKind k) {
  return name_of(k_attention_names, k);
}

std::string architecture_problem(const Architecture& a) {
  if (a.layers == 0 || a.hidden_size == 0 || a.attention_heads == 0 || a.kv_heads == 0 || a.head_dim == 0 ||
      a.vocab_size == 0) {
    return "layers, hidden_size, attention_heads, kv_heads, head_dim and vocab_size must each be at least 1";
  }
  if (a.attention_pattern.empty() || a.attention_pattern.size() > a.layers) {
    return fmt::format("the attention pattern has {} entries for {} layers", a.attention_pattern.size(), a.layers);
  }
  bool any_linear = false;
  for (std::size_t i = 0; i < a.attention_pattern.size(); ++i) {
    const AttentionLayer& l = a.attention_pattern[i];
    const std::uint64_t heads = l.attention_heads > 0 ? l.attention_heads : a.attention_heads;
    const std::uint64_t kv = l.kv_heads > 0 ? l.kv_heads : a.kv_heads;
    if (heads % kv != 0) {
      return fmt::format("layer {}: {} attention heads are not a multiple of {} KV heads", i, heads, kv);
    }
    if ((l.kind == AttentionKind::sliding || l.kind == AttentionKind::chunked) && l.window == 0) {
      return fmt::format("layer {}: a {} layer needs a window of at least 1 token", i, to_string(l.kind));
    }
    if (l.ffn == FfnKind::moe && !a.moe) {
      return fmt::format("layer {}: an MoE feed-forward needs the model's experts", i);
    }
    any_linear = any_linear || l.kind == AttentionKind::linear;
  }
  if (a.linear && !any_linear) {
    return "a linear-attention block without any layer of kind linear";
  }
  if (a.mamba && (a.mamba->d_state == 0 || a.mamba->d_conv == 0 || a.mamba->d_inner == 0)) {
    return "mamba d_state, d_conv and d_inner must each be at least 1";
  }
  if (a.linear && (a.linear->key_heads == 0 || a.linear->value_heads == 0 || a.linear->key_head_dim == 0 ||
                   a.linear->value_head_dim == 0)) {
    return "linear-attention heads and head dims must each be at least 1";
  }
  if (a.moe && (a.moe->experts_per_token == 0 || a.moe->experts_per_token > a.moe->experts)) {
    return fmt::format("experts per token {} must be between 1 and the {} experts", a.moe->experts_per_token,
                       a.moe->experts);
  }
  return {};
}

void compress_pattern(Architecture& a) {
  const std::size_t n = a.attention_pattern.size();
  std::vector<AttentionLayer> layers;
  layers.reserve(a.layers);
  for (std::uint64_t i = 0; i < a.layers; ++i) {
    layers.push_back(a.attention(i));
  }
  for (std::size_t p = 1; p < n; ++p) {
    bool repeats = true;
    for (std::size_t i = p; i < layers.size() && repeats; ++i) {
      repeats = layers[i] == layers[i % p];
    }
    if (repeats) {
      a.attention_pattern.assign(layers.begin(), layers.begin() + static_cast<std::ptrdiff_t>(p));
      return;
    }
  }
}

std::string_view to_string(FfnKind k) {
  return name_of(k_ffn_names, k);
}

std::string_view to_string(LinearKind k) {
  return name_of(k_linear_names, k);
}

namespace {

// Hostile-input limits: a catalog is a few hundred KiB; anything far past that is a mistake.
constexpr std::size_t k_max_document_bytes = 16U << 20;
constexpr int k_max_json_depth = 32;

const char* const k_sections[] = {"models", "gpus", "precisions", "licenses", "gpu_prices", "api_prices", "scores"};

// Fact groups that must carry a "source", per section.
const std::map<std::string, std::vector<std::string>> k_fact_groups = {
    {"models", {"params", "context", "license", "architecture", "api"}},
    {"gpus", {"memory", "performance", "node"}},
    {"precisions", {""}},
    {"licenses", {""}},
    {"gpu_prices", {""}},
    {"api_prices", {""}},
    {"scores", {""}},
};

std::string lowered(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

[[noreturn]] void invalid(const std::string& where, const std::string& what) {
  throw Error(ErrorKind::invalid_catalog, fmt::format("{}: {}", where, what));
}

json parse_document(const Document& doc) {
  json parsed =
      util::parse_json_object(doc.origin, doc.text, k_max_document_bytes, k_max_json_depth,
                              "a JSON object with \"models\", \"gpus\", \"precisions\", \"licenses\", \"gpu_prices\", "
                              "\"api_prices\" or \"scores\" arrays");
  for (const auto& [key, value] : parsed.items()) {
    const bool known = key == "catalog_version" || key == "$comment" ||
                       std::find(std::begin(k_sections), std::end(k_sections), key) != std::end(k_sections);
    if (!known) {
      invalid(doc.origin, fmt::format("unknown key \"{}\"; accepted: catalog_version, models, gpus, "
                                      "precisions, licenses, gpu_prices, api_prices, scores",
                                      key));
    }
    if (key != "catalog_version" && key != "$comment" && !value.is_array()) {
      invalid(doc.origin, fmt::format("\"{}\" must be an array of objects", key));
    }
  }
  return parsed;
}

// --- typed field readers ------------------------------------------------------------------

struct Reader {
  const json& node;
  std::string where;

  [[nodiscard]] const json* find(const char* key) const {
    const auto it = node.find(key);
    return it == node.end() || it->is_null() ? nullptr : &*it;
  }

  [[nodiscard]] std::string str(const char* key, bool required = true) const {
    const json* v = find(key);
    if (v == nullptr) {
      if (required) {
        invalid(where, fmt::format("missing \"{}\" (a string)", key));
      }
      return {};
    }
    if (!v->is_string()) {
      invalid(where, fmt::format("\"{}\" must be a string, got {}", key,
                                 v->dump(-1, ' ', false, json::error_handler_t::replace)));
    }
    return v->get<std::string>();
  }

  [[nodiscard]] std::uint64_t uint(const char* key, std::uint64_t min, std::uint64_t max,
                                   std::optional<std::uint64_t> fallback = std::nullopt) const {
    const json* v = find(key);
    if (v == nullptr) {
      if (fallback) {
        return *fallback;
      }
      invalid(where, fmt::format("missing \"{}\" (an integer from {} to {})", key, min, max));
    }
    if (!v->is_number_integer() || (v->is_number_integer() && !v->is_number_unsigned() && v->get<std::int64_t>() < 0) ||
        v->get<std::uint64_t>() < min || v->get<std::uint64_t>() > max) {
      invalid(where, fmt::format("\"{}\" must be an integer from {} to {}, got {}", key, min, max,
                                 v->dump(-1, ' ', false, json::error_handler_t::replace)));
    }
    return v->get<std::uint64_t>();
  }

  [[nodiscard]] double number(const char* key, double min, double max,
                              std::optional<double> fallback = std::nullopt) const {
    const json* v = find(key);
    if (v == nullptr) {
      if (fallback) {
        return *fallback;
      }
      invalid(where, fmt::format("missing \"{}\" (a number from {} to {})", key, min, max));
    }
    if (!v->is_number() || v->get<double>() < min || v->get<double>() > max) {
      invalid(where, fmt::format("\"{}\" must be a number from {} to {}, got {}", key, min, max,
                                 v->dump(-1, ' ', false, json::error_handler_t::replace)));
    }
    return v->get<double>();
  }

  [[nodiscard]] bool boolean(const char* key, bool fallback) const {
    const json* v = find(key);
    if (v == nullptr) {
      return fallback;
    }
    if (!v->is_boolean()) {
      invalid(where, fmt::format("\"{}\" must be true or false, got {}", key,
                                 v->dump(-1, ' ', false, json::error_handler_t::replace)));
    }
    return v->get<bool>();
  }

  [[nodiscard]] std::vector<std::string> strings(const char* key) const {
    std::vector<std::string> out;
    const json* v = find(key);
    if (v == nullptr) {
      return out;
    }
    if (!v->is_array()) {
      invalid(where, fmt::format("\"{}\" must be an array of strings", key));
    }
    for (const auto& s : *v) {
      if (!s.is_string()) {
        invalid(where, fmt::format("\"{}\" must be an array of strings, got {}", key,
                                   s.dump(-1, ' ', false, json::error_handler_t::replace)));
      }
      out.push_back(s.get<std::string>());
    }
    return out;
  }

  [[nodiscard]] Reader object(const char* key) const {
    const json* v = find(key);
    if (v == nullptr || !v->is_object()) {
      invalid(where, fmt::format("missing \"{}\" (an object)", key));
    }
    return Reader{*v, where + "." + key};
  }

  // An optional array of objects (none when absent), each read as "<where>.<key>[i]".
  [[nodiscard]] std::vector<Reader> objects(const char* key) const {
    std::vector<Reader> out;
    const json* v = find(key);
    if (v == nullptr) {
      return out;
    }
    if (!v->is_array() || !std::all_of(v->begin(), v->end(), [](const json& e) { return e.is_object(); })) {
      invalid(where, fmt::format("\"{}\" must be an array of objects", key));
    }
    for (std::size_t i = 0; i < v->size(); ++i) {
      out.push_back(Reader{(*v)[i], fmt::format("{}.{}[{}]", where, key, i)});
    }
    return out;
  }

  // The "source" of this fact group.
  [[nodiscard]] std::string source() const {
    const std::string s = str("source");
    if (s.empty()) {
      invalid(where, "\"source\" is empty; every fact needs the page it was read from");
    }
    return s;
  }
};

std::string entry_where(const std::string& section, const json& entry, std::size_t index) {
  const auto it = entry.find("id");
  if (it != entry.end() && it->is_string()) {
    return fmt::format("{}[id={}]", section, it->get<std::string>());
  }
  return fmt::format("{}[{}]", section, index);
}

void check_id(const std::string& id, const std::string& where) {
  const bool ok = !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_';
  });
  if (!ok) {
    invalid(where, fmt::format("id \"{}\" must be 1-64 characters of a-z, 0-9, '-', '.', '_'", id));
  }
}

// --- sections ---------------------------------------------------------------------------

constexpr std::uint64_t k_big = 1'000'000'000'000'000ULL; // 10^15: past any real count

// The fields every entry has: where it came from, its id and its display name.
template <typename T> T identified(const Reader& r, const std::string& origin) {
  T item;
  item.origin = origin;
  item.id = r.str("id");
  check_id(item.id, r.where);
  item.name = r.str("name");
  return item;
}

Category parse_category(const Reader& r) {
  const std::string c = r.str("category");
  if (const auto v = category_from_string(c)) {
    return *v;
  }
  invalid(r.where, fmt::format("category \"{}\" is not one of {}", c, category_names()));
}

AttentionLayer parse_attention_layer(const Reader& r) {
  const std::string name = r.str("kind");
  const auto kind = value_of(k_attention_names, name);
  if (!kind) {
    invalid(r.where, fmt::format("attention kind \"{}\" is not one of {}", name, names_of(k_attention_names)));
  }
  AttentionLayer l;
  l.kind = *kind;
  if (*kind == AttentionKind::sliding) {
    l.window = r.uint("window", 1, k_big);
  } else if (*kind == AttentionKind::chunked) {
    l.window = r.uint("chunk", 1, k_big);
  }
  l.attention_heads = r.uint("attention_heads", 1, 100'000, 0);
  l.kv_heads = r.uint("kv_heads", 1, 100'000, 0);
  l.head_dim = r.uint("head_dim", 1, 65'536, 0);
  l.shares_kv = r.boolean("shares_kv", false);
  l.linear_replacement = r.boolean("linear_replacement", false);
  l.value_from_key = r.boolean("value_from_key", false);
  if (l.linear_replacement && l.kind != AttentionKind::none) {
    invalid(r.where, "\"linear_replacement\" goes with attention kind \"none\"");
  }
  const std::string ffn = r.str("ffn", false);
  if (!ffn.empty()) {
    const auto f = value_of(k_ffn_names, ffn);
    if (!f) {
      invalid(r.where, fmt::format("ffn \"{}\" is not one of {}", ffn, names_of(k_ffn_names)));
    }
    l.ffn = *f;
  }
  l.ffn_intermediate_size = r.uint("ffn_intermediate_size", 1, 10'000'000, 0);
  return l;
}

Architecture parse_architecture(const Reader& r) {
  Architecture a;
  a.source = r.source();
  a.layers = r.uint("layers", 1, 10'000);
  a.hidden_size = r.uint("hidden_size", 1, 1'000'000);
  a.intermediate_size = r.uint("intermediate_size", 0, 10'000'000, 0);
  a.attention_heads = r.uint("attention_heads", 1, 100'000);
  a.kv_heads = r.uint("kv_heads", 1, a.attention_heads);
  a.head_dim = r.uint("head_dim", 1, 65'536);
  a.vocab_size = r.uint("vocab_size", 1, 100'000'000);
  a.tied_embeddings = r.boolean("tied_embeddings", false);
  a.attention_bias = r.boolean("attention_bias", false);
  a.mlp_gated = r.boolean("mlp_gated", true);
  a.attention_output_gate = r.boolean("attention_output_gate", false);
  a.mtp_layers = r.uint("mtp_layers", 0, 64, 0);
  a.mtp_own_embedding = r.boolean("mtp_own_embedding", false);
  const json* pattern = r.find("attention_pattern");
  if (pattern == nullptr) {
    a.attention_pattern = {AttentionLayer{}};
  } else {
    if (!pattern->is_array() || pattern->empty() || pattern->size() > a.layers) {
      invalid(r.where, "\"attention_pattern\" must be a non-empty array of at most `layers` entries");
    }
    for (std::size_t i = 0; i < pattern->size(); ++i) {
      const json& layer = (*pattern)[i];
      if (!layer.is_object()) {
        invalid(r.where, "\"attention_pattern\" entries must be objects such as {\"kind\": \"full\"}");
      }
      a.attention_pattern.push_back(
          parse_attention_layer(Reader{layer, fmt::format("{}.attention_pattern[{}]", r.where, i)}));
    }
  }
  if (a.attention_heads % a.kv_heads != 0) {
    invalid(r.where, fmt::format("attention_heads {} is not a multiple of kv_heads {}", a.attention_heads, a.kv_heads));
  }
  if (const json* mla = r.find("mla")) {
    const Reader m{*mla, r.where + ".mla"};
    a.mla = Mla{m.uint("q_lora_rank", 0, 1'000'000, 0), m.uint("kv_lora_rank", 1, 1'000'000),
                m.uint("qk_nope_head_dim", 1, 65'536),  m.uint("qk_rope_head_dim", 0, 65'536),
                m.uint("v_head_dim", 1, 65'536),        m.uint("index_n_heads", 0, 65'536, 0),
                m.uint("index_head_dim", 0, 65'536, 0)};
  }
  const bool any_mla = std::any_of(a.attention_pattern.begin(), a.attention_pattern.end(),
                                   [](const AttentionLayer& l) { return l.kind == AttentionKind::mla; });
  if (any_mla != a.mla.has_value()) {
    invalid(r.where, "an \"mla\" block and attention kind \"mla\" go together");
  }
  if (const json* mamba = r.find("mamba")) {
    const Reader m{*mamba, r.where + ".mamba"};
    Mamba x;
    x.d_state = m.uint("d_state", 1, 65'536);
    x.d_conv = m.uint("d_conv", 1, 1'024);
    x.d_inner = m.uint("d_inner", 1, 10'000'000);
    x.heads = m.uint("heads", 1, 1'000'000, 0);
    if (x.heads == 0) {
      x.dt_rank = m.uint("dt_rank", 1, 1'000'000);
    } else {
      x.head_dim = m.uint("head_dim", 1, 65'536);
      x.groups = m.uint("groups", 1, x.heads);
      if (x.heads * x.head_dim != x.d_inner) {
        invalid(m.where, fmt::format("heads {} x head_dim {} is not d_inner {}", x.heads, x.head_dim, x.d_inner));
      }
    }
    a.mamba = x;
  }
  if (const json* linear = r.find("linear")) {
    const Reader m{*linear, r.where + ".linear"};
    LinearAttention x;
    const std::string kind = m.str("kind");
    const auto k = value_of(k_linear_names, kind);
    if (!k) {
      invalid(m.where, fmt::format("linear kind \"{}\" is not one of {}", kind, names_of(k_linear_names)));
    }
    x.kind = *k;
    x.key_heads = m.uint("key_heads", 1, 100'000);
    x.value_heads = m.uint("value_heads", 1, 100'000);
    x.key_head_dim = m.uint("key_head_dim", 1, 65'536);
    x.value_head_dim = m.uint("value_head_dim", 1, 65'536);
    x.conv_kernel = m.uint("conv_kernel", 0, 1'024, 0);
    a.linear = x;
  }
  if (const json* state = r.find("state_dtype_bytes")) {
    const Reader m{*state, r.where + ".state_dtype_bytes"};
    a.conv_state_bytes = m.uint("conv", 1, 8, 2);
    a.recurrent_state_bytes = m.uint("recurrent", 1, 8, 2);
  }
  const bool any_mamba = std::any_of(a.attention_pattern.begin(), a.attention_pattern.end(),
                                     [](const AttentionLayer& l) { return l.kind == AttentionKind::mamba; });
  if (any_mamba != a.mamba.has_value()) {
    invalid(r.where, "a \"mamba\" block and attention kind \"mamba\" go together");
  }
  const bool any_kv = std::any_of(a.attention_pattern.begin(), a.attention_pattern.end(), [](const AttentionLayer& l) {
    return l.kind == AttentionKind::full || l.kind == AttentionKind::sliding || l.kind == AttentionKind::chunked ||
           l.kind == AttentionKind::mla || l.kind == AttentionKind::linear || l.kind == AttentionKind::mamba;
  });
  if (!any_kv) {
    invalid(r.where, "\"attention_pattern\" needs at least one layer that mixes tokens");
  }
  if (const json* moe = r.find("moe")) {
    const Reader m{*moe, r.where + ".moe"};
    Moe e;
    e.experts = m.uint("experts", 1, 1'000'000);
    e.experts_per_token = m.uint("experts_per_token", 1, e.experts);
    e.shared_experts = m.uint("shared_experts", 0, 1'000, 0);
    e.expert_intermediate_size = m.uint("expert_intermediate_size", 1, 10'000'000);
    e.shared_expert_intermediate_size =
        m.uint("shared_expert_intermediate_size", 0, 10'000'000, e.expert_intermediate_size);
    e.first_dense_layers = m.uint("first_dense_layers", 0, a.layers, 0);
    e.layer_step = m.uint("moe_layer_step", 1, a.layers, 1);
    e.dense_intermediate_size = m.uint("dense_intermediate_size", 0, 10'000'000, a.intermediate_size);
    e.dense_residual = m.boolean("dense_residual", false);
    e.expert_bias = m.boolean("expert_bias", false);
    e.latent_size = m.uint("latent_size", 0, a.hidden_size, 0);
    a.moe = e;
  }
  // weights beside the language model: one "extra_params" object, or an "extras" array of them
  const auto extra_weights = [](const Reader& x) {
    ExtraWeights e;
    e.source = x.source();
    e.params = x.uint("count", 0, k_big);
    e.what = x.str("what");
    e.text_only_drops = x.boolean("text_only_drops", false);
    return e;
  };
  if (const json* extra = r.find("extra_params")) {
    a.extras.push_back(extra_weights(Reader{*extra, r.where + ".extra_params"}));
  }
  if (const json* extras = r.find("extras")) {
    if (!extras->is_array()) {
      invalid(r.where, "\"extras\" must be an array of {\"what\", \"count\", \"source\"} objects");
    }
    for (std::size_t i = 0; i < extras->size(); ++i) {
      a.extras.push_back(extra_weights(Reader{(*extras)[i], fmt::format("{}.extras[{}]", r.where, i)}));
    }
  }
  if (const std::string problem = architecture_problem(a); !problem.empty()) {
    invalid(r.where, problem);
  }
  return a;
}

// A date as the catalog writes it: YYYY-MM-DD, or YYYY-MM where the provider gives only a month.
std::string catalog_date(const Reader& r, const char* key, bool required, bool month_allowed) {
  const std::string d = r.str(key, required);
  const auto digits = [&](std::size_t from, std::size_t n) {
    return std::all_of(d.begin() + static_cast<std::ptrdiff_t>(from), d.begin() + static_cast<std::ptrdiff_t>(from + n),
                       [](char c) { return c >= '0' && c <= '9'; });
  };
  const bool day = d.size() == 10 && digits(0, 4) && d[4] == '-' && digits(5, 2) && d[7] == '-' && digits(8, 2);
  const bool month = month_allowed && d.size() == 7 && digits(0, 4) && d[4] == '-' && digits(5, 2);
  if (!d.empty() && !day && !month) {
    invalid(r.where,
            fmt::format("\"{}\" must be a date, YYYY-MM-DD{}, got '{}'", key, month_allowed ? " or YYYY-MM" : "", d));
  }
  return d;
}

Model parse_model(const Reader& r, const std::string& origin) {
  auto m = identified<Model>(r, origin);
  m.publisher = r.str("publisher");
  m.category = parse_category(r);
  m.aliases = r.strings("aliases");
  m.hf_repo = r.str("hf_repo", false);
  const Reader license = r.object("license");
  m.license = license.str("id");
  m.sources["license"] = license.source();
  m.inherited_licenses = license.strings("inherits");
  if (const json* history = license.find("history")) {
    if (!history->is_array()) {
      invalid(license.where, "\"history\" must be an array of {license, from, source}");
    }
    for (std::size_t i = 0; i < history->size(); ++i) {
      const Reader h{(*history)[i], fmt::format("{}.history[{}]", license.where, i)};
      m.license_history.push_back({h.str("license"), catalog_date(h, "from", true, false), h.source()});
    }
  }
  const Reader context = r.object("context");
  m.max_context_tokens = context.uint("max_tokens", 1, 1'000'000'000);
  m.checkpoint_context_tokens = context.uint("checkpoint_tokens", 1, 1'000'000'000, 0);
  m.sources["context"] = context.source();
  if (r.find("released") != nullptr) {
    const Reader released = r.object("released");
    m.release_date = released.str("date");
    if (m.release_date.size() != 10 || m.release_date[4] != '-' || m.release_date[7] != '-') {
      invalid(released.where, fmt::format("\"date\" must be YYYY-MM-DD, got '{}'", m.release_date));
    }
    m.sources["released"] = released.source();
  }
  m.modalities = r.strings("modalities");
  for (const std::string& x : m.modalities) {
    if (x != "text" && x != "image" && x != "audio" && x != "video") {
      invalid(r.where, fmt::format("\"modalities\": '{}' is not one of text, image, audio, video", x));
    }
  }
  if (m.category == Category::api_only) {
    const Reader api = r.object("api");
    m.provider = api.str("provider");
    m.sources["api"] = api.source();
    if (r.find("architecture") != nullptr) {
      invalid(r.where, "an api-only model has no \"architecture\"");
    }
    return m;
  }
  m.native_precision = r.str("native_precision");
  const Reader params = r.object("params");
  m.published_params_total = params.uint("total", 1, k_big);
  m.published_params_active = params.uint("active", 1, m.published_params_total, m.published_params_total);
  m.published_params_approximate = params.boolean("approximate", false);
  m.published_params_name_only = params.boolean("name_only", false);
  m.sources["params"] = params.source();
  const Reader arch = r.object("architecture");
  m.architecture = parse_architecture(arch);
  m.sources["architecture"] = m.architecture->source;
  for (const ExtraWeights& e : m.architecture->extras) {
    m.sources["extra_params"] = e.source;
  }
  return m;
}

Gpu parse_gpu(const Reader& r, const std::string& origin) {
  auto g = identified<Gpu>(r, origin);
  g.vendor = r.str("vendor");
  g.aliases = r.strings("aliases");
  const Reader memory = r.object("memory");
  g.memory_bytes = memory.uint("bytes", 1ULL << 20, 100'000'000'000'000ULL);
  g.marketing_gb = memory.uint("marketing_gb", 0, 100'000, 0);
  g.nvidia_smi_mib = memory.uint("nvidia_smi_mib", 0, 100'000'000, 0);
  g.sources["memory"] = memory.source();
  const Reader perf = r.object("performance");
  g.bandwidth_bytes_per_s = perf.uint("bandwidth_bytes_per_s", 1, 1'000'000'000'000'000ULL);
  // The vendor's printed rates; where it prints none for a precision, a derived rate may stand
  // in from "tflops_dense_assumed" (with its "basis"), shown as an assumption.
  const Reader printed = perf.object("tflops_dense");
  const bool has_derived = perf.find("tflops_dense_assumed") != nullptr;
  const Reader derived = has_derived ? perf.object("tflops_dense_assumed") : printed;
  if (has_derived) {
    g.tflops_assumption = derived.str("basis");
  }
  const auto rate = [&](const char* key, double lowest = 0) {
    if (printed.find(key) != nullptr) {
      return printed.number(key, lowest, 1e6);
    }
    return has_derived && derived.find(key) != nullptr ? derived.number(key, lowest, 1e6) : 0.0;
  };
  // a rate of 0 would make every time infinite and every price unbounded: a 16-bit rate is
  // required and positive (bf16, or fp16 on GPUs without bf16: T4); fp8 / int8 / fp4 stay 0
  // where the silicon has none
  g.tflops_bf16 = rate("bf16", 0.001) > 0 ? rate("bf16", 0.001) : rate("fp16", 0.001);
  if (!(g.tflops_bf16 >= 0.001)) {
    invalid(printed.where, "needs a 16-bit rate: \"bf16\" (or \"fp16\") above 0, printed or in "
                           "\"tflops_dense_assumed\"");
  }
  g.tflops_fp8 = rate("fp8");
  g.tflops_int8 = rate("int8");
  g.tflops_fp4 = rate("fp4");
  g.fp8 = perf.boolean("fp8", false);
  g.fp4 = perf.boolean("fp4", false);
  g.weight_only_fp8 = perf.boolean("weight_only_fp8", false);
  g.sources["performance"] = perf.source();
  g.architecture = r.str("architecture", false);
  g.compute_capability = r.str("compute_capability", false);
  g.device_name = r.str("device_name", false);
  g.engines = r.strings("engines");
  g.no_rental = r.str("rental", false);
  for (const std::string& e : g.engines) {
    if (e != "vllm" && e != "sglang" && e != "llama.cpp") {
      invalid(r.where, fmt::format("\"engines\": '{}' is not an engine; accepted: vllm, sglang, llama.cpp", e));
    }
  }
  const Reader node = r.object("node");
  g.gpus_per_node = node.uint("gpus_per_node", 1, 1'024);
  g.nvlink_domain = node.uint("nvlink_domain", 0, 100'000, 0);
  g.interconnect = node.str("interconnect", false);
  g.link_bytes_per_s = node.uint("link_bytes_per_s", 1'000'000, 1'000'000'000'000'000ULL, 0);
  g.sources["node"] = node.source();
  return g;
}

// USD per unit: a price of zero is a free tier, past a million is a typo.
constexpr double k_max_usd = 1e6;

TokenPrice parse_api_price(const Reader& r) {
  TokenPrice p;
  p.provider = r.str("provider");
  p.date = r.find("price_effective_date") != nullptr ? catalog_date(r, "price_effective_date", true, true)
                                                     : catalog_date(r, "date", true, true);
  p.checked_date = catalog_date(r, "price_checked_date", false, false);
  p.deprecated = catalog_date(r, "deprecated", false, false);
  p.retires = catalog_date(r, "retires", false, false);
  p.source = r.source();
  const Reader usd = r.object("usd_per_million");
  p.input = usd.number("input", 0, k_max_usd);
  p.output = usd.number("output", 0, k_max_usd);
  if (usd.find("cached_input") != nullptr) {
    p.cached_input = usd.number("cached_input", 0, k_max_usd);
  }
  if (r.find("long_context") != nullptr) {
    const Reader lc = r.object("long_context");
    p.long_context_over = lc.uint("over_tokens", 1, 1'000'000'000);
    p.long_context_input = lc.number("input", 0, k_max_usd);
    p.long_context_output = lc.number("output", 0, k_max_usd);
    if (lc.find("cached_input") != nullptr) {
      p.long_context_cached_input = lc.number("cached_input", 0, k_max_usd);
    }
  }
  for (const Reader& o : r.objects("offers")) {
    HostedOffer h;
    h.provider = o.str("provider");
    const Reader ousd = o.object("usd_per_million");
    h.input = ousd.number("input", 0, k_max_usd);
    h.output = ousd.number("output", 0, k_max_usd);
    if (ousd.find("cached_input") != nullptr) {
      h.cached_input = ousd.number("cached_input", 0, k_max_usd);
    }
    h.variant = o.str("variant", false);
    h.date = catalog_date(o, "date", true, true);
    h.source = o.source();
    p.offers.push_back(std::move(h));
  }
  return p;
}

GpuPrice parse_gpu_price(const Reader& r) {
  GpuPrice p;
  p.usd_per_gpu_hour = r.number("usd_per_gpu_hour", 0.01, 10'000);
  p.basis = r.str("basis");
  p.date = r.str("date");
  p.source = r.source();
  for (const Reader& o : r.objects("offers")) {
    p.offers.push_back(
        {o.str("provider"), o.number("usd_per_gpu_hour", 0.01, 10'000), o.str("terms"), o.str("date"), o.source()});
  }
  return p;
}

Precision parse_precision(const Reader& r, const std::string& origin) {
  auto p = identified<Precision>(r, origin);
  p.aliases = r.strings("aliases");
  p.weight_bits = r.uint("weight_bits", 1, 64);
  p.group_size = r.uint("group_size", 0, 1'000'000, 0);
  p.group_overhead_bits = r.uint("group_overhead_bits", 0, 1'024, 0);
  if (p.group_size == 0 && p.group_overhead_bits != 0) {
    invalid(r.where, "\"group_overhead_bits\" needs a \"group_size\"");
  }
  p.needs_fp8_hardware = r.boolean("needs_fp8_hardware", false);
  p.experts_only = r.boolean("experts_only", false);
  p.attention_16bit = r.boolean("attention_16bit", false);
  p.engines = r.strings("engines");
  p.notes = r.str("notes", false);
  p.sources["storage"] = r.source();
  return p;
}

Clause parse_clause(const Reader& r) {
  Clause c{r.str("quote"), r.str("section"), r.source()};
  if (c.quote.empty() || c.quote.size() > 600) {
    invalid(r.where, "\"quote\" must be a short verbatim quote (1-600 characters)");
  }
  return c;
}

LicenseRule parse_rule(const Reader& r) {
  LicenseRule rule;
  const std::string effect = r.str("effect");
  if (effect == "obligation") {
    rule.effect = LicenseRule::Effect::obligation;
    rule.obligation = r.str("obligation");
  } else if (effect == "needs-agreement") {
    rule.effect = LicenseRule::Effect::needs_agreement;
    rule.with = r.str("with");
  } else if (effect == "not-allowed") {
    rule.effect = LicenseRule::Effect::not_allowed;
  } else {
    invalid(r.where, fmt::format("effect \"{}\" is not one of obligation, needs-agreement, not-allowed", effect));
  }
  if (const json* when = r.find("when")) {
    const Reader w{*when, r.where + ".when"};
    for (const std::string& u : w.strings("uses")) {
      const auto use = use_from_string(u);
      if (!use) {
        invalid(w.where, fmt::format("use \"{}\" is not one of {}", u, use_names()));
      }
      rule.uses.push_back(*use);
    }
    if (w.find("mau_over") != nullptr) {
      rule.mau_over = w.uint("mau_over", 0, k_big);
    }
    if (w.find("monthly_revenue_usd_over") != nullptr) {
      rule.monthly_revenue_usd_over = w.uint("monthly_revenue_usd_over", 0, k_big);
    }
    rule.region = w.str("region", false);
    rule.modality = w.str("modality", false);
    if (w.find("group_mau_over") != nullptr) {
      rule.group_mau_over = w.uint("group_mau_over", 0, k_big);
    }
    const auto one_of = [&](const char* key, std::initializer_list<std::string_view> accepted) {
      std::vector<std::string> values = w.strings(key);
      for (const std::string& v : values) {
        if (std::find(accepted.begin(), accepted.end(), v) == accepted.end()) {
          invalid(w.where, fmt::format("\"{}\": '{}' is not one of {}", key, v, fmt::join(accepted, ", ")));
        }
      }
      return values;
    };
    rule.purposes = one_of("purposes", {"commercial", "internal", "research", "non-commercial"});
    rule.fields_of_use =
        one_of("fields_of_use", {"military", "surveillance", "medical", "legal", "biometric", "critical-infrastructure",
                                 "employment", "credit", "law-enforcement"});
    rule.derivative = w.str("derivative", false);
    if (!rule.derivative.empty() && rule.derivative != "distributed" && rule.derivative != "internal") {
      invalid(w.where, fmt::format("\"derivative\" must be distributed or internal, got '{}'", rule.derivative));
    }
    rule.model_modality = w.str("model_modality", false);
    rule.released_from = catalog_date(w, "released_from", false, false);
    rule.released_before = catalog_date(w, "released_before", false, false);
  }
  rule.clause = parse_clause(r);
  return rule;
}

License parse_license(const Reader& r, const std::string& origin) {
  auto l = identified<License>(r, origin);
  l.source = r.source();
  l.notes = r.str("notes", false);
  if (r.find("grant") != nullptr) {
    l.grant = parse_clause(r.object("grant"));
  }
  if (const json* rules = r.find("rules")) {
    if (!rules->is_array()) {
      invalid(r.where, "\"rules\" must be an array");
    }
    for (std::size_t i = 0; i < rules->size(); ++i) {
      l.rules.push_back(parse_rule(Reader{(*rules)[i], fmt::format("{}.rules[{}]", r.where, i)}));
    }
    if (!l.rules.empty() && !l.grant) {
      invalid(r.where, "a license with \"rules\" needs the \"grant\" clause they qualify");
    }
  }
  return l;
}

// A user's overlay may leave out sources: its facts are then attributed to the file.
void attribute_sources(json& entry, const std::string& section, const std::string& origin) {
  for (const std::string& group : k_fact_groups.at(section)) {
    json* target = group.empty() ? &entry : nullptr;
    if (!group.empty()) {
      const auto it = entry.find(group);
      if (it != entry.end() && it->is_object()) {
        target = &*it;
      }
    }
    if (target != nullptr && !target->contains("source")) {
      (*target)["source"] = "user catalog " + origin;
    }
  }
}

// A spelling-insensitive key: "meta-llama/Llama-3.1-70B-Instruct", "llama3.1-70b" and
// "qwen2.5:72b" reduce to the same key as their catalog ids ("llama3.170b", "qwen2.572b").
std::string spelling_key(std::string_view name) {
  std::string s = lowered(name);
  if (const auto slash = s.rfind('/'); slash != std::string::npos) {
    s = s.substr(slash + 1);
  }
  for (bool stripped = true; stripped;) {
    stripped = false;
    for (const std::string suffix : {"-instruct", "-base", "-chat", "-it", "-hf"}) {
      if (s.size() > suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0) {
        s.resize(s.size() - suffix.size());
        stripped = true;
      }
    }
  }
  std::erase_if(s, [](char c) { return c == '-' || c == '_' || c == ' ' || c == ':'; });
  return s;
}

// Longer ids are typos or hostile input; the did-you-mean search is capped the same way.
constexpr std::size_t k_max_id_chars = 200;

template <typename T>
const T& find_by_name(const std::vector<T>& items, std::string_view name, std::string_view what,
                      std::string_view list_hint) {
  if (name.size() > k_max_id_chars) { // no did-you-mean over a name no id can be
    throw Error(ErrorKind::not_found,
                fmt::format("unknown {} '{}...' ({} characters; ids are at most {}); {} lists them", what,
                            name.substr(0, 40), name.size(), k_max_id_chars, list_hint));
  }
  const std::string wanted = lowered(name);
  std::vector<std::string> candidates;
  std::vector<std::string> owners;
  for (const T& item : items) {
    if (item.id == wanted) {
      return item;
    }
    candidates.push_back(item.id);
    owners.push_back(item.id);
    if constexpr (requires { item.aliases; }) {
      for (const std::string& alias : item.aliases) {
        if (lowered(alias) == wanted) {
          return item;
        }
        candidates.push_back(alias);
        owners.push_back(item.id);
      }
    }
  }
  // No exact match: one item whose id or alias spells the same is unambiguous enough.
  const std::string key = spelling_key(name);
  const T* match = nullptr;
  for (const T& item : items) {
    bool same = spelling_key(item.id) == key;
    if constexpr (requires { item.aliases; }) {
      same = same || std::any_of(item.aliases.begin(), item.aliases.end(),
                                 [&](const std::string& a) { return spelling_key(a) == key; });
    }
    if (same && match != nullptr && match != &item) {
      match = nullptr;
      break;
    }
    match = same ? &item : match;
  }
  if (match != nullptr) {
    return *match;
  }
  std::vector<std::string> ids;
  for (const std::string& near : util::closest(name, candidates, 12)) {
    const auto at = std::find(candidates.begin(), candidates.end(), near) - candidates.begin();
    const std::string& id = owners[static_cast<std::size_t>(at)];
    if (std::find(ids.begin(), ids.end(), id) == ids.end() && ids.size() < 3) {
      ids.push_back(id);
    }
  }
  const std::string hint = ids.empty()
                               ? fmt::format("; {} lists them", list_hint)
                               : fmt::format("; did you mean {}? ({} lists them)", fmt::join(ids, ", "), list_hint);
  throw Error(ErrorKind::not_found, fmt::format("unknown {} '{}'{}", what, name, hint), ids);
}

} // namespace

Catalog Catalog::load(const std::vector<Document>& documents) {
  // Merge all documents section by section at the JSON level, then parse once.
  std::map<std::string, std::vector<std::pair<json, std::string>>> merged; // section -> (entry, origin)
  // section -> id -> index in merged[section]: an overlay of n ids merges in n log n, not n^2
  std::map<std::string, std::map<std::string, std::size_t>> index_of;
  Catalog catalog;
  for (const Document& doc : documents) {
    json parsed = parse_document(doc);
    if (const auto v = parsed.find("catalog_version"); v != parsed.end() && v->is_string() && doc.embedded) {
      catalog.version_ = std::max(catalog.version_, v->get<std::string>());
    }
    for (const char* section : k_sections) {
      const auto it = parsed.find(section);
      if (it == parsed.end()) {
        continue;
      }
      auto& entries = merged[section];
      auto& ids = index_of[section];
      for (std::size_t i = 0; i < it->size(); ++i) {
        json& entry = (*it)[i];
        const std::string where = fmt::format("{}: {}", doc.origin, entry_where(section, entry, i));
        if (!entry.is_object() || !entry.contains("id") || !entry["id"].is_string()) {
          invalid(where, "each entry must be an object with a string \"id\"");
        }
        if (!doc.embedded) {
          attribute_sources(entry, section, doc.origin);
        }
        const std::string id = entry["id"].get<std::string>();
        if (id.size() > k_max_id_chars) {
          invalid(where, fmt::format("\"id\" is {} characters long; ids are at most {}", id.size(), k_max_id_chars));
        }
        const auto found = ids.find(id);
        const auto existing =
            found == ids.end() ? entries.end() : entries.begin() + static_cast<std::ptrdiff_t>(found->second);
        if (existing == entries.end()) {
          ids.emplace(id, entries.size());
          entries.emplace_back(std::move(entry), doc.origin);
        } else if (doc.embedded && existing->second.rfind("embedded ", 0) == 0) {
          invalid(where, fmt::format("duplicate id \"{}\"", id));
        } else {
          existing->first.merge_patch(entry);
          existing->second = doc.origin;
        }
      }
    }
  }

  const auto each = [&](const char* section, auto&& parse) {
    std::size_t index = 0;
    for (const auto& [entry, origin] : merged[section]) {
      parse(Reader{entry, fmt::format("{}: {}", origin, entry_where(section, entry, index++))}, origin);
    }
  };
  each("licenses", [&](const Reader& r, const std::string& o) { catalog.licenses_.push_back(parse_license(r, o)); });
  each("precisions",
       [&](const Reader& r, const std::string& o) { catalog.precisions_.push_back(parse_precision(r, o)); });
  each("gpus", [&](const Reader& r, const std::string& o) { catalog.gpus_.push_back(parse_gpu(r, o)); });
  each("models", [&](const Reader& r, const std::string& o) { catalog.models_.push_back(parse_model(r, o)); });
  // Prices attach to the GPU or model their id names.
  std::map<std::string, std::size_t> gpu_at;
  for (std::size_t i = 0; i < catalog.gpus_.size(); ++i) {
    gpu_at.emplace(catalog.gpus_[i].id, i);
  }
  std::map<std::string, std::size_t> model_at;
  for (std::size_t i = 0; i < catalog.models_.size(); ++i) {
    model_at.emplace(catalog.models_[i].id, i);
  }
  each("gpu_prices", [&](const Reader& r, const std::string&) {
    const std::string id = r.str("id");
    const auto g = gpu_at.find(id);
    if (g == gpu_at.end()) {
      invalid(r.where, fmt::format("\"{}\" is not a GPU in the catalog", id));
    }
    catalog.gpus_[g->second].price = parse_gpu_price(r);
  });
  // the model an entry of another section names by `key` (prices by "id", scores by "model")
  const auto named_model = [&](const Reader& r, const char* key, const char* prefix) -> Model& {
    const std::string id = r.str(key);
    const auto m = model_at.find(id);
    if (m == model_at.end()) {
      invalid(r.where, fmt::format("{}\"{}\" is not a model in the catalog", prefix, id));
    }
    return catalog.models_[m->second];
  };
  each("api_prices",
       [&](const Reader& r, const std::string&) { named_model(r, "id", "").api_price = parse_api_price(r); });
  each("scores", [&](const Reader& r, const std::string&) {
    Model& model = named_model(r, "model", "\"model\": ");
    Score s;
    s.id = r.str("id");
    s.benchmark = r.str("benchmark");
    if (s.benchmark.empty() || !std::all_of(s.benchmark.begin(), s.benchmark.end(), [](char c) {
          return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
        })) {
      invalid(r.where,
              fmt::format("\"benchmark\" must be a lower-case id (mmlu-pro, gpqa-diamond), got '{}'", s.benchmark));
    }
    s.value = r.number("value", -10'000, 10'000);
    s.setting = r.str("setting", false);
    s.measured_by = r.str("measured_by");
    s.date = catalog_date(r, "date", true, true);
    s.source = r.source();
    s.variant = r.str("variant", false);
    model.scores.push_back(std::move(s));
  });

  // References resolve, and no alias shadows another entry.
  std::set<std::string> license_ids;
  for (const License& l : catalog.licenses_) {
    license_ids.insert(l.id);
  }
  std::set<std::string> precision_ids;
  for (const Precision& p : catalog.precisions_) {
    precision_ids.insert(p.id);
  }
  std::map<std::string, std::string> names;
  for (const Model& m : catalog.models_) {
    const std::string where = fmt::format("{}: models[id={}]", m.origin, m.id);
    if (license_ids.count(m.license) == 0) {
      invalid(where, fmt::format("license \"{}\" is not in the catalog's licenses", m.license));
    }
    for (const std::string& id : m.inherited_licenses) {
      if (license_ids.count(id) == 0) {
        invalid(where, fmt::format("inherited license \"{}\" is not in the catalog's licenses", id));
      }
    }
    for (const LicensePeriod& h : m.license_history) {
      if (license_ids.count(h.license) == 0) {
        invalid(where, fmt::format("license history names \"{}\", which is not in the catalog's licenses", h.license));
      }
    }
    if (m.self_hostable()) {
      if (precision_ids.count(m.native_precision) == 0) {
        invalid(where, fmt::format("native_precision \"{}\" is not in the catalog's precisions", m.native_precision));
      }
    }
    std::vector<std::string> own = {m.id};
    for (const std::string& a : m.aliases) {
      own.push_back(lowered(a));
    }
    for (const std::string& name : own) {
      const auto [it, inserted] = names.emplace(name, m.id);
      if (!inserted && it->second != m.id) {
        invalid(where, fmt::format("name \"{}\" already names model \"{}\"", name, it->second));
      }
    }
  }
  return catalog;
}

const Model& Catalog::model(std::string_view name) const {
  return find_by_name(models_, name, "model", "`modelpick list`");
}

const Gpu& Catalog::gpu(std::string_view name) const {
  return find_by_name(gpus_, name, "GPU", "`modelpick list --gpus`");
}

const Precision& Catalog::precision(std::string_view name) const {
  return find_by_name(precisions_, name, "precision", "`modelpick list --precisions`");
}

const License* Catalog::find_license(std::string_view id) const {
  const auto it = std::find_if(licenses_.begin(), licenses_.end(), [&](const License& l) { return l.id == id; });
  return it == licenses_.end() ? nullptr : &*it;
}

} // namespace modelpick::catalog
