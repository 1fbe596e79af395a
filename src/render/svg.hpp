#pragma once
// A minimal SVG writer: escaped text, fixed number formatting, no external assets. Charts are
// drawn by their renderers with these primitives.
#include <string>
#include <utility>
#include <vector>

namespace modelpick::render {

class Svg {
public:
  Svg(double width, double height);

  void line(double x1, double y1, double x2, double y2, const std::string& stroke, double width = 1,
            const std::string& dash = "");
  void polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke, double width = 2);
  void rect(double x, double y, double w, double h, const std::string& fill, const std::string& stroke = "none");
  void circle(double cx, double cy, double r, const std::string& fill, const std::string& stroke = "none");
  // anchor: start, middle, end
  void text(double x, double y, const std::string& content, double size = 12, const std::string& anchor = "start",
            const std::string& fill = "#222", bool bold = false);
  // A tooltip-free comment for readers of the file.
  void comment(const std::string& content);

  [[nodiscard]] std::string str() const;

private:
  double width_;
  double height_;
  std::string body_;
};

// &, <, >, " and ' escaped for XML text and attributes; control characters dropped.
std::string xml_escape(const std::string& text);

// The colour of series `index` in every chart.
const std::string& series_colour(std::size_t index);

} // namespace modelpick::render
