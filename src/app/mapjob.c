/* mapjob.c — the stability map's background sweep; see mapjob.h. */
#include "mapjob.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "exitsig.h"
#include "outfile.h"
#include "sweep.h"
#include "sweepmap.h"
#include "verdict.h"

void mapjob_init(mapjob *m)
{
    memset(m, 0, sizeof *m);
    m->state = MAPJOB_IDLE;
    m->fd = -1;
    m->errfd = -1;
}

static void fail(mapjob *m, const char *fmt, const char *what)
{
    snprintf(m->err, sizeof m->err, fmt, what);
}

/* The grid: η as a list of values written like a scene writes them (6
 * significant digits, so a label reads 0.2835, not 0.28350000000000003),
 * seeds consecutive.  Returns 0 or −1 with m->err. */
static int make_grid(mapjob *m, double lo, double hi, size_t neta,
                     uint64_t seed0, size_t nseed)
{
    char spec[MAPJOB_MAX_ETA * 16 + 8], why[256];
    size_t k = (size_t)snprintf(spec, sizeof spec, "eta=");
    for (size_t i = 0; i < neta; i++) {
        double v = neta == 1 ? lo
                             : lo + (hi - lo) * (double)i / (double)(neta - 1);
        k += (size_t)snprintf(spec + k, sizeof spec - k, "%s%.6g",
                              i ? "," : "", v);
    }
    grid_init(m->g);
    int col = 0;
    if (grid_add_vary(m->g, spec, why, sizeof why, &col) != 0) {
        fail(m, "the map's η values: %s", why);
        return -1;
    }
    char seeds[64];
    snprintf(seeds, sizeof seeds, "%llu-%llu", (unsigned long long)seed0,
             (unsigned long long)(seed0 + nseed - 1));
    if (grid_set_seeds(m->g, seeds, why, sizeof why, &col) != 0) {
        fail(m, "the map's seeds: %s", why);
        return -1;
    }
    /* the values as the grid holds them: the same text the lines carry */
    const grid_axis *a = &m->g->axis[0];
    m->neta = a->n;
    for (size_t i = 0; i < a->n; i++) {
        memcpy(m->eta_text[i], a->val[i], GRID_VALUE_MAX);
        m->eta[i] = strtod(a->val[i], NULL);
    }
    m->nseed = nseed;
    for (size_t i = 0; i < nseed; i++)
        m->seed[i] = seed0 + i;
    return 0;
}

/* The sweep process: its output to the pipe, errors to errfd, nothing
 * from or to the terminal; never returns. */
static void child_main(mapjob *m, int out, int errfd)
{
    /* its own process group: the terminal's signals are the app's */
    setpgid(0, 0);
#ifdef __linux__
    prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif
    /* the app's terminal handlers (resize, stop, continue) are not ours */
    const int dfl[] = {SIGWINCH, SIGTSTP, SIGCONT, SIGTTIN, SIGTTOU,
                       SIGPIPE, SIGCHLD};
    for (size_t i = 0; i < sizeof dfl / sizeof dfl[0]; i++)
        signal(dfl[i], SIG_DFL);
    int null = open("/dev/null", O_RDWR);
    if (null < 0 || dup2(null, STDIN_FILENO) < 0 ||
        dup2(out, STDOUT_FILENO) < 0 ||
        dup2(errfd >= 0 ? errfd : null, STDERR_FILENO) < 0)
        _exit(1);
    if (nice(5) == -1 && errno != 0) {
        /* not being niced only costs the live run some speed */
    }
    /* exitsig is installed (the app did it before curses): SIGTERM from
     * mapjob_stop makes sweep_run stop its workers and return 3 */
    exitsig_attach(-1, NULL);
    outfile_forget_all(); /* the app's recording is not ours to remove */
    sweep_opts so = {"-", m->workers, 0, 0, 0, 0,
                     grid_fingerprint(m->g, m->scene, strlen(m->scene)), NULL};
    char err[512];
    int rc = sweep_run(m->base, m->g, &so, err, sizeof err);
    if (rc != 0 && err[0])
        dprintf(STDERR_FILENO, "%s\n", err);
    _exit(rc == 0 ? 0 : 1);
}

