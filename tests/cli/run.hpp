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

// Path of a file in tests/fixtures.
std::string fixture(const std::string& name);
