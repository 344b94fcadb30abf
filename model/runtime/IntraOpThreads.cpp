#include "model/runtime/IntraOpThreads.h"

#include <ATen/Context.h>
#include <ATen/Parallel.h>

namespace moon {

int defaultIntraOpThreads() { return at::hasMKL() ? at::get_num_threads() : 1; }

int applyIntraOpThreads(int requested) {
  at::set_num_threads(requested > 0 ? requested : defaultIntraOpThreads());
  return at::get_num_threads();
}

}  // namespace moon
