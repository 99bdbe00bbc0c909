/* metrics.c — the scalar summaries the panels show; see metrics.h.
 *
 * Every function works on caller-owned arrays and a caller-owned scratch
 * buffer, never allocates, and never writes to its inputs, so the run can
 * call them from the stepping loop and the tests can feed them hand-built
 * cases. */
#include "metrics.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

size_t metrics_rank(const double *sv, size_t k, double tol)
{
    if (k == 0 || !isfinite(sv[0]) || sv[0] <= 0.0)
        return 0;
    /* Count rather than stop at the first failure: a spectrum that is not
     * quite sorted (LAPACK ties, rounding) still gives the right answer.
     * NaN ratios compare false and so are not counted. */
    size_t r = 0;
    for (size_t i = 0; i < k; i++)
        if (sv[i] / sv[0] > tol)
            r++;
    return r;
}

size_t metrics_l0(const double *beta, size_t d, double tol)
{
    /* Strict: a coordinate exactly at the threshold is counted as zero.
     * NaN entries compare false and are not counted. */
    size_t c = 0;
    for (size_t j = 0; j < d; j++)
        if (fabs(beta[j]) > tol)
            c++;
    return c;
}

/* Feature sparsity.
 *
 * Layout of scratch (n·m + m doubles):
 *   z[i*m + j]  the row-normalized activations, then, column by column,
 *               centred and scaled to unit Euclidean norm, so that the
 *               Pearson correlation of two columns is their dot product;
 *   st[j]       the state of neuron j: 0 dropped (dead or correlated),
 *               +c kept with c non-zero entries and non-zero variance,
 *               −c kept with c non-zero entries and zero variance.
 *
 * Zero variance.  Pearson's r is 0/0 for a constant column.  A constant
 * column that survives the dead-neuron filter is a constant non-zero
 * feature (after row normalization), and any two of those are scaled
 * copies of each other: we define r = 1 between two constant columns
 * (the later one is dropped) and r = 0 between a constant and a
 * non-constant column (both are kept).  A column counts as constant when
 * its centred norm is below 1e-12 of its raw norm, so rounding in the row
 * normalization does not turn a constant column into amplified noise.
 *
 * The correlation is signed (r > corr), as in the paper's code: two
 * anti-correlated neurons are different features.
 *
 * A non-finite activation (a diverged run) makes the result NaN. */
double metrics_feature_sparsity(const double *act, size_t n, size_t m,
                                double corr, double *scratch)
{
    if (n == 0 || m == 0)
        return 0.0;
    double *z = scratch;
    double *st = scratch + n * m;

    /* Normalize each sample's activation vector; zero rows stay zero. */
    for (size_t i = 0; i < n; i++) {
        const double *a = act + i * m;
        double *r = z + i * m;
        double ss = 0.0;
        for (size_t j = 0; j < m; j++) {
            if (!isfinite(a[j]))
                return NAN;
            ss += a[j] * a[j];
        }
        double nr = sqrt(ss);
        for (size_t j = 0; j < m; j++)
            r[j] = nr > 0.0 ? a[j] / nr : 0.0;
    }

    /* Count non-zeros (before centring destroys them), drop dead neurons,
     * and turn each live column into its centred unit vector. */
    for (size_t j = 0; j < m; j++) {
        double nz = 0.0, sum = 0.0, raw = 0.0;
        for (size_t i = 0; i < n; i++) {
            double v = z[i * m + j];
            if (v != 0.0)
                nz += 1.0;
            sum += v;
            raw += v * v;
        }
        if (nz == 0.0) {
            st[j] = 0.0;
            continue;
        }
        double mean = sum / (double)n, ss = 0.0;
        for (size_t i = 0; i < n; i++) {
            double c = z[i * m + j] - mean;
            z[i * m + j] = c;
            ss += c * c;
        }
        if (ss <= 1e-24 * raw) {
            for (size_t i = 0; i < n; i++)
                z[i * m + j] = 0.0;
            st[j] = -nz;
        } else {
            double s = 1.0 / sqrt(ss);
            for (size_t i = 0; i < n; i++)
                z[i * m + j] *= s;
            st[j] = nz;
        }
    }

    /* Greedy in index order: j is dropped if it is correlated above corr
     * with any neuron kept before it. */
    for (size_t j = 0; j < m; j++) {
        if (st[j] == 0.0)
            continue;
        for (size_t k = 0; k < j; k++) {
            if (st[k] == 0.0)
                continue;
            double r;
            if (st[j] < 0.0 || st[k] < 0.0) {
                r = (st[j] < 0.0 && st[k] < 0.0) ? 1.0 : 0.0;
            } else {
                r = 0.0;
                for (size_t i = 0; i < n; i++)
                    r += z[i * m + j] * z[i * m + k];
            }
            if (r > corr) {
                st[j] = 0.0;
                break;
            }
        }
    }

    double kept = 0.0;
    for (size_t j = 0; j < m; j++)
        kept += fabs(st[j]);
    return kept / ((double)n * (double)m);
}

