// RAII ownership of C library handles: Handle<T, FreeFn> is a unique_ptr that calls FreeFn.
#pragma once

#include <memory>

namespace orchkit {

template <auto FreeFn>
struct Free {
  template <class T>
  void operator()(T* p) const noexcept {
    if (p) FreeFn(p);
  }
};

template <class T, auto FreeFn>
using Handle = std::unique_ptr<T, Free<FreeFn>>;

}  // namespace orchkit
