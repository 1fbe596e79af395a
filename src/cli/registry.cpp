#include "registry.hpp"

namespace modelpick::cli {

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> table = {
      {"size", "Memory, GPU count, parallel layout and max concurrency for one model", add_size_command},
      {"list", "The catalog: models, GPUs (--gpus) or precisions (--precisions)", add_list_command},
  };
  return table;
}

} // namespace modelpick::cli
