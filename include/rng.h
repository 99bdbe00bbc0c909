/* rng.h — the run's seeded random generators.
 *
 * Two kinds, chosen per scene (`rng = sgdscope | numpy`):
 *
 * RNG_SGDSCOPE (the default): xoshiro256** (Blackman & Vigna) seeded
 *   through splitmix64.  Independent streams (data, probe inputs,
 *   stepping) are derived from (seed, stream id) so that drawing more of
 *   one never shifts another.
 *
 * RNG_NUMPY: numpy's legacy global generator (np.random.seed /
 *   RandomState), draw for draw: MT19937 seeded by init_genrand(seed),
 *   53-bit uniforms from two 32-bit words, normals by the polar
 *   (Marsaglia) method with the second value cached, and integers below n
 *   by masked rejection on 32-bit words.  With it a scene can ask for the
 *   authors' data (seed(data_seed): X, X_test, β*) and their SGD sample
 *   order (seed(seed): one randint(n) per step).
 *
 * Every random draw of a run comes from one of these, so a seed
 * reproduces a run bit for bit. */
#ifndef SGDSCOPE_RNG_H
#define SGDSCOPE_RNG_H

#include <stdint.h>

typedef enum rng_kind { RNG_SGDSCOPE = 0, RNG_NUMPY = 1 } rng_kind;

#define RNG_MT_N 624

typedef struct rng {
    rng_kind kind;
    uint64_t s[4];      /* xoshiro256** state */
    int has_spare;      /* normals come in pairs: the cached second one */
    double spare;
    int mt_pos;         /* MT19937 state (RNG_NUMPY) */
    uint32_t mt[RNG_MT_N];
} rng;

/* Seeds stream `stream` of `seed` (RNG_SGDSCOPE); different streams are
 * independent. */
void rng_seed(rng *g, uint64_t seed, uint64_t stream);

/* Seeds g as numpy's np.random.seed(seed) does for an integer seed
 * (RNG_NUMPY); seed must be < 2^32, as numpy requires. */
void rng_seed_numpy(rng *g, uint32_t seed);

/* The name of a kind as written in scenes ("sgdscope", "numpy"). */
const char *rng_kind_name(rng_kind k);

/* Next MT19937 word (RNG_NUMPY generators only). */
uint32_t rng_mt_next(rng *g);

/* Next raw 64-bit xoshiro256** output (RNG_SGDSCOPE generators only). */
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

/* Uniform double in [0, 1) with 53 random bits (numpy: random_sample). */
static inline double rng_uniform(rng *g)
{
    if (g->kind == RNG_NUMPY) {
        /* numpy's legacy double: 27 + 26 bits of two words */
        uint32_t a = rng_mt_next(g) >> 5, b = rng_mt_next(g) >> 6;
        return ((double)a * 67108864.0 + (double)b) / 9007199254740992.0;
    }
    return (double)(rng_next(g) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0, without modulo bias: Lemire's method
 * (RNG_SGDSCOPE) or numpy's randint(n) (RNG_NUMPY: masked rejection; no
 * draw at all when n = 1, as numpy). */
uint64_t rng_below(rng *g, uint64_t n);

/* Standard normal N(0, 1): Box–Muller in pairs (RNG_SGDSCOPE: a fixed
 * draw count per pair) or numpy's legacy polar method (RNG_NUMPY). */
double rng_normal(rng *g);

#endif
