#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "run.hpp"

using nlohmann::json;

namespace {

// Every subcommand name, read from the help text the binary prints.
std::vector<std::string> subcommands() {
  const auto help = run_modelpick({"--help"}).out;
  std::vector<std::string> out;
  const auto at = help.find("Subcommands:\n");
  REQUIRE(at != std::string::npos);
  std::size_t pos = at + 13;
  while (pos < help.size() && help.compare(pos, 2, "  ") == 0) {
    const auto start = help.find_first_not_of(' ', pos);
    const auto end = help.find(' ', start);
    out.push_back(help.substr(start, end - start));
    pos = help.find('\n', pos) + 1;
  }
  return out;
}

std::vector<std::string> catalog_ids(const char* flag) {
  std::vector<std::string> out;
  const auto r = run_modelpick(flag == nullptr ? std::vector<std::string>{"list", "--json"}
                                               : std::vector<std::string>{"list", flag, "--json"});
  for (const auto& e : json::parse(r.out)) {
    out.push_back(e["id"]);
  }
  return out;
}

// The words of a script, split at spaces, quotes and parentheses.
std::set<std::string> words(const std::string& text) {
  std::set<std::string> out;
  std::string word;
  for (const char c : text) {
    if (c == ' ' || c == '"' || c == '(' || c == ')' || c == '\n' || c == '\'') {
      if (!word.empty()) {
        out.insert(word);
      }
      word.clear();
    } else {
      word += c;
    }
  }
  return out;
}

} // namespace

TEST_CASE("completion scripts list every subcommand and catalog id", "[cli][shell]") {
  const auto commands = subcommands();
  CHECK(commands.size() >= 9);
  const auto models = catalog_ids(nullptr);
  const auto gpus = catalog_ids("--gpus");
  const auto precisions = catalog_ids("--precisions");
  CHECK(models.size() >= 80);
  for (const char* shell : {"bash", "zsh"}) {
    INFO(shell);
    const auto r = run_modelpick({"completion", shell});
    CHECK(r.exit_code == 0);
    for (const auto& c : commands) {
      CHECK(r.out.find(c) != std::string::npos);
    }
    const auto offered = words(r.out);
    for (const auto* ids : {&models, &gpus, &precisions}) {
      for (const auto& id : *ids) {
        CHECK(offered.count(id) == 1);
      }
    }
    CHECK(r.out.find("--tokens-per-day") != std::string::npos);
  }
  CHECK(run_modelpick({"completion", "bash"}).out.find("complete -F _modelpick modelpick") != std::string::npos);
  CHECK(run_modelpick({"completion", "zsh"}).out.rfind("#compdef modelpick\n", 0) == 0);
  const auto bad = run_modelpick({"completion", "fish"});
  CHECK(bad.exit_code == 2);
  CHECK(bad.err.find("completion 'fish' is not accepted: expected bash or zsh") != std::string::npos);
}

TEST_CASE("the man page documents every subcommand from its own help text", "[cli][shell]") {
  const auto r = run_modelpick({"manpage"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind(".TH MODELPICK 1", 0) == 0);
  for (const auto& c : subcommands()) {
    INFO(c);
    CHECK(r.out.find(".SS " + c + "\n") != std::string::npos);
    CHECK(r.out.find("Usage: modelpick " + c + " ") != std::string::npos);
  }
  CHECK(r.out.find("\\-\\-json") != std::string::npos);
  CHECK(r.out.find(".SH EXIT STATUS") != std::string::npos);
  // The hidden generator does not list itself.
  CHECK(run_modelpick({"--help"}).out.find("manpage") == std::string::npos);
  const auto none = run_modelpick({});
  CHECK(none.exit_code == 2);
  CHECK(none.err.find("a subcommand is required: size, compare, pick") != std::string::npos);
  CHECK(none.err.find("manpage") == std::string::npos);
  CHECK(run_modelpick({"manpages"}).err.find("did you mean manpage") == std::string::npos);
}

// main builds in full only the commands named on the line; whatever reads every command must
// still see each one's options, and a command's own help must not depend on which is named.
TEST_CASE("every command's options reach its help, the completions and the man page", "[cli][shell]") {
  // An option only this command has.
  const std::vector<std::pair<std::string, std::string>> own = {
      {"pick", "--top"}, {"list", "--max-active"}, {"license-check", "--fail-on"}, {"check", "FILE"}};
  const auto bash = run_modelpick({"completion", "bash"}).out;
  const auto man = run_modelpick({"manpage"}).out;
  for (const auto& [command, option] : own) {
    INFO(command << " " << option);
    CHECK(run_modelpick({command, "--help"}).out.find(option) != std::string::npos);
    if (option != "FILE") {
      CHECK(bash.find(option) != std::string::npos);
      CHECK(man.find(option) != std::string::npos);
    }
  }
  // A command's help is the same whether or not another command is also named on the line.
  CHECK(run_modelpick({"pick", "--help"}).out == run_modelpick({"pick", "--help", "list"}).out);
  CHECK(run_modelpick({"pick", "--help"}).out.find("--top") != std::string::npos);
}
