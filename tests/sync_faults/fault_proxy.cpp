#include "tests/sync_faults/fault_proxy.h"

#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include "shared/common/error.h"
#include "tests/sync_faults/proxy_stream.h"

namespace tt::sync::testing {

namespace {

// No proxied exchange in a test takes longer; a peer quiet for this long is given up on.
constexpr std::chrono::milliseconds kSocketTimeout{10'000};

std::string reply_of(int status, const std::string& reason, const std::string& content_type, const std::string& body) {
  std::string reply = "HTTP/1.1 " + std::to_string(status) + " " + reason + "\r\n";
  reply += "Content-Type: " + content_type + "\r\n";
  reply += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  reply += "Connection: close\r\n\r\n";
  reply += body;
  return reply;
}

// What a school's captive portal sends to any request before the pupil's tablet has logged in.
const std::string kCaptivePortalPage =
    "<!DOCTYPE html><html><head><title>Hillside Academy Wi-Fi</title></head><body>"
    "<h1>Welcome to the school network</h1><p>Please sign in to continue.</p>"
    "<form method=\"post\" action=\"/login\"><input name=\"user\"><input name=\"password\" type=\"password\">"
    "<button>Sign in</button></form></body></html>";

}  // namespace

const char* fault_name(FaultKind kind) {
  switch (kind) {
    case FaultKind::PassThrough: return "pass through";
    case FaultKind::Refuse: return "refuse";
    case FaultKind::Stall: return "stall";
    case FaultKind::DropMidRequest: return "drop mid-request";
    case FaultKind::DropMidReply: return "drop mid-reply";
    case FaultKind::Answer500: return "answer 500";
    case FaultKind::CaptivePortal: return "captive portal";
    case FaultKind::DeliverTwice: return "deliver twice";
    case FaultKind::KillUpstream: return "kill the server";
  }
  return "?";
}

FaultProxy::FaultProxy(int upstream_port, ProxyTlsFiles tls) : upstream_port_(upstream_port) {
  server_context_ = make_server_context(tls.certificate, tls.private_key);
  client_context_ = make_client_context();
  listen_fd_ = listen_on_loopback(port_);
  acceptor_ = std::thread([this] { accept_loop(); });
}

FaultProxy::~FaultProxy() {
  stopping_ = true;
  ::shutdown(listen_fd_, SHUT_RDWR);
  acceptor_.join();
  ::close(listen_fd_);
  {
    std::lock_guard lock(mutex_);
    for (int fd : open_fds_) ::shutdown(fd, SHUT_RDWR);
  }
  for (std::thread& worker : workers_) worker.join();
  SSL_CTX_free(server_context_);
  SSL_CTX_free(client_context_);
}

void FaultProxy::set_plan(std::vector<Fault> plan) {
  std::lock_guard lock(mutex_);
  plan_ = std::move(plan);
  next_in_plan_ = 0;
}

void FaultProxy::set_kill_hook(std::function<void()> hook) {
  std::lock_guard lock(mutex_);
  kill_hook_ = std::move(hook);
}

std::map<FaultKind, std::size_t> FaultProxy::applied() const {
  std::lock_guard lock(mutex_);
  return applied_;
}

std::size_t FaultProxy::connections() const {
  std::lock_guard lock(mutex_);
  return connections_;
}

std::vector<int> FaultProxy::second_delivery_statuses() const {
  std::lock_guard lock(mutex_);
  return second_delivery_statuses_;
}

void FaultProxy::track(int fd) {
  std::lock_guard lock(mutex_);
  open_fds_.insert(fd);
  if (stopping_) ::shutdown(fd, SHUT_RDWR);
}

// Forgotten before it is closed, so the destructor never shuts down a number reused since.
void FaultProxy::close_tracked(int fd) {
  if (fd < 0) return;
  {
    std::lock_guard lock(mutex_);
    open_fds_.erase(fd);
  }
  ::close(fd);
}

int FaultProxy::open_upstream() {
  int fd = connect_to_loopback(upstream_port_);
  if (fd < 0) return -1;
  set_socket_timeouts(fd, kSocketTimeout);
  track(fd);
  return fd;
}

void FaultProxy::accept_loop() {
  for (;;) {
    int fd = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
    if (stopping_) {
      if (fd >= 0) ::close(fd);
      return;
    }
    if (fd < 0) {
      if (errno == EINTR || errno == ECONNABORTED) continue;
      return;
    }
    set_socket_timeouts(fd, kSocketTimeout);
    track(fd);
    Fault fault;
    {
      std::lock_guard lock(mutex_);
      if (!plan_.empty()) fault = plan_[next_in_plan_++ % plan_.size()];
      ++applied_[fault.kind];
      ++connections_;
      workers_.emplace_back([this, fd, fault] { serve(fd, fault); });
    }
  }
}

void FaultProxy::serve(int client_fd, Fault fault) {
  switch (fault.kind) {
    case FaultKind::PassThrough: pass_through(client_fd, fault.bytes); break;
    case FaultKind::Refuse: break;
    case FaultKind::Stall: stall(client_fd, fault.stall); break;
    default: terminate_tls(client_fd, fault); break;
  }
  close_tracked(client_fd);
}

void FaultProxy::pass_through(int client_fd, std::size_t upstream_limit) {
  int upstream_fd = open_upstream();
  if (upstream_fd < 0) return;  // the server is down: the kiosk sees the connection close
  pollfd fds[2] = {{client_fd, POLLIN, 0}, {upstream_fd, POLLIN, 0}};
  char buffer[16384];
  std::size_t upstream_bytes = 0;
  for (;;) {
    int n = ::poll(fds, 2, static_cast<int>(kSocketTimeout.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    bool done = false;
    for (int i = 0; i < 2 && !done; ++i) {
      if (fds[i].revents == 0) continue;
      ssize_t got = ::read(fds[i].fd, buffer, sizeof buffer);
      if (got <= 0) {
        done = true;
        break;
      }
      if (i == 0 && upstream_limit > 0) {
        std::size_t room = upstream_limit - upstream_bytes;
        if (static_cast<std::size_t>(got) >= room) {
          got = static_cast<ssize_t>(room);
          done = true;  // after these last bytes
        }
        upstream_bytes += static_cast<std::size_t>(got);
      }
      int to = fds[1 - i].fd;
      for (ssize_t sent = 0; sent < got;) {
        ssize_t w = ::send(to, buffer + sent, static_cast<std::size_t>(got - sent), MSG_NOSIGNAL);
        if (w <= 0) {
          done = true;
          break;
        }
        sent += w;
      }
    }
    if (done) break;
  }
  close_tracked(upstream_fd);
}

void FaultProxy::stall(int client_fd, std::chrono::milliseconds limit) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  char buffer[4096];
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return;
    pollfd p = {client_fd, POLLIN, 0};
    int n = ::poll(&p, 1, static_cast<int>(left.count()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return;
    if (n == 0) continue;
    // Read and forget (forwarding nothing), until the kiosk gives up and closes.
    if (::read(client_fd, buffer, sizeof buffer) <= 0) return;
  }
}

void FaultProxy::terminate_tls(int client_fd, const Fault& fault) {
  auto kiosk = TlsStream::accept(server_context_, client_fd);
  if (!kiosk) return;
  auto request = kiosk->read_message();
  if (!request) return;
  switch (fault.kind) {
    case FaultKind::Answer500:
      kiosk->write_all(reply_of(500, "Internal Server Error", "text/plain", "upstream failed\n"));
      return;
    case FaultKind::CaptivePortal:
      kiosk->write_all(reply_of(200, "OK", "text/html; charset=utf-8", kCaptivePortalPage));
      return;
    default: break;
  }
  int upstream_fd = open_upstream();
  if (upstream_fd < 0) return;
  {
    auto server = TlsStream::connect(client_context_, upstream_fd);
    if (server) {
      switch (fault.kind) {
        case FaultKind::DropMidRequest:
          server->write_all(std::string_view(*request).substr(0, std::min(fault.bytes, request->size())));
          break;
        case FaultKind::DropMidReply:
          if (server->write_all(*request)) {
            if (auto reply = server->read_message()) {
              kiosk->write_all(std::string_view(*reply).substr(0, std::min(fault.bytes, reply->size())));
            }
          }
          break;
        case FaultKind::KillUpstream: {
          if (!server->write_all(*request)) break;
          std::function<void()> hook;
          {
            std::lock_guard lock(mutex_);
            hook = kill_hook_;
          }
          if (hook) hook();
          if (auto reply = server->read_message()) kiosk->write_all(*reply);
          break;
        }
        case FaultKind::DeliverTwice: {
          if (!server->write_all(*request)) break;
          auto first = server->read_message();
          int again_fd = open_upstream();
          if (again_fd >= 0) {
            {
              auto again = TlsStream::connect(client_context_, again_fd);
              if (again && again->write_all(*request)) {
                auto second = again->read_message();
                std::lock_guard lock(mutex_);
                second_delivery_statuses_.push_back(second ? status_of_reply(*second) : 0);
              }
            }
            close_tracked(again_fd);
          }
          if (first) kiosk->write_all(*first);
          break;
        }
        default: break;
      }
    }
  }
  close_tracked(upstream_fd);
}

}  // namespace tt::sync::testing
