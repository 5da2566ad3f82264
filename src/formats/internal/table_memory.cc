#include "formats/internal/table_memory.h"

#include <new>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace pw::formats::internal {

TableMemory allocate_table_memory(std::size_t bytes) {
  constexpr std::size_t kHugePage = std::size_t{2} << 20;
  void* p = nullptr;
  if (bytes >= kHugePage) {
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    p = std::aligned_alloc(kHugePage, rounded);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (p != nullptr) ::madvise(p, rounded, MADV_HUGEPAGE);  // a hint: failure is harmless
#endif
  } else {
    p = std::malloc(bytes == 0 ? 1 : bytes);
  }
  if (p == nullptr) throw std::bad_alloc();
  return TableMemory(p);
}

}  // namespace pw::formats::internal
