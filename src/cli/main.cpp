// modelpick's entry point: parse, then run; the only try/catch and the only exit code.
#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fmt/format.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <string_view>
#include <unistd.h>

#include "../render/colour.hpp"
#include "catalog_source.hpp"
#include "common_options.hpp"
#include "modelpick/error.hpp"
#include "modelpick/util/printable.hpp"
#include "modelpick/util/spellcheck.hpp"
#include "registry.hpp"

namespace {

using namespace modelpick;

std::string one_line(std::string text) {
  for (char& c : text) {
    if (c == '\n' || c == '\r') {
      c = ' ';
    }
  }
  // a name or path from the user may hold control characters or bytes that are not UTF-8
  text = util::printable(text);
  while (!text.empty() && text.back() == ' ') {
    text.pop_back();
  }
  return text;
}

// A table, CSV or Markdown with every line made printable (a model name from a file may hold
// control characters: a terminal must not receive them raw); tabs and newlines stay.
std::string printable_lines(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find_first_of("\n\t", start);
    if (end == std::string::npos) {
      end = text.size();
    }
    out += util::printable(std::string_view(text).substr(start, end - start));
    if (end < text.size()) {
      out += text[end];
    }
    start = end + 1;
  }
  return out;
}

int fail(const std::string& message, int code) {
  std::fputs(fmt::format("modelpick: error: {}\n", one_line(message)).c_str(), stderr);
  return code;
}

// An unknown first word gets a did-you-mean over the subcommand names.
std::string unknown_command_message(int argc, char** argv, const std::string& fallback) {
  std::vector<std::string> names; // the hidden manpage is neither listed nor suggested
  for (const auto& spec : cli::commands()) {
    if (!spec.hidden) {
      names.emplace_back(spec.name);
    }
  }
  for (int i = 1; i < argc; ++i) {
    const std::string word = argv[i];
    if (word.empty() || word[0] == '-') {
      continue;
    }
    const auto& all = cli::commands();
    if (std::any_of(all.begin(), all.end(), [&](const cli::CommandSpec& spec) { return word == spec.name; })) {
      return fallback;
    }
    const auto near = util::closest(word, names);
    return fmt::format("unknown command '{}'{}; commands: {}", word,
                       near.empty() ? "" : fmt::format(" (did you mean {}?)", near.front()), fmt::join(names, ", "));
  }
  if (fallback.find("subcommand is required") != std::string::npos) {
    return fmt::format("a subcommand is required: {} (modelpick --help)", fmt::join(names, ", "));
  }
  return fallback;
}

// Building a command's options is most of start-up: CLI11 allocates each option, its validators
// and its help, about 0.7 ms for all ten commands. So only the commands named on the line are
// built in full; the others get their name and summary, which is all that routing, the command
// list in --help and did-you-mean read. The commands that read every command (completion, manpage)
// build them all.
bool named(int argc, char** argv, std::string_view word) {
  for (int i = 1; i < argc; ++i) {
    if (word == argv[i]) {
      return true;
    }
  }
  return false;
}

bool build_every_command(int argc, char** argv) {
  const auto& all = cli::commands();
  return std::any_of(all.begin(), all.end(), [&](const cli::CommandSpec& spec) {
    return spec.reads_all_commands && named(argc, argv, spec.name);
  });
}

// Leaving through std::_Exit hands every page back at once: destroying the catalog, the report
// and the parser's options first, allocation by allocation, took about 0.3 ms of a 3 ms pick.
// Sanitized builds return normally, so that LeakSanitizer still sees everything freed.
// Writes the whole of stdout, flushed: a full disk, a closed stdout or any other write error is
// an error (exit 1, naming the OS error), never a silent success. A closed pipe still raises
// SIGPIPE, as a filter's should.
int write_stdout(const std::string& text, int code) {
  errno = 0;
  const std::size_t written = std::fwrite(text.data(), 1, text.size(), stdout);
  if (written != text.size() || std::fflush(stdout) != 0 || std::ferror(stdout) != 0) {
    const int error = errno;
    std::clearerr(stdout);
    return fail(fmt::format("cannot write to standard output: {}",
                            error != 0 ? std::strerror(error) : "the stream reported an error"),
                k_exit_data_error);
  }
  return code;
}

