#include "shared/common/error.h"

namespace tt {

namespace {
std::string with_context(const std::string& operation, const char* what) {
  std::string message = operation;
  message += ": ";
  message += what;
  return message;
}
}  // namespace

void rethrow_with_context(const std::string& operation) {
  try {
    throw;
  } catch (const std::exception& e) {
    throw Error(with_context(operation, e.what()));
  }
}

}  // namespace tt
