/* teacher.c — the pieces the teacher–student models share; see teacher.h. */
#include "teacher.h"

#include <math.h>

static double dot(const double *a, const double *b, size_t d)
{
    double s = 0.0;
    for (size_t k = 0; k < d; k++)
        s += a[k] * b[k];
    return s;
}

void teacher_sphere(rng *g, double *x, size_t count, size_t d)
{
    for (size_t i = 0; i < count; i++) {
        double *xi = x + i * d, nn;
        do {
            for (size_t k = 0; k < d; k++)
                xi[k] = rng_normal(g);
            nn = sqrt(dot(xi, xi, d));
        } while (!(nn > 0.0));
        for (size_t k = 0; k < d; k++)
            xi[k] /= nn;
    }
}

double teacher_nearest_angle(const double *w, const double *t, size_t k,
                             size_t d)
{
    double nw = sqrt(dot(w, w, d)), best = NAN;
    if (!(nw > 0.0))
        return NAN;
    for (size_t q = 0; q < k; q++) {
        const double *tq = t + q * d;
        double nt = sqrt(dot(tq, tq, d));
        if (!(nt > 0.0))
            continue;
        /* 2·atan2(‖u − v‖, ‖u + v‖) for unit u, v: exact to rounding
         * near 0° and 180°, where acos of the cosine loses half the
         * digits */
        double dm = 0.0, dp = 0.0;
        for (size_t i = 0; i < d; i++) {
            double u = w[i] / nw, v = tq[i] / nt;
            dm += (u - v) * (u - v);
            dp += (u + v) * (u + v);
        }
        double ang = 2.0 * atan2(sqrt(dm), sqrt(dp)) * (180.0 / M_PI);
        if (isnan(best) || ang < best)
            best = ang;
    }
    return best;
}

double teacher_angle_mean(const double *W, const double *size, size_t m,
                          size_t d, const double *act, size_t n,
                          const double *T, size_t k)
{
    double big = 0.0;
    for (size_t pass = 0; pass < 2; pass++) {
        double sum = 0.0;
        size_t cnt = 0;
        for (size_t j = 0; j < m; j++) {
            int live = 0;
            for (size_t i = 0; i < n && !live; i++)
                live = act[i * m + j] > 0.0;
            if (!live)
                continue;
            if (pass == 0) {
                if (size[j] > big)
                    big = size[j];
                if (!isfinite(size[j]))
                    return NAN;
                continue;
            }
            if (!(big > 0.0) || size[j] < TEACHER_ACTIVE_FRAC * big)
                continue;
            sum += teacher_nearest_angle(W + j * d, T, k, d);
            cnt++;
        }
        if (pass == 1)
            return cnt ? sum / (double)cnt : NAN;
    }
    return NAN;
}

void teacher_plane(const double *t, size_t k, size_t d, double *e1,
                   double *e2)
{
    double n1 = k > 0 ? sqrt(dot(t, t, d)) : 0.0;
    for (size_t i = 0; i < d; i++)
        e1[i] = n1 > 0.0 ? t[i] / n1 : (i == 0);
    if (k > 1) {
        const double *t2 = t + d;
        double c = dot(t2, e1, d);
        for (size_t i = 0; i < d; i++)
            e2[i] = t2[i] - c * e1[i];
        double n2 = sqrt(dot(e2, e2, d)), nt = sqrt(dot(t2, t2, d));
        /* not parallel to the first (relative to t2's own size) */
        if (n2 > 1e-9 * nt) {
            for (size_t i = 0; i < d; i++)
                e2[i] /= n2;
            return;
        }
    }
    size_t lo = 0;
    for (size_t i = 1; i < d; i++)
        if (fabs(e1[i]) < fabs(e1[lo]))
            lo = i;
    double c = e1[lo];
    for (size_t i = 0; i < d; i++)
        e2[i] = (i == lo) - c * e1[i];
    double n2 = sqrt(dot(e2, e2, d));
    for (size_t i = 0; i < d; i++)
        e2[i] /= n2;
}
