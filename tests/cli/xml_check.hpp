#pragma once
// A small XML well-formedness check for the SVGs modelpick writes: one root, balanced tags,
// quoted attributes, known entities. Returns an empty string when the text is well formed.
#include <cctype>
#include <string>
#include <vector>

inline std::string xml_problem(const std::string& text) {
  std::vector<std::string> open;
  std::size_t i = 0;
  bool root_seen = false;
  const auto name_at = [&](std::size_t& p) {
    const std::size_t start = p;
    while (p < text.size() &&
           (std::isalnum(static_cast<unsigned char>(text[p])) || text[p] == '-' || text[p] == ':' || text[p] == '_')) {
      ++p;
    }
    return text.substr(start, p - start);
  };
  while (i < text.size()) {
    if (text[i] == '&') {
      const std::size_t semi = text.find(';', i);
      const std::string entity = semi == std::string::npos ? "" : text.substr(i, semi - i + 1);
      if (entity != "&amp;" && entity != "&lt;" && entity != "&gt;" && entity != "&quot;" && entity != "&apos;") {
        return "bad entity at " + std::to_string(i);
      }
      i = semi + 1;
      continue;
    }
    if (text[i] != '<') {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(text[i]))) {
        return "text outside the root at " + std::to_string(i);
      }
      ++i;
      continue;
    }
    if (text.compare(i, 5, "<?xml") == 0) {
      i = text.find("?>", i);
      if (i == std::string::npos) {
        return "unterminated declaration";
      }
      i += 2;
      continue;
    }
    if (text.compare(i, 4, "<!--") == 0) {
      const std::size_t end = text.find("-->", i + 4);
      if (end == std::string::npos || text.substr(i + 4, end - i - 4).find("--") != std::string::npos) {
        return "bad comment at " + std::to_string(i);
      }
      i = end + 3;
      continue;
    }
    std::size_t p = i + 1;
    const bool closing = text[p] == '/';
    p += closing ? 1 : 0;
    const std::string name = name_at(p);
    if (name.empty()) {
      return "bad tag at " + std::to_string(i);
    }
    if (closing) {
      if (open.empty() || open.back() != name) {
        return "unbalanced </" + name + ">";
      }
      open.pop_back();
      p = text.find('>', p);
      if (p == std::string::npos) {
        return "unterminated tag";
      }
      i = p + 1;
      continue;
    }
    // attributes: name="value"
    while (true) {
      while (p < text.size() && std::isspace(static_cast<unsigned char>(text[p]))) {
        ++p;
      }
      if (p >= text.size()) {
        return "unterminated <" + name;
      }
      if (text[p] == '>' || text.compare(p, 2, "/>") == 0) {
        break;
      }
      if (name_at(p).empty() || p >= text.size() || text[p] != '=' || text[p + 1] != '"') {
        return "bad attribute in <" + name + "> at " + std::to_string(p);
      }
      const std::size_t end = text.find('"', p + 2);
      if (end == std::string::npos || text.substr(p + 2, end - p - 2).find('<') != std::string::npos) {
        return "bad attribute value in <" + name + ">";
      }
      p = end + 1;
    }
    if (open.empty()) {
      if (root_seen) {
        return "a second root element <" + name + ">";
      }
      root_seen = true;
    }
    if (text[p] == '>') {
      open.push_back(name);
      i = p + 1;
    } else {
      i = p + 2;
    }
  }
  if (!open.empty()) {
    return "unclosed <" + open.back() + ">";
  }
  return root_seen ? "" : "no root element";
}
