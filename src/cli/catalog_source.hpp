#pragma once
// The one place that touches the user's files: the embedded catalog plus --catalog overlays,
// config.json and GGUF inputs, and the files --svg writes.
#include <cstdint>
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"
#include "modelpick/catalog/hf_config.hpp"

namespace modelpick::cli {

catalog::Catalog load_catalog(const std::vector<std::string>& overlay_files);

// Reads only the header of a GGUF file (growing the read until the tensor table ends) and
// builds the model it describes.
catalog::ConfigImport read_gguf_model(const std::string& path);

// A Hugging Face config.json, with the hf_quant_config.json beside it when there is one
// (modelopt checkpoints state their quantization there).
catalog::ConfigImport read_config_model(const std::string& path);

// Reads a user's file whole, refusing anything that is not a regular file or is larger than
// `max_bytes` before reading it. `what` names the file's role in messages ("catalog file").
std::string read_user_file(const std::string& path, const std::string& what, std::uintmax_t max_bytes);

// Writes `text` to `path` whole: into a fresh temporary file beside it (never one that exists),
// renamed over `path` only when `path` is absent or a regular file. A directory is refused; a
// symbolic link, a device or a FIFO too, unless --force (set_output_force): then a link is
// replaced by the file and a device or FIFO written in place. Every write is checked; `flag`
// names the option in messages ("--svg").
void write_output_file(const std::string& path, const std::string& text, const std::string& flag);
void set_output_force(bool force);

} // namespace modelpick::cli
