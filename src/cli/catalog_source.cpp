#include "catalog_source.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <spdlog/spdlog.h>
#include <sstream>

#include "modelpick/catalog/embedded.hpp"
#include "modelpick/catalog/gguf.hpp"
#include "modelpick/error.hpp"
#include <vector>

namespace modelpick::cli {
namespace {

// Checked before reading, so a huge or endless file (/dev/zero) is refused without being read.
constexpr std::uintmax_t k_max_catalog_file_bytes = 16U << 20;

// The size of `path`, after checking it names a regular file (not a directory, FIFO or device,
// which could block or never end).
std::uint64_t regular_file_size(const std::string& path, const std::string& what) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw Error(ErrorKind::io, fmt::format("cannot read {} '{}': no such file", what, path));
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(ErrorKind::io, fmt::format("cannot read {} '{}': not a regular file", what, path));
  }
  const std::uint64_t size = std::filesystem::file_size(path, ec);
  if (ec) {
    throw Error(ErrorKind::io, fmt::format("cannot read {} '{}': {}", what, path, ec.message()));
  }
  return size;
}

} // namespace

std::string read_user_file(const std::string& path, const std::string& what, std::uintmax_t max_bytes) {
  if (regular_file_size(path, what) > max_bytes) {
    throw Error(ErrorKind::io, fmt::format("{} '{}' is larger than the {} bytes accepted", what, path, max_bytes));
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::io, fmt::format("cannot read {} '{}': {}", what, path, std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

catalog::ConfigImport read_gguf_model(const std::string& path) {
  // A header is a few MiB (the tokenizer dominates); weights are never read. Past this cap the
  // file is refused rather than read for ever.
  constexpr std::uint64_t k_first_read = 4U << 20;
  constexpr std::uint64_t k_max_header = 512U << 20;
  const std::uint64_t size = regular_file_size(path, "GGUF file");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw Error(ErrorKind::io, fmt::format("cannot read GGUF file '{}': {}", path, std::strerror(errno)));
  }
  std::vector<unsigned char> buffer;
  for (std::uint64_t want = std::min(size, k_first_read);; want = std::min(size, want * 4)) {
    const std::size_t have = buffer.size();
    buffer.resize(want);
    in.read(reinterpret_cast<char*>(buffer.data() + have), static_cast<std::streamsize>(want - have));
    if (static_cast<std::uint64_t>(in.gcount()) != want - have) {
      throw Error(ErrorKind::io, fmt::format("cannot read GGUF file '{}': short read", path));
    }
    spdlog::debug("parsing the first {} bytes of {}", want, path);
    if (const auto header = catalog::parse_gguf_header(buffer, size, path)) {
      return catalog::model_from_gguf(*header, path);
    }
    if (want >= k_max_header) {
      throw Error(ErrorKind::invalid_catalog,
                  fmt::format("{}: the GGUF header is larger than the {} bytes accepted", path, k_max_header));
    }
  }
}

catalog::ConfigImport read_config_model(const std::string& path) {
  const auto slash = path.find_last_of('/');
  const std::string quant =
      (slash == std::string::npos ? std::string() : path.substr(0, slash + 1)) + "hf_quant_config.json";
  std::error_code ec;
  const std::string quant_text = std::filesystem::is_regular_file(quant, ec)
                                     ? read_user_file(quant, "quantization file", 1U << 20)
                                     : std::string();
  return catalog::model_from_hf_config(path, read_user_file(path, "config file", 4U << 20), quant_text);
}

catalog::Catalog load_catalog(const std::vector<std::string>& overlay_files) {
  catalog::Catalog catalog = [&] {
    if (overlay_files.empty()) {
      // The build compiled and validated the embedded catalog: there is no JSON to parse.
      spdlog::debug("reading the compiled embedded catalog");
      return catalog::embedded_catalog();
    }
    // Overlays merge with the embedded files field by field, as JSON.
    std::vector<catalog::Document> documents = catalog::embedded_documents();
    for (const std::string& path : overlay_files) {
      spdlog::debug("reading catalog overlay {}", path);
      documents.push_back(
          catalog::Document{path, read_user_file(path, "catalog file", k_max_catalog_file_bytes), false});
    }
    return catalog::Catalog::load(documents);
  }();
  spdlog::debug("catalog {}: {} models, {} GPUs, {} precisions", catalog.version(), catalog.models().size(),
                catalog.gpus().size(), catalog.precisions().size());
  return catalog;
}

void write_output_file(const std::string& path, const std::string& text, const std::string& flag) {
  // Written beside the target and renamed over it, so a reader never sees half a file.
  const std::string temporary = path + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    if (!out) {
      throw Error(ErrorKind::io, fmt::format("cannot write {} file '{}': {}", flag, path, std::strerror(errno)));
    }
    out << text;
    out.flush();
    if (!out) {
      throw Error(ErrorKind::io, fmt::format("cannot write {} file '{}': {}", flag, path, std::strerror(errno)));
    }
  }
  std::error_code ec;
  std::filesystem::rename(temporary, path, ec);
  if (ec) {
    std::filesystem::remove(temporary, ec);
    throw Error(ErrorKind::io, fmt::format("cannot write {} file '{}': {}", flag, path, ec.message()));
  }
}

} // namespace modelpick::cli
