#pragma once
// Writing a new file that holds a secret or must not replace another: created exclusively
// (O_EXCL), the mode set exactly (the umask may only remove bits), written in full and fsynced;
// on any failure the partial file is removed. Private to app/.

#include <sys/types.h>

#include <string>
#include <string_view>

#include "core/result.h"

namespace pw::app::internal {

// already_exists when `path` exists (naming `what`, e.g. "key file"); unavailable on I/O errors.
core::Status write_new_file(const std::string& path, std::string_view content, mode_t mode,
                            std::string_view what);

}  // namespace pw::app::internal