/* Orders (position, slope change) pairs by position. */
static int kink_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    return (a > b) - (a < b);
}

size_t metrics_kinks(const double *w, const double *b, const double *a,
                     size_t m, double lo, double hi, double *scratch)
{
    if (!(hi > lo))
        return 0;
    /* The cancellation threshold is relative to the largest |a_j w_j| over
     * all neurons, so it does not depend on which kinks fall in range. */
    double big = 0.0;
    for (size_t j = 0; j < m; j++) {
        double s = fabs(a[j] * w[j]);
        if (s > big)
            big = s;
    }
    if (!(big > 0.0) || !isfinite(big))
        return 0;

    /* Collect in-range kinks as interleaved (position, slope change)
     * pairs; a NaN position fails both comparisons and is skipped. */
    size_t nk = 0;
    for (size_t j = 0; j < m; j++) {
        if (w[j] == 0.0)
            continue;
        double x = -b[j] / w[j];
        if (!(x > lo && x < hi))
            continue;
        scratch[2 * nk] = x;
        scratch[2 * nk + 1] = a[j] * fabs(w[j]);
        nk++;
    }
    qsort(scratch, nk, 2 * sizeof(double), kink_cmp);

    /* Single-linkage merging: a kink within eps of the previous one joins
     * its group, so a chain of close kinks is one kink. */
    double eps = 1e-3 * (hi - lo), floor_ = 1e-2 * big;
    size_t count = 0;
    size_t i = 0;
    while (i < nk) {
        double slope = scratch[2 * i + 1];
        size_t e = i + 1;
        while (e < nk && scratch[2 * e] - scratch[2 * (e - 1)] < eps) {
            slope += scratch[2 * e + 1];
            e++;
        }
        if (fabs(slope) > floor_) {
            /* the group's position, written where no unread pair is left
             * (count ≤ groups seen ≤ e < 2e, the next pair read) */
            double x = scratch[2 * i];
            scratch[count++] = x;
        }
        i = e;
    }
    return count;
}

/* Ascending order with NaNs last, so the comparison is a total order
 * (qsort is undefined otherwise) and NaNs only reach the top quantiles. */
static int double_cmp(const void *pa, const void *pb)
{
    double a = *(const double *)pa, b = *(const double *)pb;
    int na = isnan(a), nb = isnan(b);
    if (na || nb)
        return na - nb;
    return (a > b) - (a < b);
}

double metrics_quantile(const double *v, size_t k, double q, double *scratch)
{
    if (k == 0 || isnan(q))
        return NAN;
    if (q < 0.0)
        q = 0.0;
    if (q > 1.0)
        q = 1.0;
    memcpy(scratch, v, k * sizeof(double));
    qsort(scratch, k, sizeof(double), double_cmp);
    /* Type 7 (R's default, numpy's "linear"): h = (k − 1) q. */
    double h = (double)(k - 1) * q;
    size_t i = (size_t)floor(h);
    if (i >= k - 1)
        return scratch[k - 1];
    double f = h - (double)i;
    if (f == 0.0)
        return scratch[i]; /* exact order statistic, no 0·Inf */
    return scratch[i] + f * (scratch[i + 1] - scratch[i]);
}

