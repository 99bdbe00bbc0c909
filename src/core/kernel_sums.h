/* kernel_sums.h — internal to the core: kernel_body.h's functions at the
 * portable level, named kernel_<name> (kernel_diagnet_dot3,
 * kernel_relu1d_eval, ...), for the models' predictions and gradients.
 * The same source as the dispatched SGD steps (kernels.c), so a model's
 * sums and its step agree to the bit.  Included once, by model_diagnet.c
 * and model_relu1d.c; like kernel_body.h it has no include guard (each
 * file gets its own static inline copies). */
#define KERNEL_FN(name) kernel_##name
#define KERNEL_ATTR_DIAGNET
#define KERNEL_ATTR_RELU1D
#include "kernel_body.h"
#undef KERNEL_FN
#undef KERNEL_ATTR_DIAGNET
#undef KERNEL_ATTR_RELU1D