int mapjob_start(mapjob *m, const scene *sc, double lo, double hi,
                 size_t neta, uint64_t seed0, size_t nseed, unsigned workers,
                 double now)
{
    mapjob_free(m);
    if (neta < 1 || neta > MAPJOB_MAX_ETA || nseed < 1 ||
        nseed > MAPJOB_MAX_SEEDS || !(lo > 0) || !(hi >= lo) ||
        !isfinite(hi)) {
        snprintf(m->err, sizeof m->err, "a map takes 1 to %d values of η > 0 "
                 "and 1 to %d seeds", MAPJOB_MAX_ETA, MAPJOB_MAX_SEEDS);
        return -1;
    }
    m->base = malloc(sizeof *m->base);
    m->g = malloc(sizeof *m->g);
    if (m->g)
        grid_init(m->g);
    if (!m->base || !m->g) {
        snprintf(m->err, sizeof m->err, "out of memory");
        goto bad;
    }
    /* one run: the scene as the run was built, finalized again per job */
    comparison_of_scene(m->base, sc);
    m->base->tl.n = 0;
    m->base->finalized = 0;
    snprintf(m->scene, sizeof m->scene, "%s", sc->name);
    m->steps = sc->steps;
    m->lo = lo;
    m->hi = hi;
    if (make_grid(m, lo, hi, neta, seed0, nseed) != 0)
        goto bad;
    scene_err e;
    char why[512];
    if (sweep_check(m->base, m->g, &e, why, sizeof why) != 0) {
        snprintf(m->err, sizeof m->err, "%s", why[0] ? why : e.msg);
        goto bad;
    }
    m->total = m->neta * m->nseed;
    m->workers = workers ? workers : 1;
    int p[2];
    if (pipe(p) != 0) {
        fail(m, "cannot start the map's sweep: %s", strerror(errno));
        goto bad;
    }
    FILE *ef = tmpfile();
    int errfd = ef ? dup(fileno(ef)) : -1;
    if (ef)
        fclose(ef);
    fflush(NULL); /* nothing buffered is written twice by the child */
    pid_t pid = fork();
    if (pid < 0) {
        fail(m, "cannot start the map's sweep: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        if (errfd >= 0)
            close(errfd);
        goto bad;
    }
    if (pid == 0) {
        close(p[0]);
        child_main(m, p[1], errfd);
    }
    /* both sides set the group, whichever runs first */
    setpgid(pid, pid);
    close(p[1]);
    fcntl(p[0], F_SETFD, FD_CLOEXEC);
    fcntl(p[0], F_SETFL, fcntl(p[0], F_GETFL) | O_NONBLOCK);
    if (errfd >= 0)
        fcntl(errfd, F_SETFD, FD_CLOEXEC);
    m->pid = pid;
    m->fd = p[0];
    m->errfd = errfd;
    m->state = MAPJOB_RUNNING;
    m->t_start = m->t_end = now;
    return 0;
bad:
    free(m->base);
    if (m->g)
        grid_free(m->g);
    free(m->g);
    m->base = NULL;
    m->g = NULL;
    m->state = MAPJOB_IDLE;
    return -1;
}

int mapjob_fd(const mapjob *m)
{
    return m->state == MAPJOB_RUNNING ? m->fd : -1;
}

/* One line of the sweep's output into its cell. */
static int take_line(mapjob *m, const char *s, size_t len)
{
    sweep_rec r;
    char why[256];
    int col = 0;
    if (sweeplog_parse_line(&m->log, s, len, &r, why, sizeof why, &col) != 0 ||
        r.job >= m->total) {
        snprintf(m->err, sizeof m->err, "the map's sweep wrote a line it "
                 "should not have (%s)", why);
        return 0;
    }
    mapjob_cell *c = &m->cell[r.job];
    if (!c->done) {
        c->done = 1;
        c->rec = r;
        m->done++;
    }
    return 1;
}

/* The first line of what the sweep said on its standard error. */
static void read_errors(mapjob *m)
{
    if (m->errfd < 0)
        return;
    char b[256];
    ssize_t n = pread(m->errfd, b, sizeof b - 1, 0);
    if (n > 0) {
        b[n] = 0;
        char *nl = strchr(b, '\n');
        if (nl)
            *nl = 0;
        snprintf(m->err, sizeof m->err, "%s", b);
    }
}

/* Waits for the sweep process (it has closed its output, or been told
 * to stop) and sets the state from how it ended. */
static void reap(mapjob *m, mapjob_state ended)
{
    int status = 0;
    if (m->pid > 0) {
        while (waitpid(m->pid, &status, 0) < 0 && errno == EINTR)
            ;
        m->pid = 0;
    }
    if (m->fd >= 0)
        close(m->fd);
    m->fd = -1;
    if (ended == MAPJOB_STOPPED) {
        m->state = MAPJOB_STOPPED;
    } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
               m->done == m->total) {
        m->state = MAPJOB_DONE;
    } else {
        m->state = MAPJOB_FAILED;
        if (!m->err[0])
            read_errors(m);
        if (!m->err[0])
            snprintf(m->err, sizeof m->err, "the map's sweep stopped after "
                     "%zu of %zu runs", m->done, m->total);
    }
    if (m->errfd >= 0)
        close(m->errfd);
    m->errfd = -1;
}

