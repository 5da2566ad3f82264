#include "app/internal/openssl_util.h"

namespace pw::app::internal {

core::Result<std::string> to_pem(const std::function<int(BIO*)>& encode) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || encode(bio.get()) != 1) return core::internal_error("cannot encode PEM");
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(n));
}

}  // namespace pw::app::internal
