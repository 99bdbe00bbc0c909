/* bench.c — the performance figures the issues ask for, printed, never
 * asserted (`make bench`).  Wall-clock on one core (OpenBLAS pinned to one
 * thread), best of a few repetitions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "app.h"
#include "canvas.h"
#include "hessian.h"
#include "kernels.h"
#include "comparison.h"
#include "headless.h"
#include "run.h"
#include "scene.h"
#include "session.h"
#include "view.h"

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static run *make(const char *const *kv)
{
    scene s;
    scene_err e;
    char err[256];
    scene_init(&s);
    for (; *kv; kv++)
        if (scene_set(&s, *kv, &e) != 0) {
            fprintf(stderr, "bench: %s: %s\n", *kv, e.msg);
            exit(1);
        }
    if (scene_finalize(&s, &e) != 0) {
        fprintf(stderr, "bench: %s\n", e.msg);
        exit(1);
    }
    run *r = run_create(&s, err, sizeof err);
    if (!r) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    return r;
}

/* Steps per second of bare stepping (metrics off), best of 3. */
static double steps_per_sec(const char *const *kv, uint64_t n)
{
    double best = 0.0;
    for (int rep = 0; rep < 3; rep++) {
        run *r = make(kv);
        double t0 = now();
        uint64_t took = run_advance(r, n);
        double dt = now() - t0;
        if (r->diverged) {
            /* a frozen run takes no steps: the figure would be wrong */
            fprintf(stderr, "bench: run diverged at %llu: figure invalid\n",
                    (unsigned long long)r->diverged_at);
            exit(1);
        }
        if ((double)took / dt > best)
            best = (double)took / dt;
        run_destroy(r);
    }
    return best;
}

/* A model's steps/s under the portable kernels and under the start-up
 * choice (kernels.h: the CPU's best level or SGDSCOPE_KERNEL's), on one
 * line; the target is the dispatched figure's (issue 12).  The same bits
 * either way (tests/test_kernels.c), so only the speed differs. */
static void kernel_pair(const char *label, const char *const *kv, uint64_t n,
                        double target)
{
    char active[32];
    snprintf(active, sizeof active, "%s", kernels_name());
    kernels_select("portable");
    double port = steps_per_sec(kv, n);
    kernels_select(active);
    double disp = steps_per_sec(kv, n);
    printf("  %-44s %8.2f M steps/s  (%s, target >= %g; portable %.2f, "
           "x%.2f)\n", label, disp / 1e6, active, target, port / 1e6,
           disp / port);
}

/* The Fig. 2 protocol: 10^5 steps, 350 evaluations of both losses and the
 * rank.  Returns seconds, best of 3. */
static double fig2_protocol(void)
{
    const char *const kv[] = {"model=diagnet", "n=80", "d=200", "r=20",
                              "eta=0.24", "decays=50%:1.5", "steps=100000",
                              "seed=3", NULL};
    double best = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        run *r = make(kv);
        double t0 = now();
        uint64_t N = 100000, E = 350;
        for (uint64_t k = 1; k <= E; k++) {
            run_advance(r, k * N / E - r->t);
            run_evaluate(r);
        }
        double dt = now() - t0;
        if (r->diverged || r->t != N) {
            fprintf(stderr, "bench: Fig. 2 run diverged: figure invalid\n");
            exit(1);
        }
        if (dt < best)
            best = dt;
        run_destroy(r);
    }
    return best;
}

/* Milliseconds per evaluation, after `steps` steps (evaluating every 100
 * on the way, so warm starts are what the app sees): the sharpness alone
 * (hessian_top warm-started from top_dir, as run_eval_spectrum calls it),
 * the whole run_eval_spectrum (NTK SVD, extras, sharpness, crossing
 * share) and run_eval_losses (losses, band, floor, verdict).  Best of 3
 * rounds of `reps`; *steps_out gets the Lanczos steps of the last call. */
