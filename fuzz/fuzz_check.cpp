// libFuzzer target: a deployment file given to `check`, parsed and evaluated in process. Errors
// are answers; a crash, a sanitizer report or an uncaught exception other than modelpick's
// Error is a finding. A report the command returns must be one JSON document.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <unistd.h>

#include "../src/cli/registry.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace modelpick;
  static const std::string path = "/tmp/modelpick-fuzz-check-" + std::to_string(getpid()) + ".json";
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  CLI::App app;
  const cli::CommandSpec spec{"check", "fuzzed", &cli::add_check_command};
  const cli::Runner run = cli::add_check_command(app, spec);
  try {
    app.parse(std::vector<std::string>{"--json", path, "check"}); // CLI11 takes them reversed
    const cli::CommandOutput out = run(fuzz::embedded());
    // the property: a report is one JSON object, and its exit code is 0 or 3
    const auto doc = nlohmann::json::parse(out.text);
    if (!doc.is_object() || (out.exit_code != 0 && out.exit_code != 3)) {
      std::abort();
    }
  } catch (const Error&) {
  } catch (const CLI::ParseError&) {
  }
  return 0;
}
