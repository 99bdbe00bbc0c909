/* kernels.h — the hot B = 1 SGD steps (diagnet, relu1d) built once per
 * x86-64 instruction-set level and chosen at run time for the CPU.
 *
 * Every level runs the same C source (src/core/kernel_body.h) with the
 * same, fixed summation order and no FMA contraction, so every level gives
 * the same bits as the portable build: the choice changes the speed, never
 * a number (tests/test_kernels.c runs them side by side).  At start-up the
 * best level the CPU supports is active, unless the environment variable
 * SGDSCOPE_KERNEL names another one (portable, x86-64-v3, x86-64-v4, or
 * auto); a name this build or CPU lacks leaves the best level active. */
#ifndef SGDSCOPE_KERNELS_H
#define SGDSCOPE_KERNELS_H

#include <stddef.h>

/* One level's kernels. */
typedef struct kernels {
    const char *name; /* "portable", "x86-64-v3", "x86-64-v4" */
    /* diagnet's step on θ = (u, v) (2d doubles) with the sample (x, y):
     * u ← u − η r (x ⊙ v), v ← v − η r (x ⊙ u); returns the residual r
     * before the step. */
    double (*diagnet_sgd1)(double *theta, const double *x, double y,
                           double eta, size_t d);
    /* relu1d's step on θ = (w, b, a) (3nn doubles) with the sample (x, y):
     * θ ← θ − 2η r ∇h; returns r before the step. */
    double (*relu1d_sgd1)(double *theta, double x, double y, double eta,
                          size_t nn);
} kernels;

/* The active level's table; read it once per step, never cache it across
 * a kernels_select.  Defined in kernels.c, set only by kernels_select
 * and the start-up choice. */
extern const kernels *kernels_active_table;

/* The active kernels (never NULL: the portable ones until start-up has
 * chosen). */
static inline const kernels *kernels_active(void)
{
    return kernels_active_table;
}

/* The levels this build has, best last: "portable" first, then those of
 * x86-64 builds.  *count is set; the array is static. */
const kernels *const *kernels_levels(size_t *count);

/* Whether this build has level `name` and this CPU can run it. */
int kernels_available(const char *name);

/* Makes level `name` active ("auto": the best available).  Returns 1, or 0
 * (and changes nothing) when kernels_available says no or the name is
 * unknown.  Not thread-safe: call it between steps, not during them. */
int kernels_select(const char *name);

/* The name of the active level. */
const char *kernels_name(void);

/* The best level this CPU can run (what start-up picks without
 * SGDSCOPE_KERNEL). */
const char *kernels_best(void);

/* The alignment of kernels_alloc: a cache line, and one AVX-512 vector. */
#define KERNELS_ALIGN 64

/* count zeroed doubles aligned to KERNELS_ALIGN, for the vectors the
 * kernels stream through (θ, the training inputs): a vector load that
 * straddles two cache lines costs about two.  Freed with free(); NULL when
 * out of memory.  Alignment changes the speed only, never a number. */
double *kernels_alloc(size_t count);

#endif
