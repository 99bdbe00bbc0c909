/* headless.c — CSV and JSON output of a run; see headless.h. */
#include "headless.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

#include "sanitize.h"

/* Numbers print with %.10g: enough to compare runs, short enough to read;
 * NaN and ±Inf become empty CSV fields and JSON null. */
static void csv_num(FILE *f, double v)
{
    if (isfinite(v))
        fprintf(f, "%.10g", v);
}

static void json_num(FILE *f, const char *key, double v)
{
    if (isfinite(v))
        fprintf(f, ",\"%s\":%.10g", key, v);
    else
        fprintf(f, ",\"%s\":null", key);
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int is_model(const run *r, const char *name)
{
    return strcmp(r->m.ops->name, name) == 0;
}

/* ---- the CSV schema ------------------------------------------------------
 * One schema for the --csv rows and the `e` export (sgdscope(1), "CSV"):
 * both fill a csv_row and print it through csv_print_row, after the one
 * header of csv_print_header, so the two can never drift apart. */

#define CSV_MAX_EXTRA 2

typedef struct csv_row {
    uint64_t step;
    double eta;
    int dyn;                  /* dyn_kind; −1 unknown */
    double batch;             /* NaN unknown */
    double train, test;       /* the value at `step` */
    double train_min, train_max;
    double band_lo, band_hi, bounce;
    double rank, sharpness;
    int verdict;              /* verdict_kind; −1 unknown */
    double extra[CSV_MAX_EXTRA];
} csv_row;

/* The model's extra columns, in order; returns how many. */
static size_t csv_extra_names(const run *r, const char **names)
{
    if (is_model(r, "quad1d")) {
        names[0] = "theta";
        return 1;
    }
    if (is_model(r, "diagnet")) {
        names[0] = "l0";
        return 1;
    }
    if (is_model(r, "relu1d")) {
        names[0] = "feature_sparsity";
        names[1] = "kinks";
        return 2;
    }
    return 0;
}

static void csv_print_header(const run *r, FILE *f)
{
    fputs("step,eta,dynamics,batch,train_loss,test_loss,train_min,"
          "train_max,band_lo,band_hi,bounce,rank,sharpness,verdict", f);
    const char *xn[CSV_MAX_EXTRA];
    size_t nx = csv_extra_names(r, xn);
    for (size_t i = 0; i < nx; i++)
        fprintf(f, ",%s", xn[i]);
    fputc('\n', f);
}

static void csv_cnum(FILE *f, double v)
{
    fputc(',', f);
    csv_num(f, v);
}

static void csv_print_row(const run *r, const csv_row *w, FILE *f)
{
    fprintf(f, "%llu", (unsigned long long)w->step);
    csv_cnum(f, w->eta);
    fputc(',', f);
    if (w->dyn >= 0)
        fputs(dyn_name((dyn_kind)w->dyn), f);
    csv_cnum(f, w->batch);
    csv_cnum(f, w->train);
    csv_cnum(f, w->test);
    csv_cnum(f, w->train_min);
    csv_cnum(f, w->train_max);
    csv_cnum(f, w->band_lo);
    csv_cnum(f, w->band_hi);
    csv_cnum(f, w->bounce);
    csv_cnum(f, w->rank);
    csv_cnum(f, w->sharpness);
    fputc(',', f);
    if (w->verdict >= 0 && w->verdict < VERDICT_COUNT)
        fputs(verdict_name((verdict_kind)w->verdict), f);
    const char *xn[CSV_MAX_EXTRA];
    size_t nx = csv_extra_names(r, xn);
    for (size_t i = 0; i < nx; i++)
        csv_cnum(f, w->extra[i]);
    fputc('\n', f);
}

void headless_csv_header(const run *r, FILE *f)
{
    csv_print_header(r, f);
}

void headless_csv_row(const run *r, FILE *f)
{
    const run_metrics *m = &r->last;
    /* One evaluation: its minimum and maximum are the value itself. */
    csv_row w = {
        .step = m->step, .eta = m->eta, .dyn = (int)r->dyn.kind,
        .batch = r->dyn.kind == DYN_SGD ? (double)r->dyn.batch : NAN,
        .train = m->train_loss,
        .test = m->test_loss, .train_min = m->train_loss,
        .train_max = m->train_loss, .band_lo = m->band_lo,
        .band_hi = m->band_hi, .bounce = m->bounce_alt,
        .rank = (double)m->rank, .sharpness = m->sharpness_now,
        .verdict = (int)m->verdict};
    const char *xn[CSV_MAX_EXTRA];
    size_t nx = csv_extra_names(r, xn);
    for (size_t i = 0; i < nx; i++)
        w.extra[i] = strcmp(xn[i], "theta") == 0  ? m->theta
                     : strcmp(xn[i], "l0") == 0   ? m->ex.l0
                     : strcmp(xn[i], "kinks") == 0 ? m->ex.kinks
                                                   : m->ex.feature_sparsity;
    csv_print_row(r, &w, f);
}

void headless_summary(const run *r, FILE *f)
{
    const run_metrics *m = &r->last;
    /* the scene's file name, as every user text is shown: sanitized, so
     * the summary is valid UTF-8 and safe on a terminal */
    char name[SCENE_NAME_MAX * 2];
    sanitize_text(name, sizeof name, r->sc.name);
    fputs("{\"scene\":", f);
    json_str(f, name);
    fputs(",\"model\":", f);
    json_str(f, r->m.ops->name);
    fprintf(f, ",\"seed\":%llu,\"steps\":%llu",
            (unsigned long long)r->sc.seed, (unsigned long long)r->t);
    fputs(",\"dynamics\":", f);
    json_str(f, dyn_name(r->dyn.kind));
    /* a batch size means something for SGD only (GD uses every point) */
    if (r->dyn.kind == DYN_SGD)
        fprintf(f, ",\"batch\":%zu", r->dyn.batch);
    else
        fputs(",\"batch\":null", f);
    json_num(f, "eta", m->eta);
    json_num(f, "train_loss", m->train_loss);
    json_num(f, "test_loss", m->test_loss);
    fprintf(f, ",\"rank\":%zu", m->rank);
    if (is_model(r, "quad1d"))
        json_num(f, "theta", m->theta);
    if (is_model(r, "diagnet"))
        json_num(f, "l0", m->ex.l0);
    if (is_model(r, "relu1d")) {
        json_num(f, "feature_sparsity", m->ex.feature_sparsity);
        json_num(f, "kinks", m->ex.kinks);
    }
    json_num(f, "band_lo", m->band_lo);
    json_num(f, "band_hi", m->band_hi);
    json_num(f, "bounce", m->bounce_alt);
    json_num(f, "bounce_frac", m->bounce_frac);
    /* A run frozen at a step evaluated just before the blow-up carries
     * that evaluation's verdict; the summary describes the run's end. */
    fputs(",\"verdict\":", f);
    json_str(f, verdict_name(r->diverged ? VERDICT_DIVERGED : m->verdict));
    /* λmax belongs to the final state only if it was computed there */
    json_num(f, "sharpness",
             m->spectrum_step == r->t ? m->sharpness_now : NAN);
    fputs(",\"phase\":", f);
    json_str(f, schedule_phase_name(schedule_phase(&r->sched, r->t)));
    fprintf(f, ",\"events\":%zu", r->sched.nlog + r->sched.dropped);
    fprintf(f, ",\"diverged\":%s", r->diverged ? "true" : "false");
    if (r->diverged)
        fprintf(f, ",\"diverged_at\":%llu",
                (unsigned long long)r->diverged_at);
    else
        fputs(",\"diverged_at\":null", f);
    fputs("}\n", f);
}

int headless_run(app *a, const headless_opts *o)
{
    uint64_t N = o->until;
    a->headless = 1;
    run_reset_band(a->r);
    if (o->csv)
        headless_csv_header(a->r, o->csv);
    size_t rows = 0;
    uint64_t last_row = 0;
    if (a->r->t < N) {
        /* the band window starts here, whether or not a row does */
        if (o->every > 0)
            run_evaluate(a->r);
        else
            run_eval_losses(a->r);
        if (o->every > 0) {
            if (o->csv)
                headless_csv_row(a->r, o->csv);
            rows++;
            last_row = a->r->t;
        }
    }
    while (a->r->t < N && !a->r->diverged && !a->quit) {
        app_fire_due(a);
        run *r = a->r; /* an event may have reset it */
        if (a->quit || r->diverged)
            break;
        /* The run's own cadence (the scene's `every`) feeds the band and
         * the verdict whatever the rows' cadence, so both stop there. */
        uint64_t own = r->sc.every;
        uint64_t chunk = N - r->t;
        if (o->every > 0 && o->every - r->t % o->every < chunk)
            chunk = o->every - r->t % o->every;
        if (own > 0 && own - r->t % own < chunk)
            chunk = own - r->t % own;
        uint64_t ev = app_next_event(a);
        if (ev > r->t && ev - r->t < chunk)
            chunk = ev - r->t;
        run_advance(r, chunk);
        if (!r->diverged)
            app_fire_due(a);
        r = a->r;
        /* A row at each multiple of `every`, at the end and at the
         * frozen step of a diverged run (once: a run frozen where it was
         * just evaluated already has its row). */
        int due = r->diverged || r->t == N ||
                  (o->every && r->t % o->every == 0);
        if (due && !(rows && r->t == last_row)) {
            run_evaluate(r);
            if (o->csv)
                headless_csv_row(r, o->csv);
            rows++;
            last_row = r->t;
        } else if (own > 0 && r->t % own == 0) {
            run_eval_losses(r);
        }
    }
    run *r = a->r;
    if (!rows || last_row != r->t) {
        run_evaluate(r);
        if (o->csv)
            headless_csv_row(r, o->csv);
    }
    if (o->summary)
        headless_summary(r, o->summary);
    int bad = 0;
    if (o->csv && (fflush(o->csv) != 0 || ferror(o->csv)))
        bad = 1;
    if (o->summary && (fflush(o->summary) != 0 || ferror(o->summary)))
        bad = 1;
    return bad ? -1 : 0;
}

/* ---- the `e` export (app.h) ------------------------------------ */

/* The newest sample of h at or before step: the last value of the last
 * bucket that ends by then (a bucket straddling step is skipped: its
 * samples before step are summarized, not kept).  NaN if none.  Series
 * pushed at the same evaluations as the losses have the same buckets, so
 * for them this is the value at exactly that step. */
static double series_at(const history *h, uint64_t step)
{
    double v = NAN;
    for (size_t i = 0; i < h->len; i++) {
        const hist_bucket *b = history_at(h, i);
        if (b->step_last > step)
            break;
        v = b->last;
    }
    return v;
}

/* Dynamics and batch size in force from each step on, rebuilt from the
 * event log: a switch logged at step s holds from s on (it applies before
 * step s is taken, as η does), and a rewind to R drops what the abandoned
 * future after R had logged while keeping the settings themselves (a
 * rewind restores θ, not the dynamics). */
typedef struct dyn_seg {
    uint64_t from;
    int dyn;
    size_t batch;
} dyn_seg;

static size_t dyn_segments(const run *r, dyn_seg *seg, size_t cap)
{
    size_t n = 0;
    seg[n++] = (dyn_seg){0, (int)r->sc.dynamics, r->sc.dyn.batch};
    for (size_t i = 0; i < r->sched.nlog; i++) {
        const sched_event *ev = &r->sched.log[i];
        if (ev->kind != EV_DYNAMICS && ev->kind != EV_BATCH &&
            ev->kind != EV_REWIND)
            continue;
        dyn_seg cur = seg[n - 1];
        while (n > 1 && seg[n - 1].from > ev->step)
            n--;
        if (ev->kind == EV_DYNAMICS)
            cur.dyn = (int)ev->value;
        else if (ev->kind == EV_BATCH)
            cur.batch = (size_t)ev->value;
        cur.from = ev->step;
        if (seg[n - 1].from == cur.from)
            seg[n - 1] = cur;
        else if (n < cap)
            seg[n++] = cur;
    }
    return n;
}

int app_export_csv(const app *a, const char *path, char *err, size_t errlen)
{
    const run *r = a->r;
    /* at most one segment per logged event, plus the start */
    size_t segcap = r->sched.nlog + 1;
    dyn_seg *seg = malloc(segcap * sizeof *seg);
    if (!seg) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    size_t nseg = dyn_segments(r, seg, segcap);
    /* Events past the log's capacity are counted, not kept: after the
     * last kept one, dynamics and batch are unknown. */
    uint64_t known_until = r->sched.dropped && r->sched.nlog
                               ? r->sched.log[r->sched.nlog - 1].step
                               : UINT64_MAX;

    char tmp[SCENE_PATH_MAX + SCENE_NAME_MAX + 128];
    snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd >= 0) {
        /* mkstemp makes it 0600; an export is an ordinary file */
        mode_t um = umask(0);
        umask(um);
        fchmod(fd, 0666 & ~um);
    }
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        free(seg);
        return -1;
    }
    /* One row per loss-history bucket, at the bucket's last step: min and
     * max keep the spikes that decimation would otherwise hide.  What the
     * history does not keep (the band, the bounce share, θ, a second
     * extra metric) is an empty field, never a guess. */
    const char *xn[CSV_MAX_EXTRA];
    size_t nx = csv_extra_names(r, xn);
    const char *hx = run_extra_name(r); /* what h_extra holds */
    csv_print_header(r, f);
    size_t k = 0;
    for (size_t i = 0; i < r->h_train.len; i++) {
        const hist_bucket *b = history_at(&r->h_train, i);
        uint64_t s = b->step_last;
        while (k + 1 < nseg && seg[k + 1].from <= s)
            k++;
        int known = s <= known_until;
        csv_row w = {
            .step = s, .eta = series_at(&r->h_eta, s),
            .dyn = known ? seg[k].dyn : -1,
            .batch = known && seg[k].dyn == DYN_SGD ? (double)seg[k].batch
                                                    : NAN,
            .train = b->last,
            .test = series_at(&r->h_test, s), .train_min = b->min,
            .train_max = b->max, .band_lo = NAN, .band_hi = NAN,
            .bounce = NAN, .rank = series_at(&r->h_rank, s),
            .sharpness = series_at(&r->h_sharp, s), .verdict = -1};
        double v = series_at(&r->h_verdict, s);
        if (isfinite(v))
            w.verdict = (int)v;
        for (size_t j = 0; j < nx; j++)
            w.extra[j] = hx && strcmp(hx, xn[j]) == 0
                             ? series_at(&r->h_extra, s)
                             : NAN;
        csv_print_row(r, &w, f);
    }
    free(seg);
    int bad = fflush(f) != 0 || ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
