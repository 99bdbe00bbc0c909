/* headless.c — CSV and JSON output of a run; see headless.h. */
#include "headless.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <string.h>

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

void headless_csv_header(const run *r, FILE *f)
{
    fputs("step,eta,train_loss,test_loss,rank,band_lo,band_hi,bounce", f);
    if (is_model(r, "quad1d"))
        fputs(",theta", f);
    if (is_model(r, "diagnet"))
        fputs(",l0", f);
    if (is_model(r, "relu1d"))
        fputs(",feature_sparsity,kinks", f);
    fputc('\n', f);
}

void headless_csv_row(const run *r, FILE *f)
{
    const run_metrics *m = &r->last;
    fprintf(f, "%llu,", (unsigned long long)m->step);
    csv_num(f, m->eta);
    fputc(',', f);
    csv_num(f, m->train_loss);
    fputc(',', f);
    csv_num(f, m->test_loss);
    fprintf(f, ",%zu,", m->rank);
    csv_num(f, m->band_lo);
    fputc(',', f);
    csv_num(f, m->band_hi);
    fputc(',', f);
    csv_num(f, m->bounce_alt);
    if (is_model(r, "quad1d")) {
        fputc(',', f);
        csv_num(f, m->theta);
    }
    if (is_model(r, "diagnet")) {
        fputc(',', f);
        csv_num(f, m->ex.l0);
    }
    if (is_model(r, "relu1d")) {
        fputc(',', f);
        csv_num(f, m->ex.feature_sparsity);
        fputc(',', f);
        csv_num(f, m->ex.kinks);
    }
    fputc('\n', f);
}

void headless_summary(const run *r, FILE *f)
{
    const run_metrics *m = &r->last;
    fputs("{\"scene\":", f);
    json_str(f, r->sc.name);
    fputs(",\"model\":", f);
    json_str(f, r->m.ops->name);
    fprintf(f, ",\"seed\":%llu,\"steps\":%llu",
            (unsigned long long)r->sc.seed, (unsigned long long)r->t);
    fputs(",\"dynamics\":", f);
    json_str(f, dyn_name(r->dyn.kind));
    fprintf(f, ",\"batch\":%zu", r->dyn.batch);
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
    uint64_t N = a->base.steps;
    a->headless = 1;
    run_reset_band(a->r);
    if (o->csv)
        headless_csv_header(a->r, o->csv);
    size_t rows = 0;
    uint64_t last_row = 0;
    if (o->every > 0 && a->r->t < N) {
        run_evaluate(a->r);
        if (o->csv)
            headless_csv_row(a->r, o->csv);
        rows++;
        last_row = a->r->t;
    }
    while (a->r->t < N && !a->r->diverged && !a->quit) {
        app_fire_due(a);
        run *r = a->r; /* an event may have reset it */
        if (a->quit || r->diverged)
            break;
        uint64_t chunk = N - r->t;
        if (o->every > 0 && o->every - r->t % o->every < chunk)
            chunk = o->every - r->t % o->every;
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

/* The bucket of h whose step range holds step, or the last one before. */
static const hist_bucket *bucket_at(const history *h, uint64_t step)
{
    const hist_bucket *best = NULL;
    for (size_t i = 0; i < h->len; i++) {
        const hist_bucket *b = history_at(h, i);
        if (b->step_first > step)
            break;
        best = b;
    }
    return best;
}

static void csv_cnum(FILE *f, double v)
{
    fputc(',', f);
    csv_num(f, v);
}

int app_export_csv(const app *a, const char *path, char *err, size_t errlen)
{
    const run *r = a->r;
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
        return -1;
    }
    /* One row per loss-history bucket (min and max keep the spikes that
     * decimation would otherwise hide); rank and the model's extra metric
     * come from the spectrum evaluation nearest before it. */
    const char *xn = run_extra_name(r);
    fprintf(f, "step_first,step_last,train_min,train_max,train,test,eta,"
               "rank%s%s\n", xn ? "," : "", xn ? xn : "");
    for (size_t i = 0; i < r->h_train.len; i++) {
        const hist_bucket *b = history_at(&r->h_train, i);
        const hist_bucket *bt = history_at(&r->h_test, i);
        const hist_bucket *be = history_at(&r->h_eta, i);
        const hist_bucket *br = bucket_at(&r->h_rank, b->step_last);
        const hist_bucket *bx = bucket_at(&r->h_extra, b->step_last);
        fprintf(f, "%llu,%llu", (unsigned long long)b->step_first,
                (unsigned long long)b->step_last);
        csv_cnum(f, b->min);
        csv_cnum(f, b->max);
        csv_cnum(f, b->last);
        csv_cnum(f, bt ? bt->last : NAN);
        csv_cnum(f, be ? be->last : NAN);
        csv_cnum(f, br ? br->last : NAN);
        if (xn)
            csv_cnum(f, bx ? bx->last : NAN);
        fputc('\n', f);
    }
    int bad = fflush(f) != 0 || ferror(f);
    bad |= fclose(f) != 0;
    if (bad || rename(tmp, path) != 0) {
        snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    return 0;
}
