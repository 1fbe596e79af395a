// Times what the CLI cannot time on its own, in process and without the process start-up:
// reading the compiled embedded catalog (what every run without --catalog does) and parsing and
// validating the embedded JSON (what a run with --catalog overlays does, and what the build does
// once). scripts/bench.sh prints both beside the commands.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/catalog/embedded.hpp"

namespace {

template <class Load> void time_it(const char* what, int runs, Load load) {
  std::vector<double> ms;
  std::size_t models = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto catalog = load();
    const auto end = std::chrono::steady_clock::now();
    models = catalog.models().size();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("%s (%zu models), median of %d: %.2f ms\n", what, models, runs, ms[ms.size() / 2]);
}

} // namespace

int main(int argc, char** argv) {
  using namespace modelpick::catalog;
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
  time_it("compiled catalog read", runs, [] { return embedded_catalog(); });
  time_it("catalog JSON parse + validation", runs, [] { return Catalog::load(embedded_documents()); });
  return 0;
}