double metrics_bounce_cos(const double *th0, const double *th1,
                          const double *th2, size_t p)
{
    double dot = 0.0, n1 = 0.0, n2 = 0.0;
    for (size_t i = 0; i < p; i++) {
        double d1 = th1[i] - th0[i], d2 = th2[i] - th1[i];
        dot += d1 * d2;
        n1 += d1 * d1;
        n2 += d2 * d2;
    }
    if (n1 == 0.0 || n2 == 0.0)
        return 0.0;
    double c = dot / (sqrt(n1) * sqrt(n2));
    /* Rounding can push a perfect (anti)alignment just past ±1. */
    if (c > 1.0)
        c = 1.0;
    if (c < -1.0)
        c = -1.0;
    return c;
}

/* out = G w for the k × k row-major G. */
static void gram_apply(const double *G, size_t k, const double *w,
                       double *out)
{
    for (size_t i = 0; i < k; i++) {
        double s = 0.0;
        for (size_t j = 0; j < k; j++)
            s += G[i * k + j] * w[j];
        out[i] = s;
    }
}

double metrics_bounce(const double *const *states, size_t k, size_t p,
                      double *gram, double *dir)
{
    if (k < 2)
        return NAN;
    double *G = gram, *w = gram + k * k, *tmp = w + k;
    /* G_ij = <Δ_i, Δ_j>, Δ_i = states[i+1] − states[i] */
    for (size_t i = 0; i < k; i++)
        for (size_t j = 0; j <= i; j++) {
            double s = 0.0;
            for (size_t c = 0; c < p; c++)
                s += (states[i + 1][c] - states[i][c]) *
                     (states[j + 1][c] - states[j][c]);
            G[i * k + j] = G[j * k + i] = s;
        }
    double tr = 0.0;
    for (size_t i = 0; i < k; i++)
        tr += G[i * k + i];
    if (!(tr > 0.0) || !isfinite(tr))
        return NAN;
    /* Power iteration from a fixed, generic start: deterministic, and
     * the Gram matrix is tiny (k ≤ a few dozen). */
    for (size_t i = 0; i < k; i++)
        w[i] = 1.0 / (double)(i + 1) + (i % 2 ? -0.5 : 0.5);
    for (int it = 0; it < 60; it++) {
        gram_apply(G, k, w, tmp);
        double nrm = 0.0;
        for (size_t i = 0; i < k; i++)
            nrm += tmp[i] * tmp[i];
        nrm = sqrt(nrm);
        if (!(nrm > 0.0))
            return NAN;
        for (size_t i = 0; i < k; i++)
            w[i] = tmp[i] / nrm;
    }
    /* The component of Δ_i along v = Σ w_j Δ_j is (G w)_i. */
    size_t flips = 0;
    gram_apply(G, k, w, tmp);
    for (size_t i = 0; i + 1 < k; i++)
        flips += (tmp[i] > 0.0 && tmp[i + 1] < 0.0) ||
                 (tmp[i] < 0.0 && tmp[i + 1] > 0.0);
    if (dir) {
        double nrm = 0.0;
        for (size_t c = 0; c < p; c++) {
            double v = 0.0;
            for (size_t i = 0; i < k; i++)
                v += w[i] * (states[i + 1][c] - states[i][c]);
            dir[c] = v;
            nrm += v * v;
        }
        nrm = sqrt(nrm);
        for (size_t c = 0; c < p && nrm > 0.0; c++)
            dir[c] /= nrm;
    }
    return (double)flips / (double)(k - 1);
}
