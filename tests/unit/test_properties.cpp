// Properties that must hold for every catalog model on every GPU at every precision, checked
// exhaustively rather than on examples.
#include <catch2/catch.hpp>

#include <cmath>
#include <nlohmann/json.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/advisor/advisor.hpp"
#include "modelpick/engine/kv_cache.hpp"
#include "modelpick/engine/memory.hpp"
#include "modelpick/engine/plan.hpp"
#include "modelpick/engine/serving.hpp"
#include "modelpick/error.hpp"
#include "render/compare_render.hpp"
#include "render/pick_render.hpp"

using namespace modelpick;

namespace {

engine::SizingRequest request(std::uint64_t context, std::uint64_t concurrency) {
  engine::SizingRequest r;
  r.context_tokens = context;
  r.concurrency = concurrency;
  return r;
}

// Bytes a precision stores per linear weight, scales included.
double bytes_per_weight(const catalog::Precision& p) {
  const double overhead =
      p.group_size == 0 ? 0 : static_cast<double>(p.group_overhead_bits) / static_cast<double>(p.group_size);
  return (static_cast<double>(p.weight_bits) + overhead) / 8;
}

} // namespace

TEST_CASE("KV cache grows monotonically with context and concurrency", "[properties]") {
  for (const auto& m : embedded_catalog().models()) {
    if (!m.self_hostable()) {
      continue;
    }
    INFO(m.id);
    const auto& a = *m.architecture;
    std::uint64_t previous = 0;
    for (std::uint64_t ctx = 1; ctx <= m.max_context_tokens; ctx *= 4) {
      const std::uint64_t one = engine::kv_cache_bytes(a, 2, ctx, 1);
      CHECK(one >= previous);
      CHECK(engine::kv_cache_bytes(a, 2, ctx, 3) == 3 * one); // concurrency multiplies
      CHECK(engine::kv_cache_bytes(a, 1, ctx, 1) <= one);     // fp8 never needs more
      previous = one;
    }
  }
}

TEST_CASE("sizing adds up and fits only what the usable memory holds", "[properties]") {
  const auto& c = embedded_catalog();
  for (const auto& m : c.models()) {
    if (!m.self_hostable()) {
      continue;
    }
    for (const auto& g : c.gpus()) {
      INFO(m.id << " on " << g.id);
      const auto r = engine::plan_size(m, c.precision(m.native_precision), g,
                                       request(std::min<std::uint64_t>(8192, m.max_context_tokens), 2));
      CHECK(r.total_bytes == r.weights_bytes + r.kv_cache_bytes + r.reserve_bytes);
      const auto& e = r.fits ? *r.fit : *r.closest;
      CHECK(e.share.total_bytes == e.share.weights_bytes + e.share.kv_cache_bytes + e.share.reserve_bytes);
      CHECK(r.fits == (e.share.total_bytes <= e.share.usable_bytes));
      if (r.fits) {
        CHECK(e.share.max_concurrency >= 2);
        CHECK(e.layout.gpus() >= 1);
        // The whole model is on the layout: the per-GPU weights times the GPUs hold it all.
        CHECK(e.share.weights_bytes * e.layout.gpus() * 2 >= r.weights_bytes / e.layout.pipeline_parallel);
      }
    }
  }
}

TEST_CASE("a precision that stores fewer bytes never needs more GPUs", "[properties]") {
  const auto& c = embedded_catalog();
  std::vector<const catalog::Precision*> precisions;
  for (const auto& p : c.precisions()) {
    if (!p.experts_only) { // experts-only formats keep the rest 16-bit: not comparable layer by layer
      precisions.push_back(&p);
    }
  }
  std::sort(precisions.begin(), precisions.end(),
            [](const auto* a, const auto* b) { return bytes_per_weight(*a) < bytes_per_weight(*b); });
  for (const auto& m : c.models()) {
    if (!m.self_hostable()) {
      continue;
    }
    for (const auto& g : c.gpus()) {
      std::uint64_t fewest = 0; // GPUs at the previous (smaller) precision; 0: did not fit
      for (const auto* p : precisions) {
        INFO(m.id << " on " << g.id << " at " << p->id);
        const auto r = engine::plan_size(m, *p, g, request(std::min<std::uint64_t>(4096, m.max_context_tokens), 1));
        const std::uint64_t gpus = r.fits ? r.fit->layout.gpus() : 0;
        if (fewest != 0) {
          CHECK((gpus == 0 || gpus >= fewest)); // a larger precision fits on as many or more, or not at all
        } else if (p != precisions.front()) {
          CHECK(gpus == 0); // nothing smaller fitted, so this cannot either
        }
        fewest = gpus;
      }
    }
  }
}