static void eval_ms(const char *const *kv, uint64_t steps, int reps,
                    double *sharp, double *spec, double *loss, int *lanczos)
{
    run *r = make(kv);
    while (r->t < steps && !r->diverged) {
        run_advance(r, 100);
        run_evaluate(r);
    }
    if (r->diverged) {
        fprintf(stderr, "bench: evaluation run diverged: figure invalid\n");
        exit(1);
    }
    *sharp = *spec = *loss = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        for (int i = 0; i < reps; i++)
            hessian_top(&r->hess, &r->m, r->theta, r->top_dir);
        double t1 = now();
        for (int i = 0; i < reps; i++)
            run_eval_spectrum(r);
        double t2 = now();
        for (int i = 0; i < reps; i++)
            run_eval_losses(r);
        double t3 = now();
        if ((t1 - t0) * 1e3 / reps < *sharp)
            *sharp = (t1 - t0) * 1e3 / reps;
        if ((t2 - t1) * 1e3 / reps < *spec)
            *spec = (t2 - t1) * 1e3 / reps;
        if ((t3 - t2) * 1e3 / reps < *loss)
            *loss = (t3 - t2) * 1e3 / reps;
    }
    *lanczos = r->hess.steps;
    run_destroy(r);
}

/* Peak resident memory (MB) of `sgdscope --headless SCENE ARGS`. */
static double peak_mb(const char *scn, const char *steps)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", 1);
        dup2(fd, 1);
        if (steps)
            /* metrics (not only rows) every 1000 steps: --every sets the
             * rows, the scene's `every` the metric cadence */
            execl("./sgdscope", "sgdscope", "--headless", scn, "--steps",
                  steps, "--set", "every=1000", "--every", "1000", "--csv",
                  "-", "--summary", (char *)NULL);
        else
            execl("./sgdscope", "sgdscope", "--headless", scn, "--summary",
                  (char *)NULL);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
        return -1.0;
    return (double)ru.ru_maxrss / 1024.0;
}

