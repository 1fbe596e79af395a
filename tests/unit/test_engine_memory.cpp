#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/engine/memory.hpp"

using namespace modelpick;

TEST_CASE("llama-3.1-70b parameter count from its config", "[engine][memory]") {
  // embeddings 128,256 x 8,192 = 1,050,673,152, untied: x2 = 2,101,346,304
  // per layer: q 8192x8192 = 67,108,864; k,v 2 x 8192x1024 = 16,777,216; o 67,108,864
  //            mlp 3 x 8192 x 28,672 = 704,643,072; 2 norms 16,384 -> 855,654,400
  // 80 layers = 68,452,352,000; + final norm 8,192 -> 70,553,706,496 (Meta's safetensors count)
  const auto p = engine::count_params(arch_of("llama-3.1-70b"));
  CHECK(p.total == 70'553'706'496ULL);
  CHECK(p.active == p.total);
}

TEST_CASE("llama-3.1-8b weights at bf16 and int4 (AWQ/GPTQ g128)", "[engine][memory]") {
  // total: embed 128,256 x 4,096 = 525,336,576 (x2 untied); per layer q 16,777,216 + kv 8,388,608
  // + o 16,777,216 + mlp 3 x 4096 x 14,336 = 176,160,768 + norms 8,192 = 218,112,000; x32 + 4,096
  // = 8,030,261,248 params -> bf16 16,060,522,496 bytes.
  const auto& catalog = embedded_catalog();
  const auto p = engine::count_params(arch_of("llama-3.1-8b"));
  CHECK(p.total == 8'030'261'248ULL);
  CHECK(engine::weight_bytes(p, catalog.precision("bf16")).total == 16'060'522'496ULL);
  // int4: per layer 218,103,808 linear weights -> 1,703,936 groups of 128;
  // bits = 218,103,808 x 4 + 1,703,936 x 20 (fp16 scale + 4-bit zero) = 906,493,952 -> 113,311,744 B
  // + norms 16,384 B = 113,328,128 B x 32 = 3,626,500,096; + 16-bit embed/lm_head/final norm
  // (1,050,673,152 + 4,096) x 2 = 2,101,354,496 -> 5,727,854,592 B (hugging-quants' AWQ
  // checkpoint of Llama-3.1-8B-Instruct is 5.73 GB).
  CHECK(engine::weight_bytes(p, catalog.precision("int4")).total == 5'727'854'592ULL);
}

TEST_CASE("deepseek-v3: all experts resident and 37B active", "[engine][memory]") {
  // MLA attention per layer: q_a 7168x1536 = 11,010,048; q_b 1536x128x192 = 37,748,736;
  // kv_a 7168x576 = 4,128,768; kv_b 512x128x256 = 16,777,216; o 128x128x7168 = 117,440,512
  // -> 187,105,280 linear + 2,048 (q/kv LoRA norms) + 14,336 (block norms)
  // 3 dense layers: MLP 3x7168x18432 = 396,361,728
  // 58 MoE layers: 257 experts (256 routed + 1 shared) x 3x7168x2048 = 11,318,329,344
  //                + router 256x7168 = 1,835,008
  // embed + lm_head 2 x 129,280 x 7,168 = 1,853,358,080; final norm 7,168
  // total = 1,853,365,248 + 61 x 187,121,664 + 3 x 396,361,728 + 58 x 11,320,164,352
  //       = 671,026,404,352 (DeepSeek: "671B total")
  const auto p = engine::count_params(arch_of("deepseek-v3"));
  CHECK(p.total == 671'026'404'352ULL);
  // active: 9 of 257 experts per MoE layer: 58 x (9 x 44,040,192 + 1,835,008) = 23,095,410,688
  // + attention/norms 61 x 187,121,664 = 11,414,421,504 + dense 1,189,085,184
  // + embeddings 1,853,365,248 = 37,552,282,624 (DeepSeek: "37B activated")
  CHECK(p.active == 37'552'282'624ULL);

  // fp8 (128x128 blocks, one fp32 scale per 16,384 weights), embeddings etc. in 16-bit:
  // dense layer: 583,467,008 linear = 35,612 blocks exactly -> + 142,448 B; + 32,768 B norms
  // MoE layer: 11,505,434,624 linear = 702,236 blocks exactly -> + 2,808,944 B; + 32,768 B norms
  //            + router 3,670,016 B
  // = 3 x 583,642,224 + 58 x 11,511,946,352 + 3,706,730,496 = 673,150,545,584 B (~671-673 GB)
  const auto w = engine::weight_bytes(p, embedded_catalog().precision("fp8"));
  CHECK(w.total == 673'150'545'584ULL);
  CHECK(std::abs(static_cast<double>(w.total) - 671e9) / 671e9 < 0.005);
  // bf16: every parameter 2 bytes -> 1,342,052,808,704 B (~1.34 TB)
  CHECK(engine::weight_bytes(p, embedded_catalog().precision("bf16")).total == 2 * 671'026'404'352ULL);
}

TEST_CASE("quantized storage rounds up partial groups and bytes", "[engine][memory]") {
  catalog::Precision int4;
  int4.weight_bits = 4;
  int4.group_size = 128;
  int4.group_overhead_bits = 20;
  CHECK(engine::quantized_bytes(128, int4) == 67); // 512 + 20 bits = 532 bits = 66.5 B -> 67
  CHECK(engine::quantized_bytes(129, int4) == 70); // 516 + 2 groups x 20 = 556 bits = 69.5 B -> 70
}
