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
  CHECK(engine::place_weights(p, catalog.precision("bf16")).total == 16'060'522'496ULL);
  // int4: per layer 218,103,808 linear weights -> 1,703,936 groups of 128;
  // bits = 218,103,808 x 4 + 1,703,936 x 20 (fp16 scale + 4-bit zero) = 906,493,952 -> 113,311,744 B
  // + norms 16,384 B = 113,328,128 B x 32 = 3,626,500,096; + 16-bit embed/lm_head/final norm
  // (1,050,673,152 + 4,096) x 2 = 2,101,354,496 -> 5,727,854,592 B (hugging-quants' AWQ
  // checkpoint of Llama-3.1-8B-Instruct is 5.73 GB).
  CHECK(engine::place_weights(p, catalog.precision("int4")).total == 5'727'854'592ULL);
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
  // + the MTP layer the checkpoint stores (config num_nextn_predict_layers 1): one MoE block
  //   11,320,164,352 + 187,121,664 = 11,507,286,016, eh_proj 2 x 7168^2 + 3 norms x 7168 + its own
  //   embedding and head 2 x 129,280 x 7168 = 1,956,140,032 -> 13,463,426,048
  //   = 684,489,830,400 (DeepSeek: "685B, which includes 671B of the Main Model weights and 14B of
  //   the Multi-Token Prediction (MTP) Module weights")
  const auto p = engine::count_params(arch_of("deepseek-v3"));
  CHECK(p.total == 684'489'830'400ULL);
  CHECK(p.mtp_layers * p.mtp_block.total() + p.mtp_other == 13'463'426'048ULL);
  // active: 9 of 257 experts per MoE layer: 58 x (9 x 44,040,192 + 1,835,008) = 23,095,410,688
  // + attention/norms 61 x 187,121,664 = 11,414,421,504 + dense 1,189,085,184
  // + embeddings 1,853,365,248 = 37,552,282,624 (DeepSeek: "37B activated")
  CHECK(p.active == 37'552'282'624ULL);

  // fp8 (128x128 blocks, one fp32 scale per 16,384 weights), embeddings etc. in 16-bit:
  // dense layer: 583,467,008 linear = 35,612 blocks exactly -> + 142,448 B; + 32,768 B norms
  // MoE layer: 11,505,434,624 linear = 702,236 blocks exactly -> + 2,808,944 B; + 32,768 B norms
  //            + router 3,670,016 B
  // = 3 x 583,642,224 + 58 x 11,511,946,352 + 3,706,730,496 = 673,150,545,584 B (~671-673 GB)
  // + MTP: its MoE block 11,511,946,352 as above and 1,956,140,032 x 2 B -> 688,574,772,000 B
  const auto w = engine::place_weights(p, embedded_catalog().precision("fp8"));
  CHECK(w.total == 688'574'772'000ULL);
  CHECK(w.total - 15'424'226'416ULL == 673'150'545'584ULL);
  // bf16: every parameter 2 bytes -> 1,368,979,660,800 B (~1.37 TB)
  CHECK(engine::place_weights(p, embedded_catalog().precision("bf16")).total == 2 * 684'489'830'400ULL);
}

TEST_CASE("quantized storage rounds up partial groups and bytes", "[engine][memory]") {
  catalog::Precision int4;
  int4.weight_bits = 4;
  int4.group_size = 128;
  int4.group_overhead_bits = 20;
  CHECK(engine::quantized_bytes(128, int4) == 67); // 512 + 20 bits = 532 bits = 66.5 B -> 67
  CHECK(engine::quantized_bytes(129, int4) == 70); // 516 + 2 groups x 20 = 556 bits = 69.5 B -> 70
}

namespace {

// A small architecture to exercise one feature at a time by hand.
catalog::Architecture toy() {
  catalog::Architecture a;
  a.layers = 2;
  a.hidden_size = 64;
  a.intermediate_size = 256;
  a.attention_heads = 4;
  a.kv_heads = 2;
  a.head_dim = 16;
  a.vocab_size = 100;
  a.tied_embeddings = true;
  a.attention_pattern = {{catalog::AttentionKind::full, 0}};
  return a;
}

} // namespace

TEST_CASE("non-gated MLPs have two matrices", "[engine][memory]") {
  auto a = toy();
  // per layer: q 64x64 + k,v 2 x 64x32 + o 64x64 = 12,288; gated MLP 3 x 64 x 256 = 49,152;
  // norms 128. Embedding 6,400 (tied) + final norm 64.
  CHECK(engine::count_params(a).total == 6'400 + 64 + 2 * (12'288 + 49'152 + 128));
  a.mlp_gated = false; // up + down: 2 x 64 x 256 = 32,768
  CHECK(engine::count_params(a).total == 6'400 + 64 + 2 * (12'288 + 32'768 + 128));
}

TEST_CASE("mamba and linear-attention layers", "[engine][memory]") {
  auto a = toy();
  a.attention_pattern = {{catalog::AttentionKind::mamba, 0}, {catalog::AttentionKind::linear, 0}};
  a.mamba = catalog::Mamba{16, 4, 128, 4}; // d_state, d_conv, d_inner, dt_rank
  const auto p = engine::count_params(a);
  // mamba linear: in_proj 64x256 = 16,384; x_proj 128 x (4 + 32) = 4,608; dt_proj 4x128 = 512;
  // out_proj 128x64 = 8,192 -> 29,696
  CHECK(p.layers[0].attention_linear == 29'696);
  // 16-bit: conv 128 x 5 = 640; dt bias 128; A 128x16 = 2,048; D 128; dt/B/C norms 4 + 32 = 36;
  // + 2 block norms 128 -> 3,108
  CHECK(p.layers[0].unquantized == 3'108);
  // linear attention: 5 x 64 x (4 x 16) = 20,480 linear; norm over 64 + block norms 128
  CHECK(p.layers[1].attention_linear == 20'480);
  CHECK(p.layers[1].unquantized == 192);
}

TEST_CASE("latent MoE: routed experts on the latent width behind two projections", "[engine][memory]") {
  auto a = toy();
  a.mlp_gated = false; // Nemotron 3: relu2 experts, up and down only
  a.moe = catalog::Moe{};
  a.moe->experts = 8;
  a.moe->experts_per_token = 2;
  a.moe->shared_experts = 1;
  a.moe->expert_intermediate_size = 48;
  a.moe->shared_expert_intermediate_size = 96;
  const auto wide = engine::count_params(a);
  a.moe->latent_size = 16;
  const auto p = engine::count_params(a);
  // routed: 8 experts x (up + down) 2 x 16 x 48 = 12,288; 2 per token: 3,072
  CHECK(p.layers[0].expert_linear == 12'288);
  CHECK(p.layers[0].active_expert_linear == 3'072);
  // shared expert on hidden: 2 x 64 x 96 = 12,288; fc1 / fc2 latent projections 2 x 64 x 16 = 2,048
  CHECK(p.layers[0].mlp_linear == 12'288 + 2'048);
  // the router still reads hidden: 8 x 64 beside attention's and the block's 16-bit terms
  CHECK(p.layers[0].unquantized == wide.layers[0].unquantized);
  // on hidden (64) the experts would hold 8 x 2 x 64 x 48 = 49,152
  CHECK(wide.layers[0].expert_linear == 49'152);
}

TEST_CASE("an experts-only format leaves attention in 16-bit", "[engine][memory]") {
  auto a = toy();
  a.moe = catalog::Moe{};
  a.moe->experts = 4;
  a.moe->experts_per_token = 2;
  a.moe->expert_intermediate_size = 128;
  a.moe->expert_bias = true;
  const auto p = engine::count_params(a);
  // experts: 4 x 3 x 64 x 128 = 98,304; router 4 x 64 = 256; expert biases 4 x (2 x 128 + 64) = 1,280
  CHECK(p.layers[0].expert_linear == 98'304);
  CHECK(p.layers[0].active_expert_linear == 49'152);
  CHECK(p.layers[0].unquantized == 128 + 256 + 1'280);
  catalog::Precision mxfp4;
  mxfp4.weight_bits = 4;
  mxfp4.group_size = 32;
  mxfp4.group_overhead_bits = 8;
  mxfp4.experts_only = true;
  // experts: 98,304 x 4 bits + 3,072 groups x 8 bits = 417,792 bits = 52,224 B;
  // attention 12,288 + 16-bit extras 1,664 at 2 bytes = 27,904 B -> 80,128 B
  CHECK(engine::layer_weight_bytes(p.layers[0], mxfp4) == 80'128);
}
