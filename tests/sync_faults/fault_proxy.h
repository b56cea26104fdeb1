#pragma once
// A fault-injecting TCP proxy on a loopback port, in front of the real tutortime-central, for
// the sync's fault tests. Each new connection takes the next fault of a plan the test sets (the
// plan repeats; the default is to pass everything through):
//
//   PassThrough     relay bytes both ways, TLS end to end (the kiosk checks the real server);
//                   with `bytes` set, close both ends once that many have gone upstream (a
//                   connection lost after a batch or two, mid-TLS-record)
//   Refuse          accept, then close at once
//   Stall           hold the connection, forward nothing, for `stall` or until the kiosk closes
//   -- the rest terminate TLS at the proxy with the central server's own certificate and key
//      (so the kiosk's pin passes and it is the reply's content that must be refused), read one
//      whole HTTP request, and then:
//   DropMidRequest  forward its first `bytes` bytes upstream, then close both ends
//   DropMidReply    forward it whole, read the server's whole reply, relay its first `bytes`
//                   bytes, then close (the server has stored what the kiosk never hears about)
//   Answer500       answer 500 itself (the server never sees the request)
//   CaptivePortal   answer 200 text/html itself, as a portal's login page does
//   DeliverTwice    forward it, then forward the same bytes again on a second upstream
//                   connection (a replay), and relay the first reply
//   KillUpstream    forward it whole, call the kill hook (the test SIGKILLs the server, mid-batch),
//                   relay whatever comes back (usually nothing), then close
//
// A restartable upstream: set_upstream_port() sends new connections to a server started again
// on another port. Every connection closes when the proxy is destroyed.
#include <openssl/ssl.h>

#include <atomic>
#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace tt::sync::testing {

enum class FaultKind {
  PassThrough,
  Refuse,
  Stall,
  DropMidRequest,
  DropMidReply,
  Answer500,
  CaptivePortal,
  DeliverTwice,
  KillUpstream,
};
const char* fault_name(FaultKind kind);

struct Fault {
  FaultKind kind = FaultKind::PassThrough;
  std::size_t bytes = 0;                    // how many get through (PassThrough: 0 = all)
  std::chrono::milliseconds stall{10'000};  // Stall: how long the connection is held
};

// The central server's certificate and key, as it made them in its data directory.
struct ProxyTlsFiles {
  std::filesystem::path certificate;
  std::filesystem::path private_key;
};

class FaultProxy {
 public:
  // Listens on 127.0.0.1 on a free port, forwarding to 127.0.0.1:upstream_port. Throws tt::Error.
  FaultProxy(int upstream_port, ProxyTlsFiles tls);
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  int port() const { return port_; }
  std::string url() const { return "https://127.0.0.1:" + std::to_string(port_); }

  // Connection n (counted from this call) takes plan[n % plan.size()]; an empty plan passes
  // everything through.
  void set_plan(std::vector<Fault> plan);
  void set_upstream_port(int port) { upstream_port_ = port; }
  // Called on the connection's thread for KillUpstream, once the request is upstream.
  void set_kill_hook(std::function<void()> hook);

  // How many connections each fault has been applied to so far.
  std::map<FaultKind, std::size_t> applied() const;
  std::size_t connections() const;
  // The statuses the server gave the second deliveries of DeliverTwice, in order.
  std::vector<int> second_delivery_statuses() const;

 private:
  void accept_loop();
  void serve(int client_fd, Fault fault);
  void pass_through(int client_fd, std::size_t upstream_limit);
  void stall(int client_fd, std::chrono::milliseconds limit);
  void terminate_tls(int client_fd, const Fault& fault);
  int open_upstream();  // a tracked socket, or -1
  void track(int fd);
  void close_tracked(int fd);

  int listen_fd_ = -1;
  int port_ = 0;
  std::atomic<int> upstream_port_;
  std::atomic<bool> stopping_{false};
  SSL_CTX* server_context_ = nullptr;
  SSL_CTX* client_context_ = nullptr;

  mutable std::mutex mutex_;  // guards everything below
  std::vector<Fault> plan_;
  std::size_t next_in_plan_ = 0;
  std::function<void()> kill_hook_;
  std::map<FaultKind, std::size_t> applied_;
  std::size_t connections_ = 0;
  std::vector<int> second_delivery_statuses_;
  std::set<int> open_fds_;  // shut down on destruction, to wake their threads
  std::vector<std::thread> workers_;
  std::thread acceptor_;
};

}  // namespace tt::sync::testing
