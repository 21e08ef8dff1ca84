#include "async/uring_backend.hpp"

#include "core/error.hpp"

namespace sgio {

std::unique_ptr<Backend> make_uring_backend(unsigned, BufferedWritePath) {
  fail(Errc::not_supported, "io_uring backend: not built yet");
}

}  // namespace sgio
