#include "catalog_source.hpp"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <spdlog/spdlog.h>
#include <sstream>

#include "modelpick/catalog/embedded.hpp"
#include "modelpick/error.hpp"

namespace modelpick::cli {
namespace {

// Checked before reading, so a huge or endless file (/dev/zero) is refused without being read.
constexpr std::uintmax_t k_max_catalog_file_bytes = 16U << 20;

} // namespace

std::string read_user_file(const std::string& path, const std::string& what, std::uintmax_t max_bytes) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    throw Error(ErrorKind::io, fmt::format("cannot read {} '{}': no such file", what, path));
  }
  if (!std::filesystem::is_regular_file(status)) {
    throw Error(ErrorKind::io, fmt::format("cannot read {} '{}': not a regular file", what, path));
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size > max_bytes) {
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

catalog::Catalog load_catalog(const std::vector<std::string>& overlay_files) {
  std::vector<catalog::Document> documents = catalog::embedded_documents();
  for (const std::string& path : overlay_files) {
    spdlog::debug("reading catalog overlay {}", path);
    documents.push_back(catalog::Document{path, read_user_file(path, "catalog file", k_max_catalog_file_bytes), false});
  }
  catalog::Catalog catalog = catalog::Catalog::load(documents);
  spdlog::debug("catalog {}: {} models, {} GPUs, {} precisions", catalog.version(), catalog.models().size(),
                catalog.gpus().size(), catalog.precisions().size());
  return catalog;
}

} // namespace modelpick::cli
