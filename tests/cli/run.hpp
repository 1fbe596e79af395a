#pragma once
// Runs the real modelpick binary and captures exit code, stdout and stderr.
#include <string>
#include <vector>

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

RunResult run_modelpick(const std::vector<std::string>& args);

// The same with stdout sent where a shell redirection says (">/dev/full", ">&-"); `out` is then
// empty.
RunResult run_modelpick_to(const std::vector<std::string>& args, const std::string& stdout_redirect);

// Path of a file in tests/fixtures.
std::string fixture(const std::string& name);
