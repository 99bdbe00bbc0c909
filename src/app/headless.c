/* headless.c — a session without a terminal: CSV and JSON output of its
 * runs; see headless.h. */
#include "headless.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exitsig.h"
#include "outfile.h"
#include "sanitize.h"
#include "runs.h"

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
 * header of csv_print_header, so the two can never drift apart.  Long
 * format: the first column names the run, so the rows of a comparison's
 * runs share one header (a single scene's one run is "main"). */

/* The extra columns in the order they close the header. */
static const struct {
    unsigned bit;
    const char *name;
} csv_extra_cols[] = {
    {HEADLESS_X_THETA, "theta"},
    {HEADLESS_X_L0, "l0"},
    {HEADLESS_X_FEATURE_SPARSITY, "feature_sparsity"},
    {HEADLESS_X_KINKS, "kinks"},
    {HEADLESS_X_FEATURE_SPARSITY2, "feature_sparsity2"},
    {HEADLESS_X_TEACHER_ANGLE, "teacher_angle"},
};
#define CSV_NX (sizeof csv_extra_cols / sizeof csv_extra_cols[0])

typedef struct csv_row {
    const char *run;
    uint64_t step;
    double eta;
    int dyn;                  /* dyn_kind; −1 unknown */
    double batch;             /* NaN unknown */
    double train, test;       /* the value at `step` */
    double train_min, train_max;
    double band_lo, band_hi, bounce;
    double rank, sharpness;
    int verdict;              /* verdict_kind; −1 unknown */
    double extra[CSV_NX];     /* by csv_extra_cols; NaN where unknown */
} csv_row;

unsigned headless_csv_extras(const run *r)
{
    if (is_model(r, "quad1d"))
        return HEADLESS_X_THETA;
    if (is_model(r, "diagnet"))
        return HEADLESS_X_L0;
    if (is_model(r, "relu1d"))
        return HEADLESS_X_FEATURE_SPARSITY | HEADLESS_X_KINKS;
    if (is_model(r, "ts2"))
        return HEADLESS_X_FEATURE_SPARSITY | HEADLESS_X_TEACHER_ANGLE;
    if (is_model(r, "ts3"))
        return HEADLESS_X_FEATURE_SPARSITY | HEADLESS_X_FEATURE_SPARSITY2 |
               HEADLESS_X_TEACHER_ANGLE;
    return 0;
}

static void csv_print_header(unsigned extras, FILE *f)
{
    fputs("run,step,eta,dynamics,batch,train_loss,test_loss,train_min,"
          "train_max,band_lo,band_hi,bounce,rank,sharpness,verdict", f);
    for (size_t i = 0; i < CSV_NX; i++)
        if (extras & csv_extra_cols[i].bit)
            fprintf(f, ",%s", csv_extra_cols[i].name);
    fputc('\n', f);
}

static void csv_cnum(FILE *f, double v)
{
    fputc(',', f);
    csv_num(f, v);
}

static void csv_print_row(unsigned extras, const csv_row *w, FILE *f)
{
    fprintf(f, "%s,%llu", w->run, (unsigned long long)w->step);
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
    for (size_t i = 0; i < CSV_NX; i++)
        if (extras & csv_extra_cols[i].bit)
            csv_cnum(f, w->extra[i]);
    fputc('\n', f);
}

void headless_csv_header(unsigned extras, FILE *f)
{
    csv_print_header(extras, f);
}

void headless_csv_row(const char *name, unsigned extras, const run *r,
                      FILE *f)
{
    const run_metrics *m = &r->last;
    unsigned own = headless_csv_extras(r);
    /* One evaluation: its minimum and maximum are the value itself. */
    csv_row w = {
        .run = name, .step = m->step, .eta = m->eta, .dyn = (int)r->dyn.kind,
        .batch = r->dyn.kind == DYN_SGD ? (double)r->dyn.batch : NAN,
        .train = m->train_loss,
        .test = m->test_loss, .train_min = m->train_loss,
        .train_max = m->train_loss, .band_lo = m->band_lo,
        .band_hi = m->band_hi, .bounce = m->bounce_alt,
        .rank = (double)m->rank, .sharpness = m->sharpness_now,
        .verdict = (int)m->verdict};
    const double val[CSV_NX] = {m->theta, m->ex.l0, m->ex.feature_sparsity,
                                m->ex.kinks, m->ex.feature_sparsity2,
                                m->ex.teacher_angle};
    for (size_t i = 0; i < CSV_NX; i++)
        w.extra[i] = own & csv_extra_cols[i].bit ? val[i] : NAN;
    csv_print_row(extras, &w, f);
}

void headless_summary(const char *name, const run *r, FILE *f)
{
    const run_metrics *m = &r->last;
    /* the scene's file name, as every user text is shown: sanitized, so
     * the summary is valid UTF-8 and safe on a terminal */
    char shown[SCENE_NAME_MAX * 2];
    sanitize_text(shown, sizeof shown, r->sc.name);
    fputs("{\"run\":", f);
    json_str(f, name);
    fputs(",\"scene\":", f);
    json_str(f, shown);
    fputs(",\"model\":", f);
    json_str(f, r->m.ops->name);
    fprintf(f, ",\"seed\":%llu,\"data_seed\":%llu,\"rng\":\"%s\","
            "\"steps\":%llu", (unsigned long long)r->sc.seed,
            (unsigned long long)r->sc.data_seed, rng_kind_name(r->sc.rng),
            (unsigned long long)r->t);
    fputs(",\"dynamics\":", f);
    json_str(f, dyn_name(r->dyn.kind));
    /* a batch size means something for SGD only (GD uses every point) */
    if (r->dyn.kind == DYN_SGD)
        fprintf(f, ",\"batch\":%zu", r->dyn.batch);
    else
        fputs(",\"batch\":null", f);
    /* Points from files: named (sanitized, as all user text), and with
     * them diagnet's β* is unknown, which the summary says rather than
     * leaving a reader to assume a planted one. */
    const char *files[2][2] = {{"data", r->sc.data},
                               {"test_data", r->sc.test_data}};
    for (size_t i = 0; i < 2; i++)
        if (files[i][1][0]) {
            char path[SCENE_PATH_MAX * 2];
            sanitize_text(path, sizeof path, files[i][1]);
            fprintf(f, ",\"%s\":", files[i][0]);
            json_str(f, path);
        }
    if (is_model(r, "diagnet") && r->m.prm.data)
        fputs(",\"beta_star\":\"unknown\"", f);
    json_num(f, "eta", m->eta);
    json_num(f, "train_loss", m->train_loss);
    json_num(f, "test_loss", m->test_loss);
    fprintf(f, ",\"rank\":%zu", m->rank);
    /* the readable thresholds the scene used, and the same counts at the
     * notebooks' (metrics.h), so either can be set against the paper */
    json_num(f, "rank_tol", r->sc.rank_tol);
    fprintf(f, ",\"rank_nb\":%zu", m->rank_nb);
    /* the rank's probe inputs: fewer than p above MODEL_PROBE_MAX */
    fprintf(f, ",\"probes\":%zu", r->m.n_probe);
    if (is_model(r, "quad1d"))
        json_num(f, "theta", m->theta);
    if (is_model(r, "diagnet")) {
        json_num(f, "l0", m->ex.l0);
        json_num(f, "l0_tol", r->sc.l0_tol);
        json_num(f, "l0_nb", m->ex.l0_nb);
    }
    if (is_model(r, "relu1d")) {
        json_num(f, "feature_sparsity", m->ex.feature_sparsity);
        json_num(f, "corr", r->sc.corr);
        json_num(f, "kinks", m->ex.kinks);
    }
    if (is_model(r, "ts2") || is_model(r, "ts3")) {
        json_num(f, "feature_sparsity", m->ex.feature_sparsity);
        if (is_model(r, "ts3"))
            json_num(f, "feature_sparsity2", m->ex.feature_sparsity2);
        json_num(f, "corr", r->sc.corr);
        /* degrees, mean over the active neurons (teacher.h) */
        json_num(f, "teacher_angle", m->ex.teacher_angle);
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

/* Remembers the first stream that failed and that write's errno. */
static void note_error(const headless_opts *o, FILE *f)
{
    if (o->failed && !o->failed->stream) {
        o->failed->stream = f;
        o->failed->err = errno ? errno : EIO;
    }
}

/* 1 once a write to the CSV or the summary has failed (ferror). */
static int headless_failed(const headless_opts *o)
{
    int bad = 0;
    if (o->csv && ferror(o->csv)) {
        note_error(o, o->csv);
        bad = 1;
    }
    if (o->summary && ferror(o->summary)) {
        note_error(o, o->summary);
        bad = 1;
    }
    return bad;
}

/* ---- the runner ------------------------------------------------------ */

/* What the runner keeps per run: its rows so far and the step of the
 * last one. */
typedef struct hl_rows {
    size_t rows;
    uint64_t last;
} hl_rows;

/* The evaluation the app makes when it opens (or resets) a run, and the
 * headless statistics starting afresh after it: a headless run measures
 * exactly what the app would. */
static void opening(session *s)
{
    for (size_t i = 0; i < s->n; i++) {
        run *r = s->run[i].r;
        run_eval_losses(r);
        run_eval_spectrum(r);
    }
}

/* Fires every event due now.  Runs' own events (their blocks' keys
 * included) apply in the session; the session's keys go through the
 * app's runs_act, as in the app — one run's keys on the focused run or,
 * after `*` (*all), on every live run; Tab and Shift-Tab move the focus,
 * f forks, u rewinds — and here a reset (r, R) rebuilds the runs where
 * the timeline stands and q stops; the others (pause, speed, help, the
 * table) mean nothing without a screen, nor do captions, pauses and end
 * (the runner goes to `until`). */
static void fire_due(session *s, int *all, int *quit)
{
    session_due d;
    char msg[APP_MSG_MAX];
    while (!*quit && session_peek(s, &d)) {
        int key = d.ev->kind == TL_KEY ? (int)d.ev->value : 0;
        /* the session's keys are ours, not the session's (the prefix) */
        session_key_fn fn = s->run_key;
        if (d.src < 0)
            s->run_key = NULL;
        int rc = session_fire(s, &d, msg, sizeof msg);
        s->run_key = fn;
        /* without a screen, a held step size still has to be said */
        if (strstr(msg, "η held"))
            fprintf(stderr, "sgdscope: step %llu: %s\n",
                    (unsigned long long)s->t, msg);
        if (rc != SESSION_YOURS || !key)
            continue;
        int act = app_key_action(key);
        if (act < 0)
            continue;
        if (runs_act(s, all, (app_action)act, msg, sizeof msg)) {
            if (strstr(msg, "η held"))
                fprintf(stderr, "sgdscope: step %llu: %s\n",
                        (unsigned long long)s->t, msg);
            continue;
        }
        switch (act) {
        case ACT_QUIT:
            *quit = 1;
            break;
        case ACT_RESET:
        case ACT_RESEED:
            if (session_restart(s, act == ACT_RESEED, 1, msg, sizeof msg) ==
                0)
                opening(s);
            break;
        default:
            break;
        }
    }
}

/* The session's CSV columns: the union of its models'. */
static unsigned session_extras(const session *s)
{
    unsigned x = 0;
    for (size_t i = 0; i < s->n; i++)
        x |= headless_csv_extras(s->run[i].r);
    return x;
}

/* Evaluates run i for a row and writes it (unless its state is beyond
 * the bound). */
static void row(session *s, size_t i, unsigned ex, hl_rows *st, FILE *csv)
{
    run *r = s->run[i].r;
    if (run_evaluate(r) != 0)
        return;
    if (csv)
        headless_csv_row(s->run[i].name, ex, r, csv);
    st[i].rows++;
    st[i].last = r->t;
}

int headless_run(session *s, const headless_opts *o)
{
    uint64_t N = o->until;
    int quit = 0, all = 0;
    hl_rows st[SESSION_MAX_RUNS];
    memset(st, 0, sizeof st);
    opening(s);
    for (size_t i = 0; i < s->n; i++)
        run_reset_band(s->run[i].r);
    unsigned ex = session_extras(s);
    if (o->csv)
        headless_csv_header(ex, o->csv);
    if (headless_failed(o))
        return -1;
    if (s->t < N) {
        /* the band window starts here, whether or not a row does */
        for (size_t i = 0; i < s->n; i++) {
            if (o->every > 0)
                row(s, i, ex, st, o->csv);
            else
                run_eval_losses(s->run[i].r);
        }
    }
    while (s->t < N && session_live(s) > 0 && !quit) {
        /* A terminating signal stops the run here (the caller discards
         * the outputs and dies of it); a failed write stops it at once
         * rather than computing rows nobody can read. */
        if (exitsig_pending())
            return 1;
        if (headless_failed(o))
            return -1;
        fire_due(s, &all, &quit);
        if (quit || session_live(s) == 0)
            break;
        /* Each run's own cadence (the scene's `every`) feeds its band
         * and verdict whatever the rows' cadence, so all stop there. */
        uint64_t t = s->t, chunk = N - t;
        if (o->every > 0 && o->every - t % o->every < chunk)
            chunk = o->every - t % o->every;
        for (size_t i = 0; i < s->n; i++) {
            uint64_t own = s->run[i].r->sc.every;
            if (!s->run[i].r->diverged && own > 0 &&
                own - t % own < chunk)
                chunk = own - t % own;
        }
        uint64_t ev = session_next_event(s);
        if (ev > t && ev - t < chunk)
            chunk = ev - t;
        session_advance(s, chunk);
        /* where the runs stop, their state is checked like a
         * checkpoint's (the run length's end is checked by the stepping
         * itself) */
        if (s->t == N)
            for (size_t i = 0; i < s->n; i++)
                run_check(s->run[i].r);
        if (session_live(s) > 0)
            fire_due(s, &all, &quit);
        /* A row at each multiple of `every`, at the end and at the
         * frozen step of a diverged run (once: a run frozen where it was
         * just evaluated already has its row). */
        for (size_t i = 0; i < s->n; i++) {
            run *r = s->run[i].r;
            if (r->diverged && st[i].rows && r->t == st[i].last)
                continue;
            uint64_t own = r->sc.every;
            int due = r->diverged || r->t == N ||
                      (o->every && r->t % o->every == 0);
            if (due && !(st[i].rows && r->t == st[i].last))
                row(s, i, ex, st, o->csv);
            else if (own > 0 && r->t % own == 0)
                run_eval_losses(r);
        }
    }
    if (exitsig_pending())
        return 1;
    for (size_t i = 0; i < s->n; i++) {
        run *r = s->run[i].r;
        /* a run stopped by an event or a quit may stand beyond the bound */
        run_check(r);
        /* A frozen run is measured again after its freeze even if a row
         * was written at that step before it: the freeze rebuilds the
         * trail the overshoot share reads, and the summary must not
         * depend on whether --every happened to evaluate that step
         * first. */
        int fresh = !st[i].rows || st[i].last != r->t;
        if ((fresh || r->diverged) && run_evaluate(r) == 0 && fresh &&
            o->csv)
            headless_csv_row(s->run[i].name, ex, r, o->csv);
    }
    if (o->summary)
        for (size_t i = 0; i < s->n; i++)
            headless_summary(s->run[i].name, s->run[i].r, o->summary);
    if (o->csv && fflush(o->csv) != 0)
        note_error(o, o->csv);
    if (o->summary && fflush(o->summary) != 0)
        note_error(o, o->summary);
    return headless_failed(o) ? -1 : 0;
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

/* The rows of one run's history: one per loss-history bucket, at the
 * bucket's last step (min and max keep the spikes that decimation would
 * otherwise hide).  What the history does not keep (the band, the bounce
 * share, θ, a second extra metric) is an empty field, never a guess.
 * Returns 0 or −1 (out of memory). */
static int export_run(const char *name, const run *r, unsigned ex, FILE *f)
{
    /* at most one segment per logged event, plus the start */
    size_t segcap = r->sched.nlog + 1;
    dyn_seg *seg = malloc(segcap * sizeof *seg);
    if (!seg)
        return -1;
    size_t nseg = dyn_segments(r, seg, segcap);
    /* Events past the log's capacity are counted, not kept: after the
     * last kept one, dynamics and batch are unknown. */
    uint64_t known_until = r->sched.dropped && r->sched.nlog
                               ? r->sched.log[r->sched.nlog - 1].step
                               : UINT64_MAX;
    const char *hx = run_extra_name(r); /* what h_extra holds */
    size_t k = 0;
    for (size_t i = 0; i < r->h_train.len; i++) {
        const hist_bucket *b = history_at(&r->h_train, i);
        uint64_t s = b->step_last;
        while (k + 1 < nseg && seg[k + 1].from <= s)
            k++;
        int known = s <= known_until;
        csv_row w = {
            .run = name, .step = s, .eta = series_at(&r->h_eta, s),
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
        for (size_t j = 0; j < CSV_NX; j++)
            w.extra[j] = hx && strcmp(hx, csv_extra_cols[j].name) == 0
                             ? series_at(&r->h_extra, s)
                             : NAN;
        csv_print_row(ex, &w, f);
    }
    free(seg);
    return 0;
}

int app_export_csv(const app *a, const char *path, char *err, size_t errlen)
{
    const session *s = a->ses;
    /* The rules of every output (outfile.h): a regular file only, never
     * half written, its permissions kept, a symlink followed. */
    outfile out;
    if (outfile_open(&out, path, 0, err, errlen) != 0)
        return -1;
    unsigned ex = session_extras(s);
    csv_print_header(ex, out.f);
    for (size_t i = 0; i < s->n; i++)
        if (export_run(session_name(s, i), session_run(s, i), ex, out.f)) {
            outfile_discard(&out);
            snprintf(err, errlen, "out of memory");
            return -1;
        }
    return outfile_commit(&out, err, errlen);
}
