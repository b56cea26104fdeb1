#pragma once
// A bound on the connections the server holds: at most limits.max_connections being served or
// waiting for a worker thread. cpp-httplib 0.11 accepts every connection and queues it for its
// thread pool without limit, and gives no hook on the accepted socket; so http_server.cpp's task
// queue counts them and runs any beyond the bound on one "refusing" thread instead, marked by
// RefusingConnections. A connection run there is refused as soon as it starts: over TLS its
// socket is shut down at the handshake's first callback (request_deadline.cpp), which costs
// microseconds whatever the client does; over plain HTTP (tests only) it is answered 503 before
// its body is read.
namespace tt::central {

// True on the thread that refuses connections beyond the bound.
bool refusing_connections_on_this_thread();

// Marks the current thread as refusing for the scope's life.
class RefusingConnections {
 public:
  RefusingConnections();
  ~RefusingConnections();
  RefusingConnections(const RefusingConnections&) = delete;
  RefusingConnections& operator=(const RefusingConnections&) = delete;
};

}  // namespace tt::central
