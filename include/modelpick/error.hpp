#pragma once
// The one exception type of modelpick. Legitimate negative outcomes ("does not fit",
// "license blocks this") are values in reports, never errors.
#include <stdexcept>
#include <string>
#include <vector>

namespace modelpick {

enum class ErrorKind {
  usage,           // bad flag, bad number, unknown id on the command line   -> exit 2
  not_found,       // an id that the catalog does not hold                     -> exit 2
  invalid_catalog, // a catalog file that is malformed or holds absurd values  -> exit 1
  io,              // a file that cannot be read                               -> exit 1
  internal,        // a bug: an invariant that should have held                -> exit 1
};

class Error : public std::runtime_error {
public:
  Error(ErrorKind kind, const std::string& message, std::vector<std::string> suggestions = {})
      : std::runtime_error(message), kind_(kind), suggestions_(std::move(suggestions)) {}

  [[nodiscard]] ErrorKind kind() const noexcept { return kind_; }
  [[nodiscard]] const std::vector<std::string>& suggestions() const noexcept { return suggestions_; }

private:
  ErrorKind kind_;
  std::vector<std::string> suggestions_;
};

// Documented process exit codes (docs/cli.md).
inline constexpr int k_exit_ok = 0;
inline constexpr int k_exit_data_error = 1;
inline constexpr int k_exit_usage = 2;
inline constexpr int k_exit_check_failed = 3;

[[nodiscard]] constexpr int exit_code_for(ErrorKind kind) noexcept {
  switch (kind) {
  case ErrorKind::usage:
  case ErrorKind::not_found:
    return k_exit_usage;
  case ErrorKind::invalid_catalog:
  case ErrorKind::io:
  case ErrorKind::internal:
    return k_exit_data_error;
  }
  return k_exit_data_error;
}

} // namespace modelpick
