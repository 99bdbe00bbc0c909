/* verdict.c — names of the run verdicts; see verdict.h. */
#include "verdict.h"

const char *verdict_name(verdict_kind v)
{
    static const char *const names[VERDICT_COUNT] = {
        "bouncing", "converging", "converged", "erratic", "diverged"};
    return (unsigned)v < VERDICT_COUNT ? names[v] : "unknown";
}
