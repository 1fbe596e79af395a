#pragma once
// Valid tensor/pipeline-parallel layouts and how layers split across pipeline stages.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::engine {

struct Layout {
  std::uint64_t tensor_parallel = 1;
  std::uint64_t pipeline_parallel = 1;
  [[nodiscard]] std::uint64_t gpus() const { return tensor_parallel * pipeline_parallel; }
};

// Why a tensor-parallel degree is not allowed for a model, or nullopt when it is: attention
// heads must divide evenly, and KV heads must divide TP or TP divide them (vLLM replicates
// KV heads when TP exceeds their count); TP must stay inside one node, or with `tp_nodes` > 1
// span up to that many whole nodes (TP a multiple of gpus_per_node).
std::optional<std::string> tensor_parallel_problem(const catalog::Architecture& arch, std::uint64_t tp,
                                                   std::uint64_t gpus_per_node, std::uint64_t tp_nodes = 1);

// Candidate layouts in the order a fit search tries them: fewest GPUs first, and for one count
// the larger TP first. Inside one node, every valid TP with pipeline stages that divide the
// layers evenly (any number of stages with `uneven_stages`: llama.cpp's layer split); beyond
// one node, TP fills a node (the largest valid TP up to GPUs per node) and each further node
// is a pipeline stage. With `tp_nodes` > 1, TP may also span 2..tp_nodes whole nodes, each
// such group a pipeline stage.
std::vector<Layout> candidate_layouts(const catalog::Architecture& arch, std::uint64_t gpus_per_node,
                                      std::uint64_t max_stages, bool uneven_stages = false, std::uint64_t tp_nodes = 1);

// Layouts that use exactly `gpus` GPUs (for --gpus N), same rules.
std::vector<Layout> layouts_for_count(const catalog::Architecture& arch, std::uint64_t gpus_per_node,
                                      std::uint64_t gpus, bool uneven_stages = false, std::uint64_t tp_nodes = 1);

// [first, last) layer of each stage, as vLLM's get_pp_indices splits them: L / PP layers
// each, the remainder given one each to the stages before the last.
std::vector<std::pair<std::uint64_t, std::uint64_t>> pipeline_stages(std::uint64_t layers, std::uint64_t stages);

} // namespace modelpick::engine
