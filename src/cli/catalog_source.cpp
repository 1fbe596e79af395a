#include "catalog_source.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <spdlog/spdlog.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

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
  // grows 4x a step, never past the cap: the last step reads up to k_max_header and no further
  for (std::uint64_t want = std::min(size, k_first_read);; want = std::min({size, want * 4, k_max_header})) {
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

namespace {

bool g_output_force = false;

[[noreturn]] void cannot_write(const std::string& flag, const std::string& path, const std::string& why) {
  throw Error(ErrorKind::io, fmt::format("cannot write {} file '{}': {}", flag, path, why));
}

// Writes all of `text` to `fd`, then closes it; false with errno set on any failure.
bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      const int error = errno;
      ::close(fd);
      errno = error;
      return false;
    }
    done += static_cast<std::size_t>(n);
  }
  return ::close(fd) == 0;
}

} // namespace

void set_output_force(bool force) {
  g_output_force = force;
}

void write_output_file(const std::string& path, const std::string& text, const std::string& flag) {
  struct stat st {};
  const bool exists = ::lstat(path.c_str(), &st) == 0;
  if (!exists && errno != ENOENT) {
    cannot_write(flag, path, std::strerror(errno));
  }
  if (exists && S_ISDIR(st.st_mode)) {
    cannot_write(flag, path, "it is a directory");
  }
  if (exists && !S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
    if (!g_output_force) {
      cannot_write(flag, path, "it is not a regular file (a device, FIFO or socket); --force writes into it");
    }
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0 || !write_all(fd, text)) {
      cannot_write(flag, path, std::strerror(errno));
    }
    return;
  }
  if (exists && S_ISLNK(st.st_mode) && !g_output_force) {
    cannot_write(flag, path, "it is a symbolic link; --force replaces the link with the file");
  }
  // a fresh temporary beside the target: mkstemp never reuses a name that exists
  const auto slash = path.find_last_of('/');
  const std::string dir = slash == std::string::npos ? std::string(".") : path.substr(0, slash == 0 ? 1 : slash);
  std::string temporary = (dir == "/" ? std::string() : dir) + "/.modelpick-XXXXXX";
  const int fd = ::mkstemp(temporary.data());
  if (fd < 0) {
    cannot_write(flag, path, std::strerror(errno));
  }
  // the permissions a new file gets (mkstemp makes it 0600)
  const mode_t mask = ::umask(0);
  ::umask(mask);
  if (::fchmod(fd, (exists && S_ISREG(st.st_mode) ? st.st_mode : 0666) & ~mask & 07777) != 0 || !write_all(fd, text)) {
    const int error = errno;
    ::unlink(temporary.c_str());
    cannot_write(flag, path, std::strerror(error));
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    cannot_write(flag, path, std::strerror(error));
  }
}

} // namespace modelpick::cli
