/* metrics.c — the scalar summaries the panels show; see metrics.h.
 *
 * Every function works on caller-owned arrays and a caller-owned scratch
 * buffer, never allocates, and never writes to its inputs, so the run can
 * call them from the stepping loop and the tests can feed them hand-built
 * cases. */
#include "metrics.h"

#include <float.h>
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

/* Feature sparsity, as fc_nets.py's feature_sparsity computes it.
 *
 * Layout of scratch (n·m + 2m doubles):
 *   z[j*n + i]  the row-normalized activations, then each kept column
 *               centred on its mean; stored by column (neuron j's n values
 *               contiguous), so the O(m²·n) pairwise pass reads memory in
 *               order — with m in the thousands, row-major columns cost a
 *               cache miss per product;
 *   ss[j]       Σᵢ z[j*n + i]² of the centred column, NaN for a constant
 *               column (its variance is 0: np.corrcoef's 0/0);
 *   st[j]       0 if neuron j is dropped (dead or deleted), else its
 *               number of non-zero entries.
 *
 * Correlation.  r = Σ xc·yc / √(Σ xc² · Σ yc²) on the centred columns,
 * clipped to [−1, 1]: np.corrcoef's cov/√(var·var) up to rounding (the
 * 1/(n−1) factors cancel), so a threshold such as 0.999 decides the same
 * way; with corr = 1 the clip matters (nothing exceeds 1).  The test is
 * |r| > corr: anti-correlated neurons count as correlated, as in the
 * authors' np.abs(corr_matrix).  NaN never exceeds it, so a constant
 * column is never deleted and never causes a deletion.  A column counts
 * as constant when its centred norm is below 1e-12 of its raw norm: a
 * share that is the same on every sample but was rounded differently in
 * the row normalization is still constant (numpy would blow the rounding
 * up to unit variance, and its verdict would depend on the last bits of
 * float32 arithmetic we do not reproduce).
 *
 * Deletion.  The authors walk the kept neurons in index order and delete
 * neuron i when |C_ij| > corr for any j still in the matrix: the earlier
 * survivors and all later neurons.  An earlier survivor k never deletes
 * i: when k was visited, i was still in the matrix and |C_ki| ≤ corr
 * (C is symmetric here, bit for bit).  So i is deleted exactly when it is
 * correlated with some later kept neuron, and of a correlated group the
 * last survives; the pass below checks only later neurons, half the
 * pairs, and stops at the first hit.
 *
 * A non-finite activation (a diverged run) makes the result NaN. */
