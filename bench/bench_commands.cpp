// Times whole runs of the CLI against the process start-up floor (/bin/true): each command is
// spawned (posix_spawn, output to /dev/null) and waited for, RUNS times, the commands taken in
// turn so that a busy moment of the machine falls on all of them alike; the median wall time of
// each is printed with its ratio to the floor, and the targets of docs/performance.md are
// checked. Usage: bench_commands MODELPICK [RUNS]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <spawn.h>
#include <string>
#include <string_view>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace {

struct Command {
  std::string label;
  std::vector<std::string> argv;
  std::vector<double> ms;
};

// One run's wall time in milliseconds, from spawning to reaping; exits on a failed spawn.
double time_run(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    std::fprintf(stderr, "bench_commands: cannot run %s\n", args[0]);
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const auto end = std::chrono::steady_clock::now();
  posix_spawn_file_actions_destroy(&actions);
  return std::chrono::duration<double, std::milli>(end - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

} // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fputs("usage: bench_commands MODELPICK [RUNS]\n", stderr);
    return 2;
  }
  const std::string bin = argv[1];
  const int runs = argc > 2 ? std::max(1, std::atoi(argv[2])) : 30;
  std::vector<Command> commands = {
      {"/bin/true (process floor)", {"/bin/true"}, {}},
      {"--version (no catalog)", {bin, "--version"}, {}},
      {"size deepseek-v3 --precision fp8 --gpu h200",
       {bin, "size", "deepseek-v3", "--precision", "fp8", "--gpu", "h200"},
       {}},
      {"compare of 4 models",
       {bin, "compare", "llama-3.1-70b", "qwen2.5-72b", "deepseek-v3", "mixtral-8x22b", "--precision", "fp8"},
       {}},
      {"pick over the whole catalog", {bin, "pick", "--gpu", "h100", "--gpus", "8", "--tokens-per-day", "20M"}, {}},
      {"license-check of the whole catalog", {bin, "license-check", "--mau", "800M"}, {}},
      {"cost llama-3.3-70b --tokens-per-day 10M",
       {bin, "cost", "llama-3.3-70b", "--precision", "fp8", "--tokens-per-day", "10M"},
       {}},
      {"list", {bin, "list"}, {}},
  };
  for (Command& c : commands) {
    time_run(c.argv); // warm the page cache
  }
  for (int i = 0; i < runs; ++i) {
    for (Command& c : commands) {
      c.ms.push_back(time_run(c.argv));
    }
  }
  const auto ms_of = [&](std::string_view label_start) {
    return median(std::find_if(commands.begin(), commands.end(), [&](const Command& c) {
                    return c.label.rfind(label_start, 0) == 0;
                  })->ms);
  };
  const double floor = ms_of("/bin/true");
  std::printf("%-44s %9s %9s\n", ("command (median of " + std::to_string(runs) + " runs)").c_str(), "ms", "x floor");
  double worst = 0;
  for (const Command& c : commands) {
    const double m = median(c.ms);
    worst = std::max(worst, m / floor);
    std::printf("%-44s %9.2f %9.1f\n", c.label.c_str(), m, m / floor);
  }
  const double pick_per_size = ms_of("pick") / ms_of("size");
  std::printf("\nevery command within 4x the floor: %s (worst %.1fx)\n", worst <= 4 ? "met" : "NOT MET", worst);
  std::printf("pick within 2x one size: %s (%.1fx)\n", pick_per_size <= 2 ? "met" : "NOT MET", pick_per_size);
  return 0;
}
