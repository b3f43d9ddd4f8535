// Options every binary shares (--config, --show-config, --version, --help with the exit codes),
// over CLI11. Only cli.cpp and the tools' cli.cpp include CLI11.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "orchkit/exit.hpp"

namespace CLI {
class App;
}

namespace orchkit::cli {

struct Common {
  std::optional<std::string> config = {};
  bool show_config = false;
  bool json = false;
};

// Adds --config, --show-config and --version, and puts `examples` and the exit-code table in
// the --help footer.
void add_common(CLI::App& app, Common& common, std::string_view program, std::string_view examples);

// Parses argv: nullopt to go on; Exit::ok after --help / --version; Exit::usage on a bad
// command line (the one-line error already printed).
std::optional<Exit> parse(CLI::App& app, int argc, char** argv);

// A command line that parsed but makes no sense: the one-line error (and the JSON error object
// when --json is among the words), Exit::usage.
Exit usage_error(int argc, char** argv, const std::string& message);

// A Plane work item id: a UUID (8-4-4-4-12 hex digits).
bool is_uuid(std::string_view s);

}  // namespace orchkit::cli
