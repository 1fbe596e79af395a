#pragma once
// The catalog's compiled form: a compact binary image of a loaded and validated Catalog.
// The build loads the embedded data/*.json once, validates it and writes this image into the
// binary (src/build/compile_catalog.cpp), so a run without --catalog overlays reads its catalog
// without parsing JSON (docs/performance.md). Overlays still go through Catalog::load.
#include <string>
#include <string_view>

#include "modelpick/catalog/catalog.hpp"

namespace modelpick::catalog {

// The image of `catalog`: a magic and format number, then every field in declaration order.
std::string write_image(const Catalog& catalog);

// The catalog an image holds, exactly as written (read_image(write_image(c)) == c). Throws
// Error(invalid_catalog) on a truncated or malformed image, never reads past its end.
Catalog read_image(std::string_view image);

} // namespace modelpick::catalog
