#include <catch2/catch.hpp>
#include <string>

#include "catalog_fixture.hpp"
#include "modelpick/catalog/compiled.hpp"
#include "modelpick/error.hpp"

using namespace modelpick;
using catalog::Catalog;
using catalog::Document;

namespace {

// The kind of error reading `image` throws, or nothing when it reads.
std::optional<ErrorKind> read_error(const std::string& image) {
  try {
    (void)catalog::read_image(image);
  } catch (const Error& e) {
    return e.kind();
  }
  return std::nullopt;
}

} // namespace

TEST_CASE("the compiled embedded catalog is the catalog parsed from the JSON", "[catalog][compiled]") {
  // The build wrote the image from the same JSON: a member the image layout forgets, or a stale
  // image, makes the two differ.
  const Catalog compiled = catalog::embedded_catalog();
  REQUIRE(compiled.models().size() == embedded_catalog().models().size());
  CHECK(compiled.version() == embedded_catalog().version());
  for (std::size_t i = 0; i < compiled.models().size(); ++i) {
    INFO(compiled.models()[i].id);
    CHECK(compiled.models()[i] == embedded_catalog().models()[i]);
  }
  CHECK(compiled.gpus() == embedded_catalog().gpus());
  CHECK(compiled.precisions() == embedded_catalog().precisions());
  CHECK(compiled.licenses() == embedded_catalog().licenses());
  CHECK(compiled == embedded_catalog());
}

TEST_CASE("equality sees a change in any nested member", "[catalog][compiled]") {
  // The comparison above is only as strong as operator==: a deep member must count.
  catalog::License mit = *embedded_catalog().find_license("mit");
  REQUIRE_FALSE(mit.rules.empty());
  CHECK(mit == *embedded_catalog().find_license("mit"));
  mit.rules[0].clause.section += "!";
  CHECK_FALSE(mit == *embedded_catalog().find_license("mit"));

  catalog::Model v3 = embedded_catalog().model("deepseek-v3");
  REQUIRE(v3.architecture->mla.has_value());
  v3.architecture->mla->v_head_dim += 1;
  CHECK_FALSE(v3 == embedded_catalog().model("deepseek-v3"));

  // And a whole catalog with an overlay differs from the embedded one, and round-trips.
  auto docs = catalog::embedded_documents();
  docs.push_back(
      Document{"overlay.json", R"({"gpus": [{"id": "h100", "performance": {"tflops_dense": {"bf16": 990}}}]})", false});
  const Catalog changed = Catalog::load(docs);
  REQUIRE(changed.gpu("h100").tflops_bf16 == 990);
  CHECK_FALSE(changed == embedded_catalog());
  CHECK(catalog::read_image(catalog::write_image(changed)) == changed);
}

TEST_CASE("an image reads back as the catalog it was written from", "[catalog][compiled]") {
  const std::string image = catalog::write_image(embedded_catalog());
  CHECK(catalog::read_image(image) == embedded_catalog());
  // Written deterministically: the same catalog gives the same bytes.
  CHECK(catalog::write_image(catalog::read_image(image)) == image);
}

TEST_CASE("a damaged image is refused as invalid, never misread", "[catalog][compiled]") {
  const std::string image = catalog::write_image(embedded_catalog());
  SECTION("cut short anywhere") {
    for (std::size_t length = 0; length < image.size(); length += length < 256 ? 1 : 331) {
      INFO(length);
      CHECK(read_error(image.substr(0, length)) == ErrorKind::invalid_catalog);
    }
  }
  SECTION("a byte more at the end") {
    CHECK(read_error(image + '\0') == ErrorKind::invalid_catalog);
  }
  SECTION("another layout's magic") {
    std::string other = image;
    ++other[other.find('\n') - 1]; // the layout number's last digit
    CHECK(read_error(other) == ErrorKind::invalid_catalog);
  }
  SECTION("a count past the end, or a number past 64 bits") {
    const std::string magic = image.substr(0, image.find('\n') + 1);
    CHECK(read_error(magic + "\x7F") == ErrorKind::invalid_catalog);
    CHECK(read_error(magic + std::string(10, '\xFF') + "\x01") == ErrorKind::invalid_catalog);
  }
}
