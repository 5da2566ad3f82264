// Default behaviour of the store interfaces (store.h).
#include "store/store.h"

namespace pw::store {

core::Result<std::optional<std::string>> ViewAccess::get_secret(std::string_view,
                                                                std::string_view) {
  return core::failed_precondition("no secret store in this view set");
}
core::Status ViewAccess::put_secret(std::string_view, std::string_view, std::string_view) {
  return core::failed_precondition("no secret store in this view set");
}
core::Status ViewAccess::erase_secret(std::string_view, std::string_view) {
  return core::failed_precondition("no secret store in this view set");
}

}  // namespace pw::store
