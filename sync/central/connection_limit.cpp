#include "sync/central/connection_limit.h"

namespace tt::central {

namespace {
thread_local bool t_refusing = false;
}  // namespace

bool refusing_connections_on_this_thread() {
  return t_refusing;
}

RefusingConnections::RefusingConnections() {
  t_refusing = true;
}

RefusingConnections::~RefusingConnections() {
  t_refusing = false;
}

}  // namespace tt::central