static void open_app(app *a, const char *path, uint64_t seed)
{
    scene s;
    scene_err e;
    char err[256];
    scene_init(&s);
    if (scene_load_file(&s, path, &e) != 0 || scene_finalize(&s, &e) != 0) {
        fprintf(stderr, "bench: %s: %s\n", path, e.msg);
        exit(1);
    }
    s.seed = seed;
    if (app_open(a, &s, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
}

/* Milliseconds to draw one full 200×60 frame (canvas and all panels; the
 * spectrum is computed elsewhere, here only drawn), mean over 300. */
static double frame_ms(const char *path, uint64_t steps)
{
    app a;
    canvas c;
    open_app(&a, path, 3);
    app_run_to(&a, steps);
    canvas_init(&c, 200, 60, GLYPH_BRAILLE);
    view_draw(&c, &a);
    int reps = 300;
    double t0 = now();
    for (int i = 0; i < reps; i++)
        view_draw(&c, &a);
    double ms = (now() - t0) * 1e3 / reps;
    canvas_free(&c);
    app_close(&a);
    return ms;
}

/* Milliseconds to draw one full 200×60 frame of a comparison: every run
 * of the comparison at path overlaid (fig2-compare: 4 diagnet runs),
 * run to step `steps` as the headless runner does, the app showing the
 * session (as issue 9's app will: a->ses, a->r the focused run); mean
 * over 300. */
static double frame_multi_ms(const char *path, uint64_t steps)
{
    static comparison cmp;
    scene_err e;
    char err[256];
    if (comparison_load_file(&cmp, path, &e) != 0 ||
        comparison_finalize(&cmp, &e) != 0) {
        fprintf(stderr, "bench: %s: %s\n", path, e.msg);
        exit(1);
    }
    session *s = session_create(&cmp, NULL, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    headless_opts o = {NULL, NULL, 0, steps, NULL};
    headless_run(s, &o);
    scene sc;
    comparison_run_scene(&cmp, 0, &sc);
    app a;
    if (app_open(&a, &sc, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    run *own = a.r;
    session *own_ses = a.ses;
    a.ses = s;
    a.r = session_focused(s);
    canvas c;
    canvas_init(&c, 200, 60, GLYPH_BRAILLE);
    view_draw(&c, &a);
    int reps = 300;
    double t0 = now();
    for (int i = 0; i < reps; i++)
        view_draw(&c, &a);
    double ms = (now() - t0) * 1e3 / reps;
    canvas_free(&c);
    a.r = own;
    a.ses = own_ses;
    app_close(&a);
    session_destroy(s);
    return ms;
}

/* The loss surface of the comparison at path (issue 11): the plane's
 * cost when the session is built (for fig3 the gradient-flow reference
 * run, then the grid), best of 3; ms each into *ref, *grid. */
static double surface_ms(const char *path, double *ref, double *grid)
{
    static comparison cmp;
    scene_err e;
    char err[256];
    if (comparison_load_file(&cmp, path, &e) != 0 ||
        comparison_finalize(&cmp, &e) != 0) {
        fprintf(stderr, "bench: %s: %s\n", path, e.msg);
        exit(1);
    }
    double best = 1e30;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now();
        session *s = session_create(&cmp, NULL, err, sizeof err);
        double dt = (now() - t0) * 1e3;
        if (!s || !s->surf) {
            fprintf(stderr, "bench: %s\n", s ? "no surface" : err);
            exit(1);
        }
        if (dt < best) {
            best = dt;
            *ref = s->surf->gf_ms;
            *grid = s->surf->grid_ms;
        }
        session_destroy(s);
    }
    return best;
}

/* The interactive loop without a terminal: every frame steps spf steps
 * (losses at the scene's cadence, the spectrum at most every 100 ms) and
 * draws a 200×60 frame; paced at 30 fps.  Returns steps per second over
 * 3 s with the largest power-of-two spf that still keeps 30 fps. */
static double steps_while_drawing(double *fps_out, uint64_t *spf_out)
{
    double best = 0.0;
    for (uint64_t spf = 1024; spf <= (1u << 20); spf *= 2) {
        app a;
        canvas c;
        open_app(&a, "scenes/fig2-diag-decay10.scene", 3);
        a.r->sc.steps = UINT64_MAX; /* keep going past the scene's end */
        a.past_end = 1;             /* (the app would stop there once) */
        a.spf = spf;
        canvas_init(&c, 200, 60, GLYPH_BRAILLE);
        double t0 = now(), last_spec = 0.0, frame = 1.0 / 30.0;
        uint64_t steps = 0, frames = 0;
        while (now() - t0 < 2.0 && !a.r->diverged) {
            double f0 = now();
            int spec = f0 - last_spec >= 0.1;
            if (spec)
                last_spec = f0;
            steps += app_tick(&a, spec);
            view_draw(&c, &a);
            frames++;
            double left = frame - (now() - f0);
            if (left > 0) {
                struct timespec ts = {0, (long)(left * 1e9)};
                nanosleep(&ts, NULL);
            }
        }
        double dt = now() - t0, fps = (double)frames / dt;
        canvas_free(&c);
        int diverged = a.r->diverged;
        app_close(&a);
        if (diverged || fps < 29.0)
            break;
        best = (double)steps / dt;
        *fps_out = fps;
        *spf_out = spf;
    }
    return best;
}

/* Peak resident memory (MB) of `sgdscope --headless --set ... --summary`
 * with the NULL-terminated settings kv. */
static double peak_mb_set(const char *const *kv)
{
    const char *argv[32];
    size_t n = 0;
    argv[n++] = "sgdscope";
    argv[n++] = "--headless";
    for (; *kv && n + 4 < sizeof argv / sizeof argv[0]; kv++) {
        argv[n++] = "--set";
        argv[n++] = *kv;
    }
    argv[n++] = "--summary";
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", 1);
        dup2(fd, 1);
        execv("./sgdscope", (char *const *)argv);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
        return -1.0;
    return (double)ru.ru_maxrss / 1024.0;
}

/* The largest sizes the scene man page documents: seconds to open the
 * app on the scene (run_create, the first losses with their curvature and
 * the first spectrum, as the app opens it) split into creation and first
 * evaluation; then milliseconds per spectrum evaluation (SVD on the
 * capped probes, extras, sharpness) and per 200×60 frame after a few
 * hundred steps; the peak memory mb measured before, and the run's own
 * count of its memory. */
static void largest(const char *name, const char *const *kv, double mb)
{
    scene s;
    scene_err e;
    char err[256];
    scene_init(&s);
    for (const char *const *k = kv; *k; k++)
        if (scene_set(&s, *k, &e) != 0) {
            fprintf(stderr, "bench: %s: %s\n", *k, e.msg);
            exit(1);
        }
    if (scene_finalize(&s, &e) != 0) {
        fprintf(stderr, "bench: %s\n", e.msg);
        exit(1);
    }
    double t0 = now();
    run *r = run_create(&s, err, sizeof err);
    if (!r) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    double t1 = now();
    run_eval_losses(r);
    run_eval_spectrum(r);
    double t2 = now();
    printf("  %-44s %8.3f s  create %.3f + first evaluation %.3f\n", name,
           t2 - t0, t1 - t0, t2 - t1);
    size_t bytes = r->bytes, np = r->m.n_probe, p = r->m.p;
    run_destroy(r);

    app a;
    canvas c;
    if (app_open(&a, &s, NULL, err, sizeof err) != 0) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    a.r->sc.steps = UINT64_MAX; /* no end of the run on the way */
    a.past_end = 1;
    app_run_to(&a, 300);
    canvas_init(&c, 200, 60, GLYPH_BRAILLE);
    double best_s = 1e9, best_f = 1e9;
    for (int rep = 0; rep < 3; rep++) {
        run_advance(a.r, 7);
        double f0 = now();
        run_eval_spectrum(a.r);
        double f1 = now();
        run_eval_losses(a.r);
        view_draw(&c, &a);
        double f2 = now();
        if (f1 - f0 < best_s)
            best_s = f1 - f0;
        if (f2 - f1 < best_f)
            best_f = f2 - f1;
    }
    canvas_free(&c);
    app_close(&a);
    char label[64];
    snprintf(label, sizeof label, "  spectrum on %zu of %zu probes", np, p);
    printf("  %-44s %8.1f ms\n", label, best_s * 1e3);
    printf("  %-44s %8.1f ms\n", "  losses + a 200x60 frame", best_f * 1e3);
    printf("  %-44s %8.1f MB  (the run's own count %.1f MB)\n",
           "  peak memory, --headless --summary", mb,
           (double)bytes / 1048576.0);
}

/* CPU share of the real binary while paused, over 10 s, in tmux. */
static double paused_cpu(void)
{
    if (system("command -v tmux >/dev/null 2>&1") != 0)
        return -1.0;
    const char *sock = "sgdscope-bench";
    char cmd[512];
    snprintf(cmd, sizeof cmd, "tmux -L %s kill-server 2>/dev/null; "
             "LANG=C.UTF-8 tmux -L %s new-session -d -s b -x 120 -y 40 "
             "'./sgdscope scenes/fig2-diag-decay50.scene' && sleep 1 && "
             "tmux -L %s send-keys -t b ' ' && sleep 1", sock, sock, sock);
    if (system(cmd) != 0)
        return -1.0;
    snprintf(cmd, sizeof cmd, "tmux -L %s list-panes -t b -F '#{pane_pid}'",
             sock);
    FILE *p = popen(cmd, "r");
    int pid = 0;
    if (!p || fscanf(p, "%d", &pid) != 1)
        pid = 0;
    if (p)
        pclose(p);
    double share = -1.0;
    if (pid > 0) {
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/stat", pid);
        unsigned long u0 = 0, s0 = 0, u1 = 0, s1 = 0;
        FILE *f = fopen(path, "r");
        if (f && fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u "
                           "%*u %lu %lu", &u0, &s0) == 2) {
            fclose(f);
            double t0 = now();
            sleep(10);
            f = fopen(path, "r");
            if (f && fscanf(f, "%*d %*s %*c %*d %*d %*d %*d %*d %*u %*u %*u "
                               "%*u %*u %lu %lu", &u1, &s1) == 2) {
                double ticks = (double)sysconf(_SC_CLK_TCK);
                share = 100.0 * (double)(u1 + s1 - u0 - s0) / ticks /
                        (now() - t0);
            }
        }
        if (f)
            fclose(f);
    }
    snprintf(cmd, sizeof cmd, "tmux -L %s kill-server 2>/dev/null", sock);
    if (system(cmd) != 0)
        share = share < 0 ? -1.0 : share;
    return share;
}

/* Total steps per second of a session of k identical diagnet runs
 * (n = 80, d = 200, B = 1, metrics off) advanced in lockstep in chunks of
 * 1024 steps, as the app does per frame: each run's steps count.  Best of
 * 3. */
static double lockstep_sps(int k, uint64_t n)
{
    char text[1024];
    size_t len = (size_t)snprintf(text, sizeof text,
                                  "model = diagnet\nn = 80\nd = 200\n"
                                  "r = 20\neta = 0.15\nsteps = %llu\n",
                                  (unsigned long long)n);
    for (int i = 0; i < k; i++)
        len += (size_t)snprintf(text + len, sizeof text - len, "run r%d\n",
                                i);
    static comparison c;
    scene_err e;
    char err[256];
    if (comparison_load_string(&c, text, "bench", &e) != 0 ||
        comparison_finalize(&c, &e) != 0) {
        fprintf(stderr, "bench: %s\n", e.msg);
        exit(1);
    }
    double best = 0.0;
    for (int rep = 0; rep < 3; rep++) {
        session *s = session_create(&c, NULL, err, sizeof err);
        if (!s) {
            fprintf(stderr, "bench: %s\n", err);
            exit(1);
        }
        double t0 = now();
        while (s->t < n)
            session_advance(s, n - s->t < 1024 ? n - s->t : 1024);
        double dt = now() - t0;
        if (session_live(s) != (size_t)k) {
            fprintf(stderr, "bench: a lockstep run diverged\n");
            exit(1);
        }
        double sps = (double)k * (double)n / dt;
        if (sps > best)
            best = sps;
        session_destroy(s);
    }
    return best;
}

/* A sweep through the real binary: `./sgdscope --sweep fig2-edge.sweep
 * --seeds 1 -j J -o FILE` (the Fig. 2 edge over 11 step sizes and 3 data
 * draws, one sampling seed: 33 runs of 10^5 + 1 steps).  Returns runs per
 * second, and the peak resident size of the largest process of the sweep
 * (the parent or a worker; wait4 reports the maximum over the tree it
 * waited for) in *mb. */
static double sweep_rate(int jobs, size_t *runs, double *mb)
{
    char out[] = "/tmp/sgdscope-bench-XXXXXX.jsonl", j[8];
    int fd = mkstemps(out, 6);
    if (fd < 0)
        return -1;
    close(fd);
    unlink(out);
    snprintf(j, sizeof j, "%d", jobs);
    double t0 = now();
    pid_t pid = fork();
    if (pid == 0) {
        int nul = open("/dev/null", O_WRONLY);
        dup2(nul, 2);
        execl("./sgdscope", "sgdscope", "--sweep", "scenes/fig2-edge.sweep",
              "--seeds", "1", "-j", j, "-o", out, (char *)NULL);
        _exit(127);
    }
    int st;
    struct rusage ru;
    if (wait4(pid, &st, 0, &ru) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))
        return -1;
    double dt = now() - t0;
    FILE *f = fopen(out, "r");
    size_t n = 0;
    for (int c; f && (c = fgetc(f)) != EOF;)
        n += c == '\n';
    if (f)
        fclose(f);
    unlink(out);
    *runs = n;
    *mb = (double)ru.ru_maxrss / 1024.0;
    return (double)n / dt;
}

int main(void)
{
    openblas_set_num_threads(1);
    const char *const quad[] = {"model=quad1d", "eta=1.1", NULL};
    const char *const diag[] = {"model=diagnet", "n=80", "d=200", "r=20",
                                "eta=0.15", NULL};
    const char *const relu[] = {"model=relu1d", "m=100", "eta=1e-4", NULL};
    /* the teacher-students at their scenes' small steps (stable for
     * millions of steps: the large ones can leave the valley) */
    const char *const ts2[] = {"model=ts2", "eta=0.13", NULL};
    const char *const ts3[] = {"model=ts3", "eta=0.011", NULL};
    /* The memory figures first: a child's peak counts the pages it
     * shared with this process when it was forked (Linux carries the
     * high-water mark across exec), so they are taken while this process
     * is still small. */
    static char mem_name[64][300];
    static double mem_mb[64];
    int nmem = 0;
    struct dirent **names = NULL;
    int ns = scandir("scenes", &names, NULL, alphasort);
    for (int i = 0; i < ns; i++) { /* every shipped scene, by name */
        char *dot = strstr(names[i]->d_name, ".scene");
        if (dot && dot[6] == 0 && nmem < 60) {
            *dot = 0;
            snprintf(mem_name[nmem], sizeof mem_name[nmem], "%s",
                     names[i]->d_name);
            mem_mb[nmem++] = peak_mb(names[i]->d_name, NULL);
        }
        free(names[i]);
    }
    free(names);
    snprintf(mem_name[nmem], sizeof mem_name[nmem], "%s",
             "prop2-quad --steps 1e6, every=1000, --csv -");
    mem_mb[nmem++] = peak_mb("prop2-quad", "1000000");
    snprintf(mem_name[nmem], sizeof mem_name[nmem], "%s",
             "prop2-quad --steps 1e8, every=1000, --csv -");
    mem_mb[nmem++] = peak_mb("prop2-quad", "100000000");
    const char *const dmax[] = {"model=diagnet", "d=4096", "r=4096",
                                "n=1000", "steps=3", NULL};
    const char *const rmax[] = {"model=relu1d", "m=4096", "steps=3", NULL};
    double dmax_mb = peak_mb_set(dmax), rmax_mb = peak_mb_set(rmax);

    printf("sgdscope bench (one core, best of 3; SGD kernels %s, best here "
           "%s)\n", kernels_name(), kernels_best());
    printf("  %-44s %8.1f M steps/s  (target >= 50)\n",
           "quad1d SGD, metrics off",
           steps_per_sec(quad, 100000000) / 1e6);
    kernel_pair("diagnet n=80 d=200 B=1 SGD, metrics off", diag, 10000000,
                12);
    kernel_pair("relu1d m=100 B=1 SGD, metrics off", relu, 10000000, 10);
    printf("  %-44s %8.2f M steps/s\n",
           "ts2 d=2 m=20 B=1 SGD, metrics off",
           steps_per_sec(ts2, 10000000) / 1e6);
    printf("  %-44s %8.2f M steps/s\n",
           "ts3 d=5 m=10 B=1 SGD, metrics off",
           steps_per_sec(ts3, 4000000) / 1e6);
    printf("  %-44s %8.3f s          (target <= 1.5)\n",
           "Fig. 2 protocol: 1e5 steps, 350 evaluations", fig2_protocol());
    {
        double one = steps_per_sec(diag, 4000000);
        double four = lockstep_sps(4, 1000000);
        printf("  %-44s %8.2f M steps/s\n", "diagnet, one run alone", one / 1e6);
        printf("  %-44s %8.2f M steps/s  (%.0f%% of one run; target >= 90)\n",
               "diagnet, 4 runs in lockstep, in total", four / 1e6,
               100.0 * four / one);
    }
    printf("evaluations (ms; the app evaluates the spectrum at most every "
           "100 ms, a frame is 33 ms)\n");
    const struct {
        const char *name;
        const char *const *kv;
        uint64_t steps;
        int reps;
    } ev[] = {{"quad1d", quad, 1000, 20000},
              {"diagnet 80x200", diag, 20000, 50},
              {"relu1d m=100", relu, 20000, 50}};
    for (size_t i = 0; i < sizeof ev / sizeof ev[0]; i++) {
        double sh, sp, lo;
        int lz;
        eval_ms(ev[i].kv, ev[i].steps, ev[i].reps, &sh, &sp, &lo, &lz);
        char label[64];
        snprintf(label, sizeof label, "%s: sharpness, %d Lanczos steps",
                 ev[i].name, lz);
        printf("  %-44s %8.3f ms\n", label, sh);
        snprintf(label, sizeof label, "%s: eval_spectrum (SVD, lmax, cross)",
                 ev[i].name);
        printf("  %-44s %8.3f ms         (%.1f%% of 100 ms)\n", label, sp,
               sp / 100.0 * 100.0);
        snprintf(label, sizeof label, "%s: eval_losses (band, verdict)",
                 ev[i].name);
        printf("  %-44s %8.3f ms         (%.1f%% of a 33 ms frame)\n",
               label, lo, lo / 33.3 * 100.0);
    }
    printf("largest documented sizes, steps=3 (issue 8: 240 s and 0.86 GB, "
           "over 300 s and 1.6 GB before)\n");
    largest("diagnet d=4096 r=4096 n=1000: open", dmax, dmax_mb);
    largest("relu1d m=4096: open", rmax, rmax_mb);
    printf("interactive view\n");
    printf("  %-44s %8.3f ms         (target < 2)\n",
           "full 200x60 frame, diagnet (spectrum drawn only)",
           frame_ms("scenes/fig2-diag-decay50.scene", 20000));
    printf("  %-44s %8.3f ms\n", "full 200x60 frame, relu1d",
           frame_ms("scenes/fig4-relu-decay50.scene", 12000));
    printf("  %-44s %8.3f ms         (target <= 2)\n",
           "200x60 frame, 4 diagnet runs overlaid",
           frame_multi_ms("scenes/fig2-compare.scene", 20000));
    {
        double ref, grid, all = surface_ms("scenes/fig3-surface.scene", &ref,
                                           &grid);
        printf("  %-44s %8.1f ms  (reference run %.1f, 96x96 grid %.1f)\n",
               "fig3 surface: plane + grid, at scene start", all, ref, grid);
        all = surface_ms("scenes/fig7-valley2d.scene", &ref, &grid);
        printf("  %-44s %8.2f ms\n", "fig7 surface (own plane): grid", grid);
    }
    printf("  %-44s %8.3f ms         (target <= 2, no recompute)\n",
           "200x60 frame, fig3 surface, 3 runs' paths",
           frame_multi_ms("scenes/fig3-surface.scene", 10001));
    printf("  %-44s %8.3f ms         (target <= 2, no recompute)\n",
           "full 200x60 frame, fig7 surface",
           frame_ms("scenes/fig7-valley2d.scene", 20000));
    double fps = 0.0;
    uint64_t spf = 0;
    double sps = steps_while_drawing(&fps, &spf);
    printf("  %-44s %8.2f M steps/s  (target >= 1; %llu steps/frame at "
           "%.1f fps)\n", "diagnet while drawing at 30 fps", sps / 1e6,
           (unsigned long long)spf, fps);
    double cpu = paused_cpu();
    if (cpu < 0)
        printf("  %-44s %8s          (needs tmux)\n", "CPU while paused",
               "n/a");
    else
        printf("  %-44s %8.2f %%         (target < 1, over 10 s)\n",
               "CPU while paused (real binary in tmux)", cpu);
    printf("peak memory, ./sgdscope --headless SCENE --summary "
           "(target < 50 MB)\n");
    for (int i = 0; i < nmem; i++)
        printf("  %-44s %8.1f MB\n", mem_name[i], mem_mb[i]);
    {
        size_t n1 = 0, n2 = 0;
        double mb1 = 0, mb2 = 0;
        double r1 = sweep_rate(1, &n1, &mb1), r2 = sweep_rate(2, &n2, &mb2);
        printf("sweeps: fig2-edge.sweep --seeds 1 (%zu runs of 10^5 + 1 "
               "steps; %ld processors)\n", n1, sysconf(_SC_NPROCESSORS_ONLN));
        printf("  %-44s %8.2f runs/s\n", "-j 1", r1);
        printf("  %-44s %8.2f runs/s  (%.2fx -j 1; target >= 1.8 on 2 "
               "cores)\n", "-j 2", r2, r1 > 0 ? r2 / r1 : 0);
        printf("  %-44s %8.1f MB     (target <= 50)\n",
               "peak memory of a sweep process, -j 2", mb2 > mb1 ? mb2 : mb1);
    }
    return 0;
}
