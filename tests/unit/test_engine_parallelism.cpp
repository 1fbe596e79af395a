#include <catch2/catch.hpp>

#include "catalog_fixture.hpp"
#include "modelpick/engine/parallelism.hpp"

using namespace modelpick;
using Stages = std::vector<std::pair<std::uint64_t, std::uint64_t>>;

TEST_CASE("pipeline stages split layers as vLLM's get_pp_indices", "[engine][parallelism]") {
  // 61 / 3 = 20 rem 1 -> the stage before the last gets the extra layer: 20, 21, 20
  CHECK(engine::pipeline_stages(61, 3) == Stages{{0, 20}, {20, 41}, {41, 61}});
  // 80 / 3 = 26 rem 2 -> stages [-2] and [-3] get one each: 27, 27, 26
  CHECK(engine::pipeline_stages(80, 3) == Stages{{0, 27}, {27, 54}, {54, 80}});
  // 61 / 2 = 30 rem 1 -> 31, 30
  CHECK(engine::pipeline_stages(61, 2) == Stages{{0, 31}, {31, 61}});
  CHECK(engine::pipeline_stages(32, 1) == Stages{{0, 32}});
}

TEST_CASE("tensor parallel rules", "[engine][parallelism]") {
  const auto& llama = arch_of("llama-3.1-70b"); // 64 heads, 8 KV heads
  CHECK_FALSE(engine::tensor_parallel_problem(llama, 8, 8));
  CHECK(engine::tensor_parallel_problem(llama, 3, 8));       // 64 % 3 != 0
  CHECK(engine::tensor_parallel_problem(llama, 16, 8));      // beyond one node
  const auto& qwen3 = arch_of("qwen3-235b-a22b");            // 64 heads, 4 KV heads
  CHECK_FALSE(engine::tensor_parallel_problem(qwen3, 8, 8)); // KV heads replicated x2
}

TEST_CASE("candidate layouts: one node by TP and then whole nodes by PP", "[engine][parallelism]") {
  const auto layouts = engine::candidate_layouts(arch_of("deepseek-v3"), 8, 4);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> got;
  for (const auto& l : layouts) {
    got.emplace_back(l.tensor_parallel, l.pipeline_parallel);
  }
  CHECK(got ==
        std::vector<std::pair<std::uint64_t, std::uint64_t>>{{1, 1}, {2, 1}, {4, 1}, {8, 1}, {8, 2}, {8, 3}, {8, 4}});
  CHECK(engine::layouts_for_count(arch_of("deepseek-v3"), 8, 12).empty());
  CHECK(engine::layouts_for_count(arch_of("deepseek-v3"), 8, 16).size() == 1);
}

TEST_CASE("tensor parallelism across nodes only where allowed, and only over whole nodes", "[engine][parallelism]") {
  const auto& llama = arch_of("llama-3.1-70b");                  // 64 heads, 8 KV heads
  CHECK_FALSE(engine::tensor_parallel_problem(llama, 16, 8, 2)); // two whole nodes of 8
  CHECK(engine::tensor_parallel_problem(llama, 12, 8, 2));       // a node and a half
  CHECK(engine::tensor_parallel_problem(llama, 32, 8, 2));       // four nodes, two allowed
  // DeepSeek-V3 (61 layers: no even split into 2-4 stages): TP 16 over two nodes comes before
  // TP 8 x PP 2 for the same 16 GPUs (the larger TP first)
  const auto layouts = engine::candidate_layouts(arch_of("deepseek-v3"), 8, 4, false, 2);
  std::vector<std::pair<std::uint64_t, std::uint64_t>> got;
  for (const auto& l : layouts) {
    got.emplace_back(l.tensor_parallel, l.pipeline_parallel);
  }
  CHECK(got == std::vector<std::pair<std::uint64_t, std::uint64_t>>{
                   {1, 1}, {2, 1}, {4, 1}, {8, 1}, {16, 1}, {8, 2}, {8, 3}, {8, 4}});
  CHECK(engine::layouts_for_count(arch_of("deepseek-v3"), 8, 16, false, 2).size() == 2);
}
