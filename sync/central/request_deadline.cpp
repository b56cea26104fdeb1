#include "sync/central/request_deadline.h"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <string>

#include "shared/common/error.h"
#include "sync/central/connection_limit.h"
#include "sync/central/server_log.h"

namespace tt::central {

namespace {

// The connection this worker thread serves (set at its handshake).
thread_local const SSL* t_connection = nullptr;

std::string peer_of(int fd) {
  sockaddr_storage address{};
  socklen_t length = sizeof address;
  if (::getpeername(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) return "a client";
  char text[INET6_ADDRSTRLEN] = {};
  const void* where = address.ss_family == AF_INET6
                          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(&address)->sin6_addr)
                          : static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(&address)->sin_addr);
  if (::inet_ntop(address.ss_family, where, text, sizeof text) == nullptr) return "a client";
  return text;
}

// The ex_data slot that points a context at its RequestDeadline: one for the process.
int context_slot() {
  static const int slot = SSL_CTX_get_ex_new_index(0, nullptr, nullptr, nullptr, nullptr);
  return slot;
}

}  // namespace

RequestDeadline::RequestDeadline(std::chrono::milliseconds limit) : limit_(limit) {
  ssl_index_ = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, &RequestDeadline::on_free);
  context_index_ = context_slot();
  if (ssl_index_ < 0 || context_index_ < 0) throw Error("set up the request deadline: OpenSSL has no ex_data index");
  watchdog_ = std::thread([this] { watch(); });
}

RequestDeadline::~RequestDeadline() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  watchdog_.join();
}

void RequestDeadline::attach(SSL_CTX* context) {
  SSL_CTX_set_ex_data(context, context_index_, this);
  SSL_CTX_set_info_callback(context, &RequestDeadline::on_info);
}

void RequestDeadline::on_info(const SSL* ssl, int where, int) {
  if ((where & SSL_CB_HANDSHAKE_START) == 0) return;
  auto* self = static_cast<RequestDeadline*>(SSL_CTX_get_ex_data(SSL_get_SSL_CTX(ssl), context_slot()));
  // OpenSSL hands callbacks a const SSL, but ex_data needs the object itself.
  if (self != nullptr) self->started(const_cast<SSL*>(ssl));
}

void RequestDeadline::on_free(void* parent, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  if (ptr != nullptr) static_cast<RequestDeadline*>(ptr)->forget(static_cast<const SSL*>(parent));
}

void RequestDeadline::started(SSL* ssl) {
  if (refusing_connections_on_this_thread()) {
    // Beyond limits.max_connections: end it before it costs anything (connection_limit.h).
    int fd = SSL_get_fd(ssl);
    std::string peer = peer_of(fd);
    ::shutdown(fd, SHUT_RDWR);
    log_line(LogLevel::Warning, "refused a connection from " + loggable(peer, 64) +
                                    ": the server holds as many as it takes (limits.max_connections)");
    return;
  }
  t_connection = ssl;
  std::lock_guard lock(mutex_);
  // Insert only: a handshake message later on the same connection (TLS 1.3 key updates) must not
  // restart its clock.
  if (connections_.count(ssl) != 0) return;
  SSL_set_ex_data(ssl, ssl_index_, this);
  connections_[ssl] = Connection{SSL_get_fd(ssl), std::chrono::steady_clock::now(), false};
}

void RequestDeadline::forget(const SSL* ssl) {
  std::lock_guard lock(mutex_);
  connections_.erase(ssl);
}

void RequestDeadline::request_done() {
  if (t_connection == nullptr) return;
  std::lock_guard lock(mutex_);
  auto it = connections_.find(t_connection);
  if (it != connections_.end()) it->second.request_start = std::chrono::steady_clock::now();
}

void RequestDeadline::watch() {
  // Checked a few times per limit, at most every 250 ms.
  auto period =
      std::min<std::chrono::milliseconds>(std::chrono::milliseconds(250), limit_ / 4 + std::chrono::milliseconds(1));
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, period);
    auto now = std::chrono::steady_clock::now();
    for (auto& [ssl, c] : connections_) {
      if (c.shut || c.fd < 0 || now - c.request_start <= limit_) continue;
      c.shut = true;
      std::string peer = peer_of(c.fd);
      ::shutdown(c.fd, SHUT_RDWR);
      log_line(LogLevel::Warning, "closed a connection from " + loggable(peer, 64) + ": its request took longer than " +
                                      std::to_string(limit_.count() / 1000) + " s (limits.request_deadline_seconds)");
    }
  }
}

}  // namespace tt::central