double metrics_feature_sparsity(const double *act, size_t n, size_t m,
                                double corr, double *scratch)
{
    if (n == 0 || m == 0)
        return 0.0;
    double *z = scratch;
    double *ss = scratch + n * m;
    double *st = ss + m;

    /* Normalize each sample's activation vector; zero rows stay zero
     * (the authors' 0/0 = NaN, then set to 0). */
    for (size_t i = 0; i < n; i++) {
        const double *a = act + i * m;
        double s2 = 0.0;
        for (size_t j = 0; j < m; j++) {
            if (!isfinite(a[j]))
                return NAN;
            s2 += a[j] * a[j];
        }
        double nr = sqrt(s2);
        for (size_t j = 0; j < m; j++)
            z[j * n + i] = nr > 0.0 ? a[j] / nr : 0.0;
    }

    /* Keep the columns positive on at least one sample, count their
     * non-zeros (before centring destroys them), and centre them. */
    for (size_t j = 0; j < m; j++) {
        double *zj = z + j * n;
        double nz = 0.0, sum = 0.0, raw = 0.0;
        int live = 0;
        for (size_t i = 0; i < n; i++) {
            double v = zj[i];
            live |= v > 0.0;
            nz += v != 0.0;
            sum += v;
            raw += v * v;
        }
        st[j] = live ? nz : 0.0;
        if (!live)
            continue;
        double mean = sum / (double)n, s2 = 0.0;
        for (size_t i = 0; i < n; i++) {
            double c = zj[i] - mean;
            zj[i] = c;
            s2 += c * c;
        }
        ss[j] = s2 <= 1e-24 * raw ? NAN : s2;
    }

    /* Delete i when it is correlated above corr with a later kept neuron
     * (see above: the same set the authors delete). */
    for (size_t i = 0; i < m; i++) {
        if (st[i] == 0.0 || isnan(ss[i]))
            continue;
        const double *zi = z + i * n;
        for (size_t j = i + 1; j < m; j++) {
            if (st[j] == 0.0 || isnan(ss[j]))
                continue;
            const double *zj = z + j * n;
            double dot = 0.0;
            for (size_t k = 0; k < n; k++)
                dot += zi[k] * zj[k];
            double r = dot / sqrt(ss[i] * ss[j]);
            r = r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
            if (fabs(r) > corr) {
                st[i] = 0.0;
                break;
            }
        }
    }

    double kept = 0.0;
    for (size_t j = 0; j < m; j++)
        kept += st[j];
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

/* Quantile q of the sorted s[0..k), type 7. */
static double quantile_sorted(const double *s, size_t k, double q)
{
    if (k == 0 || isnan(q))
        return NAN;
    if (q < 0.0)
        q = 0.0;
    if (q > 1.0)
        q = 1.0;
    /* Type 7 (R's default, numpy's "linear"): h = (k − 1) q. */
    double h = (double)(k - 1) * q;
    size_t i = (size_t)floor(h);
    if (i >= k - 1)
        return s[k - 1];
    double f = h - (double)i;
    if (f == 0.0)
        return s[i]; /* exact order statistic, no 0·Inf */
    return s[i] + f * (s[i + 1] - s[i]);
}

double metrics_quantile(const double *v, size_t k, double q, double *scratch)
{
    if (k == 0 || isnan(q))
        return NAN;
    memcpy(scratch, v, k * sizeof(double));
    qsort(scratch, k, sizeof(double), double_cmp);
    return quantile_sorted(scratch, k, q);
}

void metrics_quantile_pair(const double *v, size_t k, double q1, double q2,
                           double *scratch, double *out1, double *out2)
{
    if (k > 0) {
        memcpy(scratch, v, k * sizeof(double));
        qsort(scratch, k, sizeof(double), double_cmp);
    }
    *out1 = quantile_sorted(scratch, k, q1);
    *out2 = quantile_sorted(scratch, k, q2);
}

double metrics_line_min(double (*f)(void *ctx, double s), void *ctx,
                        double lo, double hi)
{
    /* Brent's localmin (Algorithm Brent 1973, ch. 5): golden-section steps
     * that keep a bracket, replaced by the vertex of the parabola through
     * the three best points whenever that falls well inside the bracket
     * and shrinks the step, so a smooth valley takes a dozen evaluations
     * where golden section alone takes sixty.  x is the best point, w the
     * second best, v the previous w; e the step before last. */
    const double c = 0.3819660112501051; /* (3 − √5)/2 */
    const double t = 1e-9 * (hi - lo) + 1e-300;
    double a = lo, b = hi;
    double x = a + c * (b - a), w = x, v = x;
    double fx = f(ctx, x), fw = fx, fv = fx;
    double d = 0.0, e = 0.0;
    for (int it = 0; it < METRICS_LINE_EVALS; it++) {
        double m = 0.5 * (a + b), tol = 2.0 * DBL_EPSILON * fabs(x) + t;
        if (fabs(x - m) <= 2.0 * tol - 0.5 * (b - a))
            break;
        double p = 0.0, q = 0.0, r = 0.0;
        if (fabs(e) > tol) { /* parabola through x, w, v */
            r = (x - w) * (fx - fv);
            q = (x - v) * (fx - fw);
            p = (x - v) * q - (x - w) * r;
            q = 2.0 * (q - r);
            if (q > 0.0)
                p = -p;
            else
                q = -q;
            r = e;
            e = d;
        }
        if (fabs(p) < fabs(0.5 * q * r) && p > q * (a - x) &&
            p < q * (b - x)) {
            d = p / q; /* parabolic step, kept tol away from the ends */
            double u = x + d;
            if (u - a < 2.0 * tol || b - u < 2.0 * tol)
                d = x < m ? tol : -tol;
        } else { /* golden-section step into the larger part */
            e = x < m ? b - x : a - x;
            d = c * e;
        }
        double u = fabs(d) >= tol ? x + d : x + (d > 0.0 ? tol : -tol);
        double fu = f(ctx, u);
        if (fu <= fx) { /* NaN never wins */
            if (u < x)
                b = x;
            else
                a = x;
            v = w, fv = fw;
            w = x, fw = fx;
            x = u, fx = fu;
        } else {
            if (u < x)
                a = u;
            else
                b = u;
            if (fu <= fw || w == x) {
                v = w, fv = fw;
                w = u, fw = fu;
            } else if (fu <= fv || v == x || v == w) {
                v = u, fv = fu;
            }
        }
    }
    return x;
}

double metrics_cross_share(const double *c, size_t k)
{
    if (k < 2)
        return NAN;
    size_t flips = 0;
    for (size_t i = 0; i + 1 < k; i++)
        flips += (c[i] > 0.0 && c[i + 1] < 0.0) ||
                 (c[i] < 0.0 && c[i + 1] > 0.0);
    return (double)flips / (double)(k - 1);
}
