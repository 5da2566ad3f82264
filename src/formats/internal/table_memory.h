#pragma once
// Memory for the importers' large lookup tables (FlatIndex slots), which are read at random.
// With 4 KiB pages a random read in a table of tens of MiB also misses the TLB and walks the
// page table; so a block of 2 MiB or more is aligned to 2 MiB and offered to the kernel for
// transparent huge pages (madvise; a hint, ignored where unsupported). Smaller blocks come
// from malloc as usual.

#include <cstddef>
#include <cstdlib>
#include <memory>

namespace pw::formats::internal {

struct TableMemoryFree {
  void operator()(void* p) const { std::free(p); }
};
using TableMemory = std::unique_ptr<void, TableMemoryFree>;

// Uninitialised memory for `bytes` bytes, aligned at least for any scalar type. Throws
// std::bad_alloc when out of memory, as operator new does.
TableMemory allocate_table_memory(std::size_t bytes);

}  // namespace pw::formats::internal
