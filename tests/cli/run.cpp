#include "run.hpp"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace {

std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (const char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

RunResult run_modelpick(const std::vector<std::string>& args) {
  return run_modelpick_to(args, "");
}

RunResult run_modelpick_to(const std::vector<std::string>& args, const std::string& stdout_redirect) {
  char dir_template[] = "/tmp/modelpick-cli-XXXXXX";
  const char* dir = mkdtemp(dir_template);
  const std::string out_path = std::string(dir) + "/out";
  const std::string err_path = std::string(dir) + "/err";
  // A guard against hangs, not a speed target: a command killed after 30 s exits 124 or 137,
  // which no test expects.
  std::string command = "timeout -k 5 30 " + shell_quote(MODELPICK_BINARY);
  for (const auto& a : args) {
    command += " " + shell_quote(a);
  }
  command += " </dev/null " + (stdout_redirect.empty() ? ">" + out_path : stdout_redirect) + " 2>" + err_path;
  const int status = std::system(command.c_str());
  RunResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.out = slurp(out_path);
  r.err = slurp(err_path);
  std::remove(out_path.c_str());
  std::remove(err_path.c_str());
  rmdir(dir);
  return r;
}

std::string fixture(const std::string& name) {
  return std::string(MODELPICK_FIXTURES) + "/" + name;
}
