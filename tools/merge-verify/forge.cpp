#include "merge-verify/forge.hpp"

namespace merge_verify {
// Wired to lib/orchkit/http once it lands.
orchkit::Result<void> merge_pull_request(const orchkit::Workspace&, int number, const std::string&) {
  return orchkit::fail(orchkit::Exit::error, "--merge-pr " + std::to_string(number) + ": not implemented yet");
}
}  // namespace merge_verify
