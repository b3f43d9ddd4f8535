#include "orchkit/cli.hpp"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>

#include "orchkit/util/log.hpp"
#include "orchkit/version.hpp"

namespace orchkit::cli {

void add_common(CLI::App& app, Common& common, std::string_view program, std::string_view examples) {
  app.add_option("--config", common.config,
                 "Config file (default: $ORCHKIT_CONFIG, else orchkit.toml at the repo root)");
  app.add_flag("--show-config", common.show_config, "Print every effective config value with its origin and exit");
  app.set_version_flag("--version", std::string(program) + " " + version);
  app.footer("Examples:\n" + std::string(examples) + "\n" + std::string(exit_code_help()));
  app.get_formatter()->column_width(36);
}

std::optional<Exit> parse(CLI::App& app, int argc, char** argv) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    std::fputs(app.help().c_str(), stdout);
    return Exit::ok;
  } catch (const CLI::CallForAllHelp&) {
    std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
    return Exit::ok;
  } catch (const CLI::CallForVersion& e) {
    std::printf("%s\n", e.what());
    return Exit::ok;
  } catch (const CLI::ParseError& e) {
    return usage_error(argc, argv, std::string(e.what()) + " (see --help)");
  }
  return std::nullopt;
}

Exit usage_error(int argc, char** argv, const std::string& message) {
  log::error(message);
  // --json may be among the words that did not parse: look for it in argv itself.
  for (int i = 1; i < argc; ++i)
    if (std::string_view(argv[i]) == "--json") print_json_error(message, Exit::usage);
  return Exit::usage;
}

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace orchkit::cli
