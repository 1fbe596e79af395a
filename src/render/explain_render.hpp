#pragma once
// size --explain: every formula behind a SizingReport with the numbers put in, so a user can
// redo the arithmetic by hand. Words, so a renderer: it reads the engine's public functions. The results come from the
// same functions plan_size uses, and a test holds each total to the report's figure.
#include <string>
#include <vector>

#include "modelpick/engine/plan.hpp"

namespace modelpick::render {

struct ExplainStep {
  std::string what;       // "KV cache per token"
  std::string arithmetic; // "32 layers × 2 (K, V) × 8 KV heads × 128 × 2 B"
  std::string result;     // "131,072 B"
};

struct ExplainSection {
  std::string title;
  std::vector<ExplainStep> steps;
};

std::vector<ExplainSection> explain_size(const engine::SizingReport& report);

} // namespace modelpick::render
