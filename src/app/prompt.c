/* prompt.c — the `:` command line; see prompt.h.  Commands act on the
 * focused run, or on the session (seed, goto, ghost). */
#include "prompt.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mapjob.h"
#include "mapscreen.h"
#include "runs.h"

/* The whole of s as a finite number.  Returns 0, −1 if it is not a
 * number, 1 if it is one too large or too close to 0 for a double. */
static int parse_double(const char *s, double *out)
{
    if (!*s)
        return -1;
    char *end;
    errno = 0;
    double x = strtod(s, &end);
    if (*end || end == s)
        return -1;
    if (errno == ERANGE || !isfinite(x))
        return 1;
    *out = x;
    return 0;
}

/* The whole of s as an integer in 0..2^53 (digits only). */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!*s)
        return -1;
    uint64_t v = 0;
    for (const char *p = s; *p; p++) {
        if (*p < '0' || *p > '9')
            return -1;
        unsigned d = (unsigned)(*p - '0');
        if (v > (9007199254740992ull - d) / 10)
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* Fails with a message naming what is wrong. */
static int command_fail(app *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int command_fail(app *a, const char *fmt, ...)
{
    char buf[APP_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    app_message(a, ":%s", buf);
    return -1;
}

/* Short names, so that the unknown-command message naming them all fits
 * the hint line at 80 columns (":'frobnica'? try " and the names make 61
 * columns); `help` is also ?.  app_command dispatches them. */
const app_cmd app_cmds[] = {
    {"eta", "eta X"},
    {"batch", "batch N"},
    {"seed", "seed N"},
    {"goto", "goto STEP"},
    {"decay", "decay"},
    {"dynamics", "dynamics D"},
    {"ghost", "ghost FILE [RUN]"},
    {"map", "map LO:HI[:N] [S-T]"},
    {"help", "help"},
};
const size_t app_ncmds = sizeof app_cmds / sizeof app_cmds[0];

/* The names but help's, space-separated: what an unknown command is told
 * to try. */
static const char *command_list(void)
{
    static char list[128];
    size_t n = 0;
    list[0] = 0;
    for (size_t i = 0; i < app_ncmds; i++) {
        if (strcmp(app_cmds[i].name, "help") == 0)
            continue;
        n += (size_t)snprintf(list + n, n < sizeof list ? sizeof list - n : 0,
                              "%s%s", n ? " " : "", app_cmds[i].name);
    }
    return list;
}

/* ghost FILE [RUN] | ghost off */
static int command_ghost(app *a, const char *file, const char *name)
{
    if (strcmp(file, "off") == 0 && !name) {
        if (a->ghost.n == 0)
            app_message(a, "no ghost to hide");
        else
            app_message(a, "ghost %s off", a->ghost.label);
        ghost_free(&a->ghost);
        return 0;
    }
    char err[APP_MSG_MAX];
    if (app_set_ghost(a, file, name, err, sizeof err) != 0)
        return command_fail(a, "ghost: %s", err);
    app_message(a, "ghost: %s (%zu points)", a->ghost.label, a->ghost.n);
    return 0;
}

/* map [LO:HI[:N] [S[-T]]]: the stability map; with no range, S's own
 * (the run's η ± half, its seed and the four after).  Every number is
 * checked here, before any earlier map's sweep is stopped, so a typo
 * loses nothing. */
static int command_map(app *a, const char *range, const char *seeds)
{
    if (!range) {
        mapscreen_open(a);
        return 0;
    }
    const scene *sc = &a->r->sc;
    char buf[APP_LINE_MAX], *part[4] = {NULL, NULL, NULL, NULL};
    snprintf(buf, sizeof buf, "%s", range);
    int np = 0;
    for (char *p = buf, *q; np < 4; p = q + 1) {
        part[np++] = p;
        q = strchr(p, ':');
        if (!q)
            break;
        *q = 0;
    }
    double lo, hi;
    uint64_t n = MAPJOB_DEFAULT_ETA;
    if (np < 2 || np > 3 || parse_double(part[0], &lo) != 0 ||
        parse_double(part[1], &hi) != 0)
        return command_fail(a, "map needs LO:HI[:N], e.g. 'map 0.2:0.3:21', "
                            "got '%.20s'", range);
    if (!(lo > 0) || !(hi > lo))
        return command_fail(a, "map needs 0 < LO < HI, got '%.20s'", range);
    if (np == 3 && (parse_u64(part[2], &n) != 0 || n < 2 ||
                    n > MAPJOB_MAX_ETA))
        return command_fail(a, "map takes 2 to %d values of η, got '%.20s'",
                            MAPJOB_MAX_ETA, part[2]);
    uint64_t s0 = sc->seed, s1 = sc->seed + MAPJOB_DEFAULT_SEEDS - 1;
    if (seeds) {
        snprintf(buf, sizeof buf, "%s", seeds);
        char *dash = strchr(buf, '-');
        if (dash)
            *dash = 0;
        int bad = parse_u64(buf, &s0) != 0;
        s1 = s0;
        if (!bad && dash)
            bad = parse_u64(dash + 1, &s1) != 0 || s1 < s0;
        if (bad)
            return command_fail(a, "map's seeds are S or S-T, e.g. '1-10', "
                                "got '%.20s'", seeds);
        if (s1 - s0 >= MAPJOB_MAX_SEEDS)
            return command_fail(a, "map takes 1 to %d seeds, got %.20s",
                                MAPJOB_MAX_SEEDS, seeds);
    } else if (s1 < s0) { /* the run's seed near 2^64 */
        s1 = s0;
    }
    if (mapscreen_open_grid(a, lo, hi, (size_t)n, s0,
                            (size_t)(s1 - s0 + 1)) != 0)
        return -1;
    return 0;
}

/* goto N: runs there in chunks, one per frame; behind the session, the
 * same runs again from the start (a restart drops forks). */
static int command_goto(app *a, uint64_t n)
{
    if (n < a->ses->t && app_restart(a, 0, "reset") != 0)
        return -1;
    if (n == a->ses->t) {
        app_message(a, "at step %llu", (unsigned long long)n);
        return 0;
    }
    a->going = 1;
    a->goto_to = n;
    a->goto_chunk = 1024;
    a->goto_last = 0;
    app_message(a, "going to step %llu (Esc stops)", (unsigned long long)n);
    return 0;
}

int app_command(app *a, const char *line)
{
    char buf[APP_LINE_MAX], *words[3] = {NULL, NULL, NULL};
    snprintf(buf, sizeof buf, "%s", line);
    int nw = 0;
    for (char *tok = strtok(buf, " \t"); tok; tok = strtok(NULL, " \t")) {
        if (nw == 3)
            return command_fail(a, " too many words: %s", command_list());
        words[nw++] = tok;
    }
    if (nw == 0)
        return 0; /* an empty line is no command, as in vi */
    const char *cmd = words[0], *arg = words[1];
    if (strcmp(cmd, "map") == 0)
        return command_map(a, arg, words[2]);
    int want_arg = strcmp(cmd, "eta") == 0 || strcmp(cmd, "batch") == 0 ||
                   strcmp(cmd, "seed") == 0 || strcmp(cmd, "goto") == 0 ||
                   strcmp(cmd, "dynamics") == 0 || strcmp(cmd, "ghost") == 0;
    int no_arg = strcmp(cmd, "decay") == 0 || strcmp(cmd, "help") == 0;
    int two = strcmp(cmd, "ghost") == 0; /* ghost FILE RUN */
    if (!want_arg && !no_arg)
        return command_fail(a, "'%.8s'? try %s", cmd, command_list());
    if (want_arg && !arg)
        return command_fail(a, " %s needs a value, e.g. '%s %s'", cmd, cmd,
                            strcmp(cmd, "eta") == 0     ? "1.12"
                            : strcmp(cmd, "batch") == 0 ? "4"
                            : strcmp(cmd, "seed") == 0  ? "9"
                            : strcmp(cmd, "goto") == 0  ? "30000"
                            : strcmp(cmd, "ghost") == 0 ? "run.csv"
                                                        : "gd");
    if ((no_arg && arg) || nw > 2 + two)
        return command_fail(a, " %s takes %s, got also '%.20s'", cmd,
                            no_arg ? "no value" : "one value",
                            words[nw - 1]);
    if (two)
        return command_ghost(a, arg, words[2]);
    run *r = a->r;
    if (r->diverged && (strcmp(cmd, "eta") == 0 || strcmp(cmd, "batch") == 0 ||
                        strcmp(cmd, "decay") == 0 ||
                        strcmp(cmd, "dynamics") == 0 ||
                        (strcmp(cmd, "goto") == 0 &&
                         session_live(a->ses) == 0)))
        return command_fail(a, "the run is frozen: u rewinds, r resets");
    if (strcmp(cmd, "eta") == 0) {
        double x;
        int prc = parse_double(arg, &x);
        /* out of the range η is kept in (schedule.h): known already */
        if ((prc == 1 && arg[0] != '-') ||
            (prc == 0 && x > 0 && x < SCHED_ETA_MIN))
            return command_fail(a, "eta %.20s is outside the step sizes "
                                "%.2g..%.2g", arg, SCHED_ETA_MIN,
                                SCHED_ETA_MAX);
        if (prc != 0 || !(x > 0))
            return command_fail(a, "eta needs a number > 0, got '%.20s'",
                                arg);
        char msg[APP_MSG_MAX];
        if (run_set_eta(r, x))
            app_held_text(r, msg, sizeof msg);
        else
            snprintf(msg, sizeof msg, "η = %.6g", run_eta(r));
        app_message(a, "%s", msg);
    } else if (strcmp(cmd, "batch") == 0) {
        uint64_t b;
        size_t max = r->m.n > 0 && r->m.n < 4096 ? r->m.n : 4096;
        if (parse_u64(arg, &b) != 0 || b < 1 || b > max)
            return command_fail(a, "batch needs an integer in 1..%zu, got "
                                "'%.20s'", max, arg);
        char msg[APP_MSG_MAX];
        runs_set_batch(r, (size_t)b, msg, sizeof msg);
        app_message(a, "%s", msg);
    } else if (strcmp(cmd, "seed") == 0) {
        uint64_t sd;
        if (parse_u64(arg, &sd) != 0)
            return command_fail(a, "seed needs a whole number, got '%.20s'",
                                arg);
        /* every run's seed moves with the first's: runs that differ in
         * seed keep their difference */
        if (app_restart(a, sd - a->base.seed, "reseed") != 0)
            return -1;
        app_message(a, "reset with seed %llu", (unsigned long long)sd);
    } else if (strcmp(cmd, "goto") == 0) {
        uint64_t n;
        if (parse_u64(arg, &n) != 0)
            return command_fail(a, "goto needs a step (a whole number), "
                                "got '%.20s'", arg);
        return command_goto(a, n);
    } else if (strcmp(cmd, "decay") == 0) {
        app_act(a, ACT_DECAY);
    } else if (strcmp(cmd, "dynamics") == 0) {
        int k = dyn_parse(arg);
        char err[128];
        if (k < 0)
            return command_fail(a, "unknown dynamics '%.20s' (sgd, gd, "
                                "labelnoise, sde, flow)", arg);
        if (run_set_dynamics(r, (dyn_kind)k, err, sizeof err) != 0)
            return command_fail(a, "dynamics %s: %s", arg, err);
        app_message(a, "dynamics: %s", dyn_label((dyn_kind)k));
    } else { /* help */
        a->help = 1;
    }
    return 0;
}

/* Removes the last UTF-8 character of the prompt line. */
static void line_backspace(char *line)
{
    size_t n = strlen(line);
    while (n > 0) {
        n--;
        if (((unsigned char)line[n] & 0xC0) != 0x80)
            break;
    }
    line[n] = 0;
}

void prompt_key(app *a, int key)
{
    if (key == APP_KEY_ESC) {
        a->prompt = 0;
    } else if (key == APP_KEY_ENTER || key == '\r') {
        static char line[APP_LINE_MAX];
        snprintf(line, sizeof line, "%s", a->line);
        a->prompt = 0;
        app_command(a, line);
    } else if (key == APP_KEY_BACKSPACE || key == 8) {
        if (!a->line[0])
            a->prompt = 0; /* backspace on an empty line leaves, as in vi */
        else
            line_backspace(a->line);
    } else if (key >= ' ' && key < 0x7F) {
        size_t n = strlen(a->line);
        if (n + 1 < sizeof a->line) {
            a->line[n] = (char)key;
            a->line[n + 1] = 0;
        }
    }
}
