#pragma once
// The one place that reads the user's files: the embedded catalog plus --catalog overlays.
#include <string>
#include <vector>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::cli {

catalog::Catalog load_catalog(const std::vector<std::string>& overlay_files);

} // namespace modelpick::cli
