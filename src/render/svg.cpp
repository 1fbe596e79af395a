#include "svg.hpp"

#include <array>
#include <fmt/format.h>

namespace modelpick::render {

namespace {

std::string num(double v) {
  return fmt::format("{:.1f}", v);
}

} // namespace

std::string xml_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += "&quot;";
      break;
    case '\'':
      out += "&apos;";
      break;
    default:
      if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n') {
        out += c;
      }
    }
  }
  return out;
}

const std::string& series_colour(std::size_t index) {
  // Okabe-Ito: distinguishable with the common colour-vision deficiencies.
  // Black is left to the chart's own subject (self-hosting, the model sized).
  static const std::array<std::string, 7> colours = {"#0072B2", "#E69F00", "#009E73", "#CC79A7",
                                                     "#D55E00", "#56B4E9", "#B8A800"};
  return colours[index % colours.size()];
}

Svg::Svg(double width, double height) : width_(width), height_(height) {}

void Svg::line(double x1, double y1, double x2, double y2, const std::string& stroke, double width,
               const std::string& dash) {
  body_ += fmt::format(R"(<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"{}/>)", num(x1), num(y1),
                       num(x2), num(y2), stroke, num(width),
                       dash.empty() ? std::string{} : fmt::format(R"( stroke-dasharray="{}")", dash)) +
           "\n";
}

void Svg::polyline(const std::vector<std::pair<double, double>>& points, const std::string& stroke, double width) {
  std::string list;
  for (const auto& [x, y] : points) {
    list += fmt::format("{}{},{}", list.empty() ? "" : " ", num(x), num(y));
  }
  body_ += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="{}" stroke-linejoin="round"/>)",
                       list, stroke, num(width)) +
           "\n";
}

void Svg::rect(double x, double y, double w, double h, const std::string& fill, const std::string& stroke) {
  body_ += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="{}"/>)", num(x), num(y), num(w),
                       num(h), fill, stroke) +
           "\n";
}

void Svg::circle(double cx, double cy, double r, const std::string& fill, const std::string& stroke) {
  body_ +=
      fmt::format(R"(<circle cx="{}" cy="{}" r="{}" fill="{}" stroke="{}"/>)", num(cx), num(cy), num(r), fill, stroke) +
      "\n";
}

void Svg::text(double x, double y, const std::string& content, double size, const std::string& anchor,
               const std::string& fill, bool bold) {
  body_ += fmt::format(R"(<text x="{}" y="{}" font-size="{}" text-anchor="{}" fill="{}"{}>{}</text>)", num(x), num(y),
                       num(size), anchor, fill, bold ? R"( font-weight="bold")" : "", xml_escape(content)) +
           "\n";
}

void Svg::comment(const std::string& content) {
  std::string safe = xml_escape(content);
  for (std::size_t at = safe.find("--"); at != std::string::npos; at = safe.find("--")) {
    safe.replace(at, 2, "- -");
  }
  body_ += "<!-- " + safe + " -->\n";
}

std::string Svg::str() const {
  return fmt::format(R"(<?xml version="1.0" encoding="UTF-8"?>)"
                     "\n"
                     R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
                     R"(font-family="DejaVu Sans, Helvetica, Arial, sans-serif">)"
                     "\n"
                     R"(<rect x="0" y="0" width="{0}" height="{1}" fill="#ffffff"/>)"
                     "\n{2}</svg>\n",
                     num(width_), num(height_), body_);
}

} // namespace modelpick::render