TEST_CASE("huge architectures give an error or an exact big number never a wrapped one", "[properties]") {
  const auto docs = [](const std::string& layers, const std::string& hidden, const std::string& vocab) {
    auto d = catalog::embedded_documents();
    d.push_back(catalog::Document{"huge.json",
                                  R"({"models": [{"id": "huge", "name": "Huge", "publisher": "me",
      "category": "dense", "license": {"id": "mit"}, "native_precision": "bf16", "params": {"total": 1000000000000000},
      "context": {"max_tokens": 1000000000}, "architecture": {"layers": )" +
                                      layers + R"(, "hidden_size": )" + hidden +
                                      R"(, "intermediate_size": 10000000, "attention_heads": 100000,
      "kv_heads": 100000, "head_dim": 65536, "vocab_size": )" +
                                      vocab + "}}]}",
                                  false});
    return d;
  };
  for (const auto& [layers, hidden, vocab] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"10000", "1000000", "100000000"}, {"100", "8192", "128000"}, {"10000", "65536", "1000"}}) {
    INFO(layers << " layers, hidden " << hidden);
    const auto c = catalog::Catalog::load(docs(layers, hidden, vocab));
    const auto& m = c.model("huge");
    try {
      const auto p = engine::count_params(*m.architecture);
      const auto r = engine::plan_size(m, c.precision("bf16"), c.gpu("h100"), request(1'000'000, 1000));
      // Whatever came back is exact: 16-bit weights are two bytes a parameter, no less.
      CHECK(r.weights_bytes >= 2 * p.total);
      CHECK(r.kv_cache_bytes >= 1000ULL * 1'000'000);
    } catch (const Error& e) {
      CHECK(std::string(e.what()).find("overflows") != std::string::npos);
    }
  }
}

TEST_CASE("serving engines: the arithmetic holds for every model, and more memory never means fewer tokens",
          "[properties][serving]") {
  const catalog::Catalog& c = embedded_catalog();
  for (const auto& m : c.models()) {
    if (!m.self_hostable()) {
      continue;
    }
    // vLLM's hybrid allocator sizes recurrent state; SGLang's state pool is not modelled;
    // neither sizes a cross-attention cache
    bool recurrent = false;
    bool cross = false;
    for (std::uint64_t i = 0; i < m.architecture->layers; ++i) {
      const auto k = m.architecture->attention(i).kind;
      recurrent = recurrent || k == catalog::AttentionKind::mamba || k == catalog::AttentionKind::linear;
      cross = cross || k == catalog::AttentionKind::cross;
    }
    const catalog::Precision& precision = c.precision(m.native_precision);
    for (const char* gpu_id : {"h100", "l40s", "a100-80gb"}) {
      const catalog::Gpu& gpu = c.gpu(gpu_id);
      engine::SizingRequest plan_request = request(std::min<std::uint64_t>(8192, m.max_context_tokens), 1);
      const auto plan = engine::plan_size(m, precision, gpu, plan_request);
      const engine::Layout layout = plan.fits ? plan.fit->layout : plan.closest->layout;
      for (const auto e : {engine::ServingEngine::vllm, engine::ServingEngine::sglang}) {
        INFO(m.id << " on " << gpu_id << " with " << engine::to_string(e));
        engine::ServingRequest r;
        r.engine = e;
        r.max_model_len = plan_request.context_tokens;
        r.tensor_parallel = layout.tensor_parallel;
        r.pipeline_parallel = e == engine::ServingEngine::sglang ? 1 : layout.pipeline_parallel;
        if (cross || (recurrent && e == engine::ServingEngine::sglang)) {
          CHECK_THROWS_AS(engine::predict_serving(m, precision, gpu, r), Error);
          continue;
        }
        r.memory_fraction = 0.80;
        const auto low = engine::predict_serving(m, precision, gpu, r);
        r.memory_fraction = 0.95;
        const auto high = engine::predict_serving(m, precision, gpu, r);
        CHECK(high.kv_cache_tokens >= low.kv_cache_tokens);
        const engine::ServingRank& k = high.rank;
        if (k.kv_cache_bytes > 0 && k.page_bytes > 0) {
          // the blocks fit in what is left, and one more would not
          CHECK(k.blocks * k.page_bytes <= static_cast<std::uint64_t>(k.kv_cache_bytes));
          CHECK((k.blocks + 1) * k.page_bytes > static_cast<std::uint64_t>(k.kv_cache_bytes));
        }
        if (e == engine::ServingEngine::vllm && high.kv_cache_groups == 1) {
          // one group: tokens are blocks x block size, and concurrency is tokens / length in blocks
          CHECK(high.kv_cache_tokens == k.blocks * high.block_size);
          CHECK(high.starts == (k.kv_cache_bytes > 0 && high.max_concurrency >= 1.0));
        }
      }
    }
  }
}

