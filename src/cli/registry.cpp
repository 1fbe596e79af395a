#include "registry.hpp"

namespace modelpick::cli {

const std::vector<CommandSpec>& commands() {
  static const std::vector<CommandSpec> table = {
      {"size", "Memory, GPU count, parallel layout and max concurrency for one model", add_size_command},
      {"compare", "Models side by side on the same GPUs and request, with the differences that matter",
       add_compare_command},
      {"pick", "The models that fit your GPUs and pass the license, ranked", add_pick_command},
      {"check", "Re-check a deployment file in CI: fits, license, cost against APIs; exit 3 on a failure",
       add_check_command},
      {"cost", "Throughput, $/1M tokens and the volume from which self-hosting beats an API", add_cost_command},
      {"license-check", "May we do this with this model? The verdict and the clause that decides it",
       add_license_check_command},
      {"show", "Everything the catalog knows about one model, with sources", add_show_command},
      {"list", "The catalog's models (filtered, sorted), GPUs (--gpus) or precisions (--precisions)", add_list_command},
      {"catalog", "Keep the catalog fresh: `catalog add` prints an entry built from a config.json",
       add_catalog_command},
      {"completion", "A bash or zsh completion script (commands, options, model, GPU and precision ids)",
       add_completion_command, /*reads_all_commands=*/true},
      {"manpage", "The man page (written at build time)", add_manpage_command, /*reads_all_commands=*/true,
       /*hidden=*/true},
  };
  return table;
}

} // namespace modelpick::cli
