/* bench.c — the performance figures the issues ask for, printed, never
 * asserted (`make bench`).  Wall-clock on one core (OpenBLAS pinned to one
 * thread), best of a few repetitions. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cblas.h>

#include "run.h"
#include "scene.h"

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

/* Peak resident memory (MB) of `sgdscope --headless SCENE ARGS`. */
static double peak_mb(const char *scn, const char *steps)
{
    pid_t pid = fork();
    if (pid == 0) {
        int fd = open("/dev/null", 1);
        dup2(fd, 1);
        if (steps)
            execl("./sgdscope", "sgdscope", "--headless", scn, "--steps",
                  steps, "--every", "1000", "--csv", "-", "--summary",
                  (char *)NULL);
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

int main(void)
{
    openblas_set_num_threads(1);
    const char *const quad[] = {"model=quad1d", "eta=1.1", NULL};
    const char *const diag[] = {"model=diagnet", "n=80", "d=200", "r=20",
                                "eta=0.15", NULL};
    const char *const relu[] = {"model=relu1d", "m=100", "eta=1e-4", NULL};
    printf("sgdscope bench (one core, best of 3)\n");
    printf("  %-44s %8.1f M steps/s  (target >= 50)\n",
           "quad1d SGD, metrics off",
           steps_per_sec(quad, 100000000) / 1e6);
    printf("  %-44s %8.2f M steps/s  (target >= 5)\n",
           "diagnet n=80 d=200 B=1 SGD, metrics off",
           steps_per_sec(diag, 10000000) / 1e6);
    printf("  %-44s %8.2f M steps/s  (target >= 3)\n",
           "relu1d m=100 B=1 SGD, metrics off",
           steps_per_sec(relu, 10000000) / 1e6);
    printf("  %-44s %8.3f s          (target <= 1.5)\n",
           "Fig. 2 protocol: 1e5 steps, 350 evaluations", fig2_protocol());
    printf("peak memory, ./sgdscope --headless SCENE --summary "
           "(target < 50 MB)\n");
    const char *scenes[] = {"prop2-quad", "fig2-diag-small",
                            "fig2-diag-decay10", "fig2-diag-decay30",
                            "fig2-diag-decay50", "fig4-relu-decay2",
                            "fig4-relu-decay50"};
    for (size_t i = 0; i < sizeof scenes / sizeof scenes[0]; i++)
        printf("  %-44s %8.1f MB\n", scenes[i], peak_mb(scenes[i], NULL));
    printf("  %-44s %8.1f MB\n", "prop2-quad --steps 1e6 --every 1000 --csv -",
           peak_mb("prop2-quad", "1000000"));
    printf("  %-44s %8.1f MB\n", "prop2-quad --steps 1e8 --every 1000 --csv -",
           peak_mb("prop2-quad", "100000000"));
    return 0;
}
