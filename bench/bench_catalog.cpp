// Times what the CLI cannot time on its own: parsing and validating the embedded catalog, in
// process, without the process start-up. scripts/bench.sh prints it beside the commands.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/catalog/embedded.hpp"

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
  std::vector<double> ms;
  std::size_t models = 0;
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    const auto catalog = modelpick::catalog::Catalog::load(modelpick::catalog::embedded_documents());
    const auto end = std::chrono::steady_clock::now();
    models = catalog.models().size();
    ms.push_back(std::chrono::duration<double, std::milli>(end - start).count());
  }
  std::sort(ms.begin(), ms.end());
  std::printf("catalog parse (%zu models), median of %d: %.2f ms\n", models, runs, ms[ms.size() / 2]);
  return 0;
}
