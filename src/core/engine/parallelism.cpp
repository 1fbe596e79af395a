#include "modelpick/engine/parallelism.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace modelpick::engine {

namespace {

// The heads a Mamba or linear-attention layer shards over tensor-parallel ranks (Mamba-1: its
// inner channels); 0 when the model has no such layer.
std::uint64_t recurrent_heads(const catalog::Architecture& arch) {
  if (arch.mamba) {
    return arch.mamba->heads > 0 ? arch.mamba->heads : arch.mamba->d_inner;
  }
  if (arch.linear) {
    return arch.linear->value_heads;
  }
  return 0;
}

enum class TpProblem { none, zero, past_node, part_node, heads, kv_heads, recurrent_heads };

// Why a tensor-parallel size does not work, without words: layout searches ask this of every
// size for every model pick tries, and need no message.
TpProblem tp_problem(const catalog::Architecture& arch, std::uint64_t tp, std::uint64_t gpus_per_node,
                     std::uint64_t tp_nodes) {
  if (tp == 0) {
    return TpProblem::zero;
  }
  if (tp > gpus_per_node * tp_nodes) {
    return TpProblem::past_node;
  }
  if (tp > gpus_per_node && tp % gpus_per_node != 0) {
    return TpProblem::part_node;
  }
  if (arch.attention_heads % tp != 0) {
    return TpProblem::heads;
  }
  if (!arch.mla && arch.kv_heads % tp != 0 && tp % arch.kv_heads != 0) {
    return TpProblem::kv_heads;
  }
  if (recurrent_heads(arch) % tp != 0 || (arch.linear && arch.linear->key_heads % tp != 0)) {
    return TpProblem::recurrent_heads; // vLLM's state shapes divide them over the ranks
  }
  return TpProblem::none;
}

bool tp_works(const catalog::Architecture& arch, std::uint64_t tp, std::uint64_t gpus_per_node,
              std::uint64_t tp_nodes = 1) {
  return tp_problem(arch, tp, gpus_per_node, tp_nodes) == TpProblem::none;
}

} // namespace

std::optional<std::string> tensor_parallel_problem(const catalog::Architecture& arch, std::uint64_t tp,
                                                   std::uint64_t gpus_per_node, std::uint64_t tp_nodes) {
  switch (tp_problem(arch, tp, gpus_per_node, tp_nodes)) {
  case TpProblem::none:
    return std::nullopt;
  case TpProblem::zero:
    return "tensor parallel size must be at least 1";
  case TpProblem::past_node:
    return tp_nodes > 1 ? fmt::format("tensor parallel {} exceeds the {} GPUs of {} nodes (--tp-nodes)", tp,
                                      gpus_per_node * tp_nodes, tp_nodes)
                        : fmt::format("tensor parallel {} exceeds the {} GPUs of one node (--tp-nodes N lets it "
                                      "span N nodes)",
                                      tp, gpus_per_node);
  case TpProblem::part_node:
    return fmt::format("tensor parallel {} beyond one node must fill whole nodes of {} GPUs", tp, gpus_per_node);
  case TpProblem::heads:
    return fmt::format("{} attention heads do not split evenly over tensor parallel {}", arch.attention_heads, tp);
  case TpProblem::kv_heads:
    return fmt::format("{} KV heads neither divide nor are divided by tensor parallel {}", arch.kv_heads, tp);
  case TpProblem::recurrent_heads:
    return fmt::format("the {} heads of its {} layers do not split evenly over tensor parallel {}",
                       arch.linear && arch.linear->key_heads % tp != 0 ? arch.linear->key_heads : recurrent_heads(arch),
                       arch.mamba ? "Mamba" : "linear-attention", tp);
  }
  return std::nullopt;
}

std::vector<Layout> candidate_layouts(const catalog::Architecture& arch, std::uint64_t gpus_per_node,
                                      std::uint64_t max_stages, bool uneven_stages, std::uint64_t tp_nodes) {
  // Ascending in GPUs, and for one GPU count the larger TP first (fewer stages, less latency):
  // every working TP inside a node, with pipeline stages inside the node too (TP x PP up to a
  // node: 3 GPUs as TP 1 x PP 3), then one pipeline stage per node at the largest TP that works.
  std::vector<Layout> out;
  out.reserve(2 * gpus_per_node + max_stages);
  for (std::uint64_t tp = 1; tp <= gpus_per_node; ++tp) {
    if (!tp_works(arch, tp, gpus_per_node)) {
      continue;
    }
    for (std::uint64_t pp = 1; tp * pp <= gpus_per_node && pp <= max_stages && pp <= arch.layers; ++pp) {
      if (pp == 1 || uneven_stages || arch.layers % pp == 0) { // even stages, as deployments split them
        out.push_back({tp, pp});
      }
    }
  }
  if (out.empty()) { // no GPU in a node (the catalog requires one)
    return out;
  }
  const std::uint64_t node_tp = std::max_element(out.begin(), out.end(), [](const Layout& a, const Layout& b) {
                                  return a.tensor_parallel < b.tensor_parallel;
                                })->tensor_parallel;
  for (std::uint64_t pp = 2; pp <= max_stages && pp <= arch.layers; ++pp) {
    if (node_tp * pp > gpus_per_node) {
      out.push_back({node_tp, pp});
    }
  }
  // TP over whole nodes where the user allows it (--tp-nodes), each such group a stage
  for (std::uint64_t k = 2; k <= tp_nodes; ++k) {
    const std::uint64_t tp = gpus_per_node * k;
    if (!tp_works(arch, tp, gpus_per_node, tp_nodes)) {
      continue;
    }
    for (std::uint64_t pp = 1; pp <= max_stages && pp <= arch.layers; ++pp) {
      if (pp == 1 || uneven_stages || arch.layers % pp == 0) {
        out.push_back({tp, pp});
      }
    }
  }
  // (GPUs, TP) names a layout once, so the order is total and needs no stable sort's buffer
  std::sort(out.begin(), out.end(), [](const Layout& a, const Layout& b) {
    return a.gpus() != b.gpus() ? a.gpus() < b.gpus() : a.tensor_parallel > b.tensor_parallel;
  });
  return out;
}

std::vector<Layout> layouts_for_count(const catalog::Architecture& arch, std::uint64_t gpus_per_node,
                                      std::uint64_t gpus, bool uneven_stages, std::uint64_t tp_nodes) {
  std::vector<Layout> out;
  for (const Layout& l : candidate_layouts(arch, gpus_per_node, gpus, uneven_stages, tp_nodes)) {
    if (l.gpus() == gpus) {
      out.push_back(l);
    }
  }
  return out;
}

std::vector<std::pair<std::uint64_t, std::uint64_t>> pipeline_stages(std::uint64_t layers, std::uint64_t stages) {
  // vllm/distributed/utils.py get_pp_indices: partitions of layers // stages, the remainder
  // added one layer each to partitions[-2], partitions[-3], ... (the last stage also holds
  // the lm_head, so it is spared): stages [stages - 1 - remainder, stages - 2] get one more.
  const std::uint64_t remainder = layers % stages;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> out;
  out.reserve(stages);
  std::uint64_t first = 0;
  for (std::uint64_t s = 0; s < stages; ++s) {
    const bool extra = s + 1 + remainder >= stages && s + 2 <= stages;
    const std::uint64_t n = layers / stages + (extra ? 1 : 0);
    out.emplace_back(first, first + n);
    first += n;
  }
  return out;
}

} // namespace modelpick::engine
