/* kernels.c — the dispatch table of the hot SGD steps (kernels.h): the
 * template kernel_body.h compiled once per x86-64 level with a target
 * attribute, and the start-up choice by what the CPU supports.
 *
 * A table rather than GCC's target_clones: with clones the loader's
 * resolver picks one copy per process, and nothing could run the portable
 * and the vector kernels side by side in one process, which is how
 * tests/test_kernels.c proves they give the same bits. */
#include "kernels.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* One level's entries with the table's signature.  The template's
 * functions are static inline (so that its sums also inline into the
 * models); they inline into these, so each whole step is built with the
 * level's attributes. */
#define KERNELS_WRAP(sfx)                                                  \
    KERNEL_ATTR_DIAGNET static double diagnet_step_##sfx(                  \
        double *theta, const double *x, double y, double eta, size_t d)    \
    {                                                                      \
        return diagnet_sgd1_##sfx(theta, x, y, eta, d);                   \
    }                                                                      \
    KERNEL_ATTR_RELU1D static double relu1d_step_##sfx(                    \
        double *theta, double x, double y, double eta, size_t nn)          \
    {                                                                      \
        return relu1d_sgd1_##sfx(theta, x, y, eta, nn);                   \
    }

/* The portable level: the build's own flags (the x86-64 baseline, SSE2,
 * on x86), the same code as before there were levels. */
#define KERNEL_FN(name) name##_portable
#define KERNEL_ATTR_DIAGNET
#define KERNEL_ATTR_RELU1D
#include "kernel_body.h"
KERNELS_WRAP(portable)
#undef KERNEL_FN
#undef KERNEL_ATTR_DIAGNET
#undef KERNEL_ATTR_RELU1D

static const kernels kernels_portable = {
    .name = "portable",
    .diagnet_sgd1 = diagnet_step_portable,
    .relu1d_sgd1 = relu1d_step_portable,
};

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))

/* x86-64-v3: AVX2, 4 doubles a vector.  The level also has FMA, which
 * -ffp-contract=off keeps out of these loops. */
#define KERNEL_FN(name) name##_v3
#define KERNEL_ATTR_DIAGNET __attribute__((target("arch=x86-64-v3")))
#define KERNEL_ATTR_RELU1D __attribute__((target("arch=x86-64-v3")))
#include "kernel_body.h"
KERNELS_WRAP(v3)
#undef KERNEL_FN
#undef KERNEL_ATTR_DIAGNET
#undef KERNEL_ATTR_RELU1D

/* x86-64-v4: AVX-512, 8 doubles a vector, so diagnet's eight partial sums
 * are one register.  relu1d's four are not: at 512 bits GCC 12 vectorizes
 * relu1d_eval across pairs of its 4-lane groups and adds the lanes one by
 * one (11.7 M steps/s against 15.9 at 256 bits, tests/bench.c), so its
 * kernel keeps AVX-512's instructions at AVX2's width.  (clang takes no
 * vector width in a target attribute and prefers 256 bits there anyway.) */
#if defined(__clang__)
#define KERNELS_V4_NARROW "arch=x86-64-v4"
#else
#define KERNELS_V4_NARROW "arch=x86-64-v4,prefer-vector-width=256"
#endif
#define KERNEL_FN(name) name##_v4
#define KERNEL_ATTR_DIAGNET __attribute__((target("arch=x86-64-v4")))
#define KERNEL_ATTR_RELU1D __attribute__((target(KERNELS_V4_NARROW)))
#include "kernel_body.h"
KERNELS_WRAP(v4)
#undef KERNEL_FN
#undef KERNEL_ATTR_DIAGNET
#undef KERNEL_ATTR_RELU1D

static const kernels kernels_v3 = {
    .name = "x86-64-v3",
    .diagnet_sgd1 = diagnet_step_v3,
    .relu1d_sgd1 = relu1d_step_v3,
};

static const kernels kernels_v4 = {
    .name = "x86-64-v4",
    .diagnet_sgd1 = diagnet_step_v4,
    .relu1d_sgd1 = relu1d_step_v4,
};

/* GCC knows the levels by name (and checks exactly what -march= means by
 * them); clang 14 does not, so it asks for the features these kernels can
 * use.  Both also check that the OS saves the vector registers. */
static int cpu_has(const kernels *k)
{
    __builtin_cpu_init();
#if defined(__clang__)
    int v3 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") &&
             __builtin_cpu_supports("bmi") && __builtin_cpu_supports("bmi2");
    int v4 = v3 && __builtin_cpu_supports("avx512f") &&
             __builtin_cpu_supports("avx512bw") &&
             __builtin_cpu_supports("avx512cd") &&
             __builtin_cpu_supports("avx512dq") &&
             __builtin_cpu_supports("avx512vl");
#else
    int v3 = __builtin_cpu_supports("x86-64-v3");
    int v4 = __builtin_cpu_supports("x86-64-v4");
#endif
    if (k == &kernels_v4)
        return v4;
    if (k == &kernels_v3)
        return v3;
    return 1;
}

static const kernels *const kernels_all[] = {&kernels_portable, &kernels_v3,
                                             &kernels_v4};
#else
static int cpu_has(const kernels *k)
{
    (void)k;
    return 1;
}

static const kernels *const kernels_all[] = {&kernels_portable};
#endif

#define KERNELS_COUNT (sizeof kernels_all / sizeof kernels_all[0])

const kernels *kernels_active_table = &kernels_portable;

const kernels *const *kernels_levels(size_t *count)
{
    *count = KERNELS_COUNT;
    return kernels_all;
}

static const kernels *find(const char *name)
{
    for (size_t i = 0; name && i < KERNELS_COUNT; i++)
        if (strcmp(kernels_all[i]->name, name) == 0)
            return kernels_all[i];
    return NULL;
}

static const kernels *best(void)
{
    for (size_t i = KERNELS_COUNT; i-- > 0;)
        if (cpu_has(kernels_all[i]))
            return kernels_all[i];
    return &kernels_portable;
}

int kernels_available(const char *name)
{
    const kernels *k = find(name);
    return k && cpu_has(k);
}

int kernels_select(const char *name)
{
    const kernels *k = name && strcmp(name, "auto") == 0 ? best() : find(name);
    if (!k || !cpu_has(k))
        return 0;
    kernels_active_table = k;
    return 1;
}

const char *kernels_name(void)
{
    return kernels_active_table->name;
}

const char *kernels_best(void)
{
    return best()->name;
}

/* The start-up choice, before main: the best level, or SGDSCOPE_KERNEL's
 * when this CPU has it.  Without constructors (not GCC or clang) the
 * portable kernels stay active, which only costs speed. */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((constructor)) static void kernels_boot(void)
{
    if (!kernels_select(getenv("SGDSCOPE_KERNEL")))
        kernels_active_table = best();
}
#endif

double *kernels_alloc(size_t count)
{
    if (count > (SIZE_MAX - KERNELS_ALIGN) / sizeof(double))
        return NULL;
    /* aligned_alloc wants a multiple of the alignment (C11 7.22.3.1) */
    size_t bytes = (count ? count : 1) * sizeof(double);
    bytes = (bytes + KERNELS_ALIGN - 1) & ~(size_t)(KERNELS_ALIGN - 1);
    double *p = aligned_alloc(KERNELS_ALIGN, bytes);
    if (p)
        memset(p, 0, bytes);
    return p;
}
