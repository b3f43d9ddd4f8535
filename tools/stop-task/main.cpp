// stop-task is not built yet: it answers --help and --version honestly and refuses everything else.
#include <cstdio>
#include <cstring>
#include <string>

#include "orchkit/exit.hpp"
#include "orchkit/version.hpp"

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--version") == 0) {
      std::printf("stop-task %s\n", orchkit::version);
      return 0;
    }
    if (std::strcmp(argv[i], "--help") == 0 || std::strcmp(argv[i], "-h") == 0) {
      std::printf("stop-task: not implemented yet (see the project's issues).\n\n%s",
                  std::string(orchkit::exit_code_help()).c_str());
      return 0;
    }
  }
  std::fprintf(stderr, "stop-task: error: not implemented yet (this build has only --help and --version)\n");
  return 3;
}
