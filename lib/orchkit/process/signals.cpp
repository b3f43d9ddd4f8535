#include "orchkit/process/signals.hpp"

#include <signal.h>

namespace orchkit::signals {
namespace {

volatile sig_atomic_t g_pending = 0;
struct sigaction g_old_int {};
struct sigaction g_old_term {};

void on_signal(int sig) {
  if (g_pending == 0) g_pending = sig;
}

}  // namespace

StopOnSignal::StopOnSignal() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a blocking call returns EINTR and the loop looks again
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
}

StopOnSignal::~StopOnSignal() {
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
}

int pending() { return g_pending; }

}  // namespace orchkit::signals