namespace {

// Every number of a JSON document is finite and non-negative; returns the path of the first
// one that is not ("" when all are).
std::string bad_number(const nlohmann::ordered_json& j, const std::string& path) {
  if (j.is_number_float()) {
    const double v = j.get<double>();
    return std::isfinite(v) && v >= 0 ? "" : path + " = " + j.dump();
  }
  if (j.is_number_integer() && !j.is_number_unsigned()) {
    return j.get<std::int64_t>() >= 0 ? "" : path + " = " + j.dump();
  }
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (std::string bad = bad_number(it.value(), path + "." + it.key()); !bad.empty()) {
        return bad;
      }
    }
  }
  if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i) {
      if (std::string bad = bad_number(j[i], path + "[" + std::to_string(i) + "]"); !bad.empty()) {
        return bad;
      }
    }
  }
  return "";
}

} // namespace

TEST_CASE("every number of every model's answer on every GPU is finite and non-negative", "[properties]") {
  const auto& c = embedded_catalog();
  advisor::Question q;
  q.sizing.context_tokens = 8192;
  q.sizing.concurrency = 4;
  q.shape = {1536, 512, 2};
  q.volume = engine::Volume{};
  q.volume->tokens_per_day = 50e6;
  q.volume->input_share = 0.75;
  q.volume->prompt_tokens = 1536;
  for (const auto& catalog_gpu : c.gpus()) {
    INFO(catalog_gpu.id);
    // a GPU that is bought, not rented, is priced at a rate the user gives (--gpu-hour-usd)
    catalog::Gpu gpu = catalog_gpu;
    q.plan.gpu_hour_usd = gpu.price ? 0.0 : 1.0;
    advisor::PickFilter f;
    f.max_gpus = 8;
    const advisor::PickResult r = advisor::pick(c, gpu, q, f, advisor::PickSort::cost);
    const auto j = render::pick_json(r, q, f, advisor::PickSort::cost, r.results.size());
    CHECK(bad_number(j, "pick") == "");
    // one model of each category, through answer() as size, cost and compare see it
    std::vector<advisor::Answer> answers;
    for (const char* id : {"llama-3.1-8b", "deepseek-v3", "jamba-1.5-mini", "qwen3-next-80b-a3b", "gpt-5"}) {
      const auto& m = c.model(id);
      answers.push_back(advisor::answer(c, m, m.self_hostable() ? &c.precision(m.native_precision) : nullptr, gpu, q));
    }
    CHECK(bad_number(render::compare_json(answers, q), "compare") == "");
  }
}
