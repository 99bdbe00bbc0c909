/* rng.h — the run's seeded random generator.
 *
 * xoshiro256** (Blackman & Vigna) seeded through splitmix64.  Every random
 * draw of a run comes from one of these, so a seed reproduces a run bit for
 * bit.  Independent streams (data, probe inputs, stepping) are derived from
 * (seed, stream id) so that drawing more of one never shifts another. */
#ifndef SGDSCOPE_RNG_H
#define SGDSCOPE_RNG_H

#include <stdint.h>

typedef struct rng {
    uint64_t s[4];
    int has_spare;   /* Box–Muller produces normals in pairs */
    double spare;
} rng;

/* Seeds stream `stream` of `seed`; different streams are independent. */
void rng_seed(rng *g, uint64_t seed, uint64_t stream);

/* Next raw 64-bit output. */
static inline uint64_t rng_next(rng *g)
{
    uint64_t *s = g->s;
    uint64_t x = s[1] * 5;
    uint64_t result = ((x << 7) | (x >> 57)) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return result;
}

/* Uniform double in [0, 1) with 53 random bits. */
static inline double rng_uniform(rng *g)
{
    return (double)(rng_next(g) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0, without modulo bias (Lemire). */
uint64_t rng_below(rng *g, uint64_t n);

/* Standard normal N(0, 1) (Box–Muller, polar-free so the draw count per
 * call is fixed: two uniforms per pair of normals). */
double rng_normal(rng *g);

#endif
