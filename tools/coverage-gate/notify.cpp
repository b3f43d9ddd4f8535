#include "coverage-gate/notify.hpp"

#include <cstdlib>

#include "orchkit/notify/telegram.hpp"
#include "orchkit/util/log.hpp"

namespace coverage_gate {

using namespace orchkit;

namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v ? v : "";
}

std::string telegram_text(const Context& ctx, const Outcome& o) {
  using notify::markdown_v2_escape;
  std::string text = "*coverage\\-gate FAIL*";
  if (o.task) text += " " + markdown_v2_escape(*o.task);
  text += " on " + markdown_v2_escape(ctx.repo_id) + "\n" + markdown_v2_escape(sentence(o));
  if (o.commit) text += "\ncommit `" + o.commit->sha.substr(0, 12) + "`";
  return text;
}

}  // namespace

void notify_outcome(const Context& ctx, const Outcome& o) {
  if (o.verdict.status == Status::fail && !ctx.cfg.telegram.chat_id.empty()) {
    auto sent = notify::send_telegram(ctx.cfg.telegram.api_url, env("TELEGRAM_BOT_TOKEN"), ctx.cfg.telegram.chat_id,
                                      telegram_text(ctx, o));
    if (!sent) log::warning("telegram: " + sent.error().message + " (the verdict stands)");
  }
}

}  // namespace coverage_gate
