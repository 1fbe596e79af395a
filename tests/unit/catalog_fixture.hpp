#pragma once
// The embedded catalog, loaded once for all unit tests.
#include "modelpick/catalog/catalog.hpp"
#include "modelpick/catalog/embedded.hpp"

inline const modelpick::catalog::Catalog& embedded_catalog() {
  static const modelpick::catalog::Catalog catalog =
      modelpick::catalog::Catalog::load(modelpick::catalog::embedded_documents());
  return catalog;
}

inline const modelpick::catalog::Architecture& arch_of(const char* id) {
  return *embedded_catalog().model(id).architecture;
}
