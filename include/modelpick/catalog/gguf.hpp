#pragma once
// Reading a GGUF file's header (metadata and tensor table): no tensor data is touched.
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "modelpick/catalog/hf_config.hpp"

namespace modelpick::catalog {

struct GgufTensor {
  std::string name;
  std::vector<std::uint64_t> dims;
  std::uint32_t type = 0;
  std::uint64_t offset = 0;
  std::uint64_t elements = 0;
  std::uint64_t bytes = 0;
};

struct GgufHeader {
  std::uint32_t version = 0;
  // Scalar metadata as integers / strings; arrays keep their element count (and their values
  // when they hold integers, e.g. per-layer head counts).
  std::map<std::string, std::uint64_t> integers;
  std::map<std::string, std::string> strings;
  std::map<std::string, std::vector<std::uint64_t>> integer_arrays;
  std::map<std::string, std::uint64_t> array_lengths;
  std::uint64_t stored_ints = 0; // values kept in integer_arrays (capped)
  std::vector<GgufTensor> tensors;
  std::uint64_t header_bytes = 0; // up to the end of the tensor table
  std::uint64_t data_offset = 0;  // where tensor data starts (aligned)
  std::uint64_t data_end = 0;     // where the last tensor ends: the complete file's size
  std::uint64_t file_size = 0;    // the file's size as read (less than data_end: a partial download)
};

// Parses the header from `data`, the first bytes of a file of `file_size` bytes. Returns
// nullopt when `data` ends before the header does but the file goes on (read more and call
// again). Throws Error(invalid_catalog) naming `origin` for a malformed, hostile or truncated
// header (overlapping tensors, offsets past 2^64). A file that ends before its tensor data does
// (a partial download) is read from its tensor table: `data_end` says how long it will be.
std::optional<GgufHeader> parse_gguf_header(std::span<const unsigned char> data, std::uint64_t file_size,
                                            const std::string& origin);

// ggml's storage of one tensor type: bytes per block of `block` elements; nullopt if unknown.
struct GgmlType {
  const char* name;
  std::uint64_t block;
  std::uint64_t bytes;
};
std::optional<GgmlType> ggml_type(std::uint32_t type);

// A model from a GGUF header: the architecture from the metadata (for the KV cache) and the
// exact bytes of every tensor (for the weights).
ConfigImport model_from_gguf(const GgufHeader& header, const std::string& origin);

} // namespace modelpick::catalog
