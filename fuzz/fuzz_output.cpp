// libFuzzer target: the output writer (--svg FILE). The fuzzer picks a name inside a scratch
// directory, what is already there (nothing, a file, a directory, a symlink) and the text.
// Properties: on success the file holds exactly the text; on an error, what was there is
// untouched; no temporary file is left behind either way.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

#include "../src/cli/catalog_source.hpp"
#include "modelpick/error.hpp"

namespace fs = std::filesystem;

namespace {

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) {
    return 0;
  }
  static const fs::path dir = fs::temp_directory_path() / ("modelpick-fuzz-out-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  // byte 0: what is there already; bytes 1..n: a name (letters only, at most 16), then the text
  const int existing = data[0] % 4;
  std::string name;
  std::size_t i = 1;
  for (; i < size && name.size() < 16 && data[i] != 0; ++i) {
    name += static_cast<char>('a' + data[i] % 26);
  }
  if (name.empty()) {
    name = "x";
  }
  const std::string text(reinterpret_cast<const char*>(data) + i, size - i);
  const fs::path target = dir / (name + ".svg");
  const std::string before = "previous content";
  if (existing == 1) {
    std::ofstream(target) << before;
  } else if (existing == 2) {
    fs::create_directory(target);
  } else if (existing == 3) {
    std::ofstream(dir / "victim") << before;
    fs::create_symlink(dir / "victim", target);
  }
  bool ok = true;
  try {
    modelpick::cli::write_output_file(target.string(), text, "--svg");
  } catch (const modelpick::Error&) {
    ok = false;
  }
  if (ok && (fs::is_symlink(target) || slurp(target) != text)) {
    std::abort(); // written, but not the text
  }
  if (!ok) {
    if ((existing == 1 && slurp(target) != before) || (existing == 3 && slurp(dir / "victim") != before) ||
        (existing == 2 && !fs::is_directory(target))) {
      std::abort(); // refused, but what was there changed
    }
  }
  if (existing == 3 && slurp(dir / "victim") != before) {
    std::abort(); // a symlink's target is never written through
  }
  for (const auto& e : fs::directory_iterator(dir)) {
    const std::string n = e.path().filename().string();
    if (n != name + ".svg" && n != "victim") {
      std::abort(); // a temporary left behind
    }
  }
  fs::remove_all(dir);
  return 0;
}