int mapjob_poll(mapjob *m, double now)
{
    if (m->state != MAPJOB_RUNNING)
        return 0;
    int changed = 0;
    for (;;) {
        ssize_t n = read(m->fd, m->buf + m->blen, sizeof m->buf - m->blen);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) /* EAGAIN: nothing more for now */
            break;
        if (n == 0) {
            reap(m, MAPJOB_DONE);
            changed = 1;
            break;
        }
        m->blen += (size_t)n;
        size_t start = 0;
        for (size_t i = 0; i < m->blen; i++)
            if (m->buf[i] == '\n') {
                changed |= take_line(m, m->buf + start, i - start);
                start = i + 1;
            }
        memmove(m->buf, m->buf + start, m->blen - start);
        m->blen -= start;
        if (m->blen == sizeof m->buf) /* a line longer than any summary */
            m->blen = 0;
    }
    m->t_end = now;
    return changed;
}

void mapjob_stop(mapjob *m)
{
    if (m->state != MAPJOB_RUNNING)
        return;
    if (m->pid > 0)
        kill(-m->pid, SIGTERM);
    reap(m, MAPJOB_STOPPED);
}

void mapjob_free(mapjob *m)
{
    mapjob_stop(m);
    free(m->base);
    if (m->g)
        grid_free(m->g); /* its seed list */
    free(m->g);
    mapjob_init(m);
}

const mapjob_cell *mapjob_cell_at(const mapjob *m, size_t ie, size_t is)
{
    if (ie >= m->neta || is >= m->nseed)
        return NULL;
    return &m->cell[ie * m->nseed + is];
}

int mapjob_cell_scene(const mapjob *m, size_t ie, size_t is,
                      comparison *out, scene_err *e)
{
    memset(e, 0, sizeof *e);
    if (!m->base || ie >= m->neta || is >= m->nseed) {
        snprintf(e->msg, sizeof e->msg, "no such cell");
        return -1;
    }
    return sweep_job_scene(m->base, m->g, ie * m->nseed + is, out, e);
}

double mapjob_diverged_share(const mapjob *m, size_t ie, size_t *ndone)
{
    size_t d = 0, n = 0;
    for (size_t is = 0; is < m->nseed; is++) {
        const mapjob_cell *c = mapjob_cell_at(m, ie, is);
        if (!c || !c->done)
            continue;
        n++;
        d += c->rec.verdict == VERDICT_DIVERGED;
    }
    if (ndone)
        *ndone = n;
    return n ? (double)d / (double)n : 0.0;
}

int mapjob_edge(const mapjob *m, double *edge)
{
    double x[MAPJOB_MAX_ETA], p[MAPJOB_MAX_ETA];
    size_t k = 0;
    for (size_t ie = 0; ie < m->neta; ie++) {
        size_t n;
        double s = mapjob_diverged_share(m, ie, &n);
        if (n) {
            x[k] = m->eta[ie];
            p[k++] = s;
        }
    }
    return sweepmap_edge(x, p, k, edge);
}
