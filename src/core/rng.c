/* rng.c — xoshiro256** with splitmix64 seeding, and numpy's legacy
 * MT19937 generator; see rng.h. */
#include "rng.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void rng_seed(rng *g, uint64_t seed, uint64_t stream)
{
    memset(g, 0, sizeof *g);
    g->kind = RNG_SGDSCOPE;
    /* Mix the stream id in through its own splitmix round so that
     * (seed, stream) pairs never collide for small values of either. */
    uint64_t st = stream * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL;
    uint64_t x = seed ^ splitmix64(&st);
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&x);
    if (!(g->s[0] | g->s[1] | g->s[2] | g->s[3]))
        g->s[0] = 1; /* the all-zero state is a fixed point */
}

void rng_seed_numpy(rng *g, uint32_t seed)
{
    memset(g, 0, sizeof *g);
    g->kind = RNG_NUMPY;
    /* Matsumoto & Nishimura's init_genrand, which numpy's legacy seeding
     * uses for an integer seed. */
    uint32_t x = seed;
    for (int i = 0; i < RNG_MT_N; i++) {
        g->mt[i] = x;
        x = 1812433253u * (x ^ (x >> 30)) + (uint32_t)i + 1u;
    }
    g->mt_pos = RNG_MT_N;
}

const char *rng_kind_name(rng_kind k)
{
    return k == RNG_NUMPY ? "numpy" : "sgdscope";
}

/* Regenerates the 624 words of the MT19937 state (the "twist"). */
static void mt_twist(uint32_t *mt)
{
    enum { N = RNG_MT_N, M = 397 };
    const uint32_t upper = 0x80000000u, lower = 0x7fffffffu;
    const uint32_t matrix_a = 0x9908b0dfu;
    int i;
    for (i = 0; i < N - M; i++) {
        uint32_t y = (mt[i] & upper) | (mt[i + 1] & lower);
        mt[i] = mt[i + M] ^ (y >> 1) ^ ((y & 1u) ? matrix_a : 0u);
    }
    for (; i < N - 1; i++) {
        uint32_t y = (mt[i] & upper) | (mt[i + 1] & lower);
        mt[i] = mt[i + (M - N)] ^ (y >> 1) ^ ((y & 1u) ? matrix_a : 0u);
    }
    uint32_t y = (mt[N - 1] & upper) | (mt[0] & lower);
    mt[N - 1] = mt[M - 1] ^ (y >> 1) ^ ((y & 1u) ? matrix_a : 0u);
}

uint32_t rng_mt_next(rng *g)
{
    if (g->mt_pos >= RNG_MT_N) {
        mt_twist(g->mt);
        g->mt_pos = 0;
    }
    uint32_t y = g->mt[g->mt_pos++];
    /* tempering */
    y ^= y >> 11;
    y ^= (y << 7) & 0x9d2c5680u;
    y ^= (y << 15) & 0xefc60000u;
    y ^= y >> 18;
    return y;
}

/* numpy's randint(n) for the legacy generator: rejection sampling on
 * words masked to the smallest all-ones mask covering n − 1; 32-bit words
 * while n − 1 fits in them, else two words (high first) per draw. */
static uint64_t numpy_below(rng *g, uint64_t n)
{
    uint64_t max = n - 1;
    if (max == 0)
        return 0;
    uint64_t mask = max;
    mask |= mask >> 1;
    mask |= mask >> 2;
    mask |= mask >> 4;
    mask |= mask >> 8;
    mask |= mask >> 16;
    mask |= mask >> 32;
    if (max <= 0xffffffffu) {
        if (max == 0xffffffffu)
            return rng_mt_next(g);
        uint32_t v;
        while ((v = rng_mt_next(g) & (uint32_t)mask) > max)
            ;
        return v;
    }
    for (;;) {
        uint64_t hi = rng_mt_next(g);
        uint64_t v = ((hi << 32) | rng_mt_next(g)) & mask;
        if (v <= max)
            return v;
    }
}

uint64_t rng_below(rng *g, uint64_t n)
{
    if (g->kind == RNG_NUMPY)
        return numpy_below(g, n);
    /* Lemire's multiply-shift with rejection of the biased low range. */
    unsigned __int128 m = (unsigned __int128)rng_next(g) * n;
    uint64_t lo = (uint64_t)m;
    if (lo < n) {
        uint64_t thresh = -n % n;
        while (lo < thresh) {
            m = (unsigned __int128)rng_next(g) * n;
            lo = (uint64_t)m;
        }
    }
    return (uint64_t)(m >> 64);
}

/* numpy's legacy_gauss: the polar method on 53-bit uniforms, returning
 * f·x2 and caching f·x1 for the next call. */
static double numpy_normal(rng *g)
{
    double x1, x2, r2;
    do {
        x1 = 2.0 * rng_uniform(g) - 1.0;
        x2 = 2.0 * rng_uniform(g) - 1.0;
        r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1.0 || r2 == 0.0);
    double f = sqrt(-2.0 * log(r2) / r2);
    g->spare = f * x1;
    g->has_spare = 1;
    return f * x2;
}

double rng_normal(rng *g)
{
    if (g->has_spare) {
        g->has_spare = 0;
        return g->spare;
    }
    if (g->kind == RNG_NUMPY)
        return numpy_normal(g);
    /* 1 - u lies in (0, 1], so the log is finite. */
    double u1 = 1.0 - rng_uniform(g);
    double u2 = rng_uniform(g);
    double rad = sqrt(-2.0 * log(u1));
    double ang = 6.283185307179586476925 * u2;
    g->spare = rad * sin(ang);
    g->has_spare = 1;
    return rad * cos(ang);
}
