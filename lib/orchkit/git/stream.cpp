// libgit2 adapter, part 7: the TCP stream under every git://, http:// and https:// connection
// libgit2 makes (registered as GIT_STREAM_STANDARD; its TLS stream runs on top of it). The same
// as libgit2's own socket stream, plus two socket options: TCP_NODELAY, and TCP_QUICKACK before
// each read. Without them every push to `git daemon` waited ~40 ms for receive-pack's report —
// the server writes it in small pieces, Nagle holds the second until the first is acknowledged,
// and Linux delays that acknowledgement by up to 40 ms — which capped the git state store at ~15
// updates/s (docs/state.md, performance.md).
#include <git2.h>
#include <git2/sys/stream.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "orchkit/git/internal.hpp"

namespace orchkit::git::detail {
namespace {

struct TcpStream {
  git_stream parent;  // first: libgit2 talks to this
  std::string host;
  std::string port;
  int fd = -1;
};

TcpStream* self(git_stream* s) { return reinterpret_cast<TcpStream*>(s); }

int net_error(const std::string& what) {
  git_error_set_str(GIT_ERROR_NET, what.c_str());
  return -1;
}

int tcp_connect(git_stream* s) {
  TcpStream* t = self(s);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (int rc = ::getaddrinfo(t->host.c_str(), t->port.c_str(), &hints, &found); rc != 0)
    return net_error("failed to resolve address for " + t->host + ": " + ::gai_strerror(rc));
  int last_errno = 0;
  for (addrinfo* p = found; p && t->fd < 0; p = p->ai_next) {
    int fd = ::socket(p->ai_family, p->ai_socktype | SOCK_CLOEXEC, p->ai_protocol);
    if (fd < 0) continue;
    if (::connect(fd, p->ai_addr, p->ai_addrlen) == 0) {
      t->fd = fd;
      break;
    }
    last_errno = errno;
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (t->fd < 0) return net_error("failed to connect to " + t->host + ":" + t->port + ": " + std::strerror(last_errno));
  int one = 1;
  ::setsockopt(t->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return 0;
}

ssize_t tcp_read(git_stream* s, void* buf, size_t len) {
  TcpStream* t = self(s);
  int one = 1;
  ::setsockopt(t->fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof one);  // Linux resets it: set it each time
  ssize_t n;
  do n = ::recv(t->fd, buf, len, 0);
  while (n < 0 && errno == EINTR);
  if (n < 0) return net_error(std::string("error receiving data from socket: ") + std::strerror(errno));
  return n;
}

ssize_t tcp_write(git_stream* s, const char* data, size_t len, int) {
  TcpStream* t = self(s);
  size_t done = 0;
  while (done < len) {
    ssize_t n = ::send(t->fd, data + done, len - done, MSG_NOSIGNAL);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return net_error(std::string("error sending data: ") + std::strerror(errno));
    done += static_cast<size_t>(n);
  }
  return static_cast<ssize_t>(done);
}

int tcp_close(git_stream* s) {
  TcpStream* t = self(s);
  if (t->fd >= 0) ::close(t->fd);
  t->fd = -1;
  return 0;
}

void tcp_free(git_stream* s) { delete self(s); }

int tcp_init(git_stream** out, const char* host, const char* port) {
  auto* t = new TcpStream{};
  t->parent.version = GIT_STREAM_VERSION;
  t->parent.connect = tcp_connect;
  t->parent.read = tcp_read;
  t->parent.write = tcp_write;
  t->parent.close = tcp_close;
  t->parent.free = tcp_free;
  t->host = host ? host : "";
  t->port = port ? port : "";
  *out = &t->parent;
  return 0;
}

}  // namespace

void register_tcp_stream() {
  static git_stream_registration reg = {GIT_STREAM_VERSION, tcp_init, nullptr};
  git_stream_register(GIT_STREAM_STANDARD, &reg);
}

}  // namespace orchkit::git::detail
