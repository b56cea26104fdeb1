#include "shared/common/error.h"

namespace tt {

void rethrow_with_context(const std::string& operation) {
  try {
    throw;
  } catch (const Error& e) {
    throw Error(operation + ": " + e.what());
  } catch (const std::exception& e) {
    throw Error(operation + ": " + e.what());
  }
}

}  // namespace tt
