// The Store interface is header-only; this file anchors the pw_store library.
#include "store/store.h"
