/* rng.c — xoshiro256** with splitmix64 seeding; see rng.h. */
#include "rng.h"

#include <math.h>

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void rng_seed(rng *g, uint64_t seed, uint64_t stream)
{
    /* Mix the stream id in through its own splitmix round so that
     * (seed, stream) pairs never collide for small values of either. */
    uint64_t st = stream * 0xD1B54A32D192ED03ULL + 0x8CB92BA72F3D8DD7ULL;
    uint64_t x = seed ^ splitmix64(&st);
    for (int i = 0; i < 4; i++)
        g->s[i] = splitmix64(&x);
    if (!(g->s[0] | g->s[1] | g->s[2] | g->s[3]))
        g->s[0] = 1; /* the all-zero state is a fixed point */
    g->has_spare = 0;
    g->spare = 0.0;
}

uint64_t rng_below(rng *g, uint64_t n)
{
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

double rng_normal(rng *g)
{
    if (g->has_spare) {
        g->has_spare = 0;
        return g->spare;
    }
    /* 1 - u lies in (0, 1], so the log is finite. */
    double u1 = 1.0 - rng_uniform(g);
    double u2 = rng_uniform(g);
    double rad = sqrt(-2.0 * log(u1));
    double ang = 6.283185307179586476925 * u2;
    g->spare = rad * sin(ang);
    g->has_spare = 1;
    return rad * cos(ang);
}
