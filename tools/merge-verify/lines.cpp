#include "merge-verify/lines.hpp"

#include "orchkit/line_data.hpp"
#include "orchkit/state/open.hpp"
#include "orchkit/util/file.hpp"
#include "orchkit/util/log.hpp"
#include "orchkit/util/sha256.hpp"

namespace merge_verify {

using namespace orchkit;

Result<std::string> store_line_data(state::State& st, const std::string& repo, const std::string& target,
                                    const Gated& g, const std::string& landed) {
  if (!g.line_data_sha256) return std::string("none: the artefact records no line data");
  // A record from the state branch carries its line data; a file artefact has it beside it.
  std::string path = g.line_data ? g.artefact + " (line data)" : line_data::path_beside(g.artefact);
  auto refuse = [&](const std::string& why) -> Result<std::string> {
    log::warning("line data not stored: " + why + " (the next gate's differential check will say so)");
    return "refused: " + why;
  };
  auto data = g.line_data ? Result<std::string>(*g.line_data) : read_file(path);
  if (!data) return refuse(data.error().message);
  if (sha256_hex(*data) != *g.line_data_sha256)
    return refuse(path + " is not the line data the artefact records (sha256 " + g.line_data_sha256->substr(0, 12) +
                  ")");
  auto decoded = line_data::decode(*data, path);
  if (!decoded) return refuse(decoded.error().message);
  ORCHKIT_CHECK(st.store_lines(repo, target, {landed, *g.line_data_sha256, *data, {}}));
  return std::string("stored");
}

}  // namespace merge_verify
