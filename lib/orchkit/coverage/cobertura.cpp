// STUB — to be replaced.
#include "orchkit/coverage/parser.hpp"

namespace orchkit::coverage {
namespace {
class Stub final : public StreamParser {
 public:
  explicit Stub(std::string name) : name_(std::move(name)) {}
  Result<void> feed(std::string_view) override { return {}; }
  Result<Coverage> finish() override { return fail(Exit::error, name_ + ": cobertura is not implemented yet"); }
 private:
  std::string name_;
};
}  // namespace
std::unique_ptr<StreamParser> make_cobertura_parser(std::string name) { return std::make_unique<Stub>(std::move(name)); }
}  // namespace orchkit::coverage