int leave(int code) {
#if MODELPICK_EXIT_WITHOUT_TEARDOWN
  std::fflush(stdout);
  std::fflush(stderr);
  std::_Exit(code);
#else
  return code;
#endif
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"modelpick: which model, on which GPUs, at what precision, at what cost, under which license"};
  app.name("modelpick");
  app.set_version_flag("--version",
                       std::string("modelpick ") + MODELPICK_VERSION + " (catalog " + MODELPICK_CATALOG_DATE + ")");
  app.require_subcommand(1);
  app.fallthrough();
  app.footer("Examples:\n"
             "  modelpick size deepseek-v3 --precision fp8 --gpu h200\n"
             "  modelpick size llama-3.1-8b --gpu h100 --engine vllm --max-model-len 32k\n"
             "  modelpick compare llama-3.1-70b qwen2.5-72b --precision fp8 --tokens-per-day 10M\n"
             "  modelpick pick --gpu h100 --gpus 2 --context 32k --mau 800M\n"
             "  modelpick license-check --mau 800M\n"
             "Sizes: tokens take k = 1,024 (32k, 128k); people, money and volumes take k = 1,000 (800M, 10M).\n"
             "Memory is in bytes, GB (10^9) and GiB (2^30); prices in USD.\n"
             "Exit codes: 0 success, 3 a check failed (does not fit, license, expectation), 2 bad input,\n"
             "1 unreadable or invalid data. `modelpick COMMAND --help` for each command; docs/cli.md for the\n"
             "JSON schemas, docs/formulas.md for every formula.\n");
  cli::GlobalOptions global;
  cli::add_global_options(app, global);

  std::vector<std::pair<CLI::App*, cli::Runner>> runners;
  const bool every = build_every_command(argc, argv);
  for (const auto& spec : cli::commands()) {
    if (every || named(argc, argv, spec.name)) {
      cli::Runner runner = spec.add(app, spec);
      runners.emplace_back(app.get_subcommand(spec.name), std::move(runner));
    } else {
      app.add_subcommand(spec.name, spec.summary);
    }
    if (spec.hidden) {
      app.get_subcommand(spec.name)->group("");
    }
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    return write_stdout(app.help(), k_exit_ok);
  } catch (const CLI::CallForAllHelp&) {
    return write_stdout(app.help("", CLI::AppFormatMode::All), k_exit_ok);
  } catch (const CLI::CallForVersion& e) {
    return write_stdout(fmt::format("{}\n", e.what()), k_exit_ok);
  } catch (const CLI::ExtrasError& e) {
    return fail(unknown_command_message(argc, argv, e.what()), k_exit_usage);
  } catch (const CLI::RequiredError& e) {
    return fail(unknown_command_message(argc, argv, e.what()), k_exit_usage);
  } catch (const CLI::ParseError& e) {
    return fail(e.what(), k_exit_usage);
  }

  auto logger = spdlog::stderr_logger_st("modelpick");
  logger->set_pattern("modelpick: %l: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(global.verbose ? spdlog::level::debug : spdlog::level::warn);

  // An option given an empty value (--context "") is an error, never "not given"
  for (CLI::App* command : app.get_subcommands()) {
    for (CLI::App* scope : {&app, command}) {
      for (const CLI::Option* opt : scope->get_options()) {
        if (opt->count() == 0 || opt->get_type_size_max() == 0) {
          continue; // not given, or a flag
        }
        for (const std::string& value : opt->results()) {
          if (value.empty()) {
            const std::string name = opt->get_lnames().empty() ? opt->get_name() : "--" + opt->get_lnames().front();
            return fail(fmt::format("{} was given an empty value: give one, or leave the option out", name),
                        k_exit_usage);
          }
        }
      }
    }
  }
  cli::set_output_force(global.force);
  try {
    const catalog::Catalog catalog = cli::load_catalog(global.catalog_files);
    for (const auto& [command, runner] : runners) {
      if (command->parsed()) {
        const cli::CommandOutput out = runner(catalog);
        const bool colour =
            render::wants_colour(isatty(fileno(stdout)) != 0, std::getenv("NO_COLOR"),
                                 !out.human || out.text.rfind('{', 0) == 0 || out.text.rfind('[', 0) == 0);
        const bool json = out.text.rfind('{', 0) == 0 || out.text.rfind('[', 0) == 0;
        const std::string safe = json ? out.text : printable_lines(out.text);
        const std::string text = colour ? render::colourize(safe) : safe;
        return leave(write_stdout(text, out.exit_code));
      }
    }
    return fail("no command given", k_exit_usage);
  } catch (const Error& e) {
    return fail(e.what(), exit_code_for(e.kind()));
  } catch (const std::exception& e) {
    return fail(fmt::format("internal error: {}", e.what()), k_exit_data_error);
  }
}
