/* sweep.c — a grid of headless runs in forked processes; see sweep.h. */
#include "sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "app.h"
#include "exitsig.h"
#include "headless.h"
#include "sanitize.h"
#include "session.h"

/* ---- one job's scene ------------------------------------------------------ */

int sweep_job_scene(const comparison *base, const grid *g, size_t j,
                    comparison *out, scene_err *e)
{
    size_t idx[GRID_MAX_AXES], si;
    grid_job(g, j, idx, &si);
    *out = *base;
    char kv[GRID_KEY_MAX + GRID_VALUE_MAX + 2];
    for (size_t i = 0; i < g->naxes; i++) {
        snprintf(kv, sizeof kv, "%s=%s", g->axis[i].key,
                 g->axis[i].val[idx[i]]);
        if (comparison_set(out, kv, e) != 0) {
            /* the value's own place: the sweep file's line, or --vary */
            const grid_axis *a = &g->axis[i];
            if (a->line) {
                snprintf(e->file, sizeof e->file, "%s", a->file);
                e->line = a->line;
                e->col = a->col;
            } else {
                snprintf(e->file, sizeof e->file, "--vary");
            }
            return -1;
        }
    }
    if (g->nseeds) {
        snprintf(kv, sizeof kv, "seed=%llu", (unsigned long long)g->seeds[si]);
        if (comparison_set(out, kv, e) != 0)
            return -1;
    }
    if (comparison_finalize(out, e) != 0 ||
        comparison_check_keys(out, app_is_scene_key, app_is_run_key, e) != 0)
        return -1;
    return 0;
}

/* "eta=0.205 seed=3": the job, for messages. */
static void job_label(const grid *g, size_t j, char *buf, size_t len)
{
    size_t idx[GRID_MAX_AXES], si;
    grid_job(g, j, idx, &si);
    size_t k = 0;
    buf[0] = 0;
    for (size_t i = 0; i < g->naxes && k < len; i++)
        k += (size_t)snprintf(buf + k, len - k, "%s%s=%s", i ? " " : "",
                              g->axis[i].key, g->axis[i].val[idx[i]]);
    if (g->nseeds && k < len)
        snprintf(buf + k, len - k, "%sseed=%llu", k ? " " : "",
                 (unsigned long long)g->seeds[si]);
}

int sweep_check(const comparison *base, const grid *g, scene_err *e,
                char *err, size_t errlen)
{
    size_t jobs = grid_jobs(g);
    if (jobs > GRID_MAX_JOBS) {
        snprintf(err, errlen, "the grid has more than %u jobs; sweep a "
                              "coarser grid or fewer seeds",
                 GRID_MAX_JOBS);
        return -1;
    }
    /* every grid point once (the seed only sets `seed`, checked on the
     * first point) */
    static comparison c;
    size_t ns = g->nseeds ? g->nseeds : 1;
    for (size_t pt = 0; pt < grid_points(g); pt++)
        if (sweep_job_scene(base, g, pt * ns, &c, e) != 0) {
            char label[512];
            job_label(g, pt * ns, label, sizeof label);
            char shown[600];
            sanitize_text(shown, sizeof shown, label);
            snprintf(err, errlen, "the grid point %s is not a valid scene",
                     shown);
            return -1;
        }
    err[0] = 0;
    return 0;
}

/* ---- a job in its process ------------------------------------------------- */

/* Whether s is a JSON number (RFC 8259's grammar). */
static int json_number(const char *s)
{
    const char *p = s;
    if (*p == '-')
        p++;
    if (*p == '0')
        p++;
    else if (*p >= '1' && *p <= '9')
        while (*p >= '0' && *p <= '9')
            p++;
    else
        return 0;
    if (*p == '.') {
        p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!(*p >= '0' && *p <= '9'))
            return 0;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    return *p == 0;
}

/* s as a JSON string (sanitized: valid UTF-8, no control characters). */
static void json_string(FILE *f, const char *s)
{
    char shown[GRID_VALUE_MAX * 4];
    sanitize_text(shown, sizeof shown, s);
    fputc('"', f);
    for (const char *p = shown; *p; p++) {
        if (*p == '"' || *p == '\\')
            fputc('\\', f);
        fputc(*p, f);
    }
    fputc('"', f);
}

/* The members every line of job j starts with, '{' included. */
static void job_prefix(const grid *g, size_t j, uint64_t fp, FILE *f)
{
    size_t idx[GRID_MAX_AXES], si;
    grid_job(g, j, idx, &si);
    fprintf(f, "{\"job\":%zu,\"sweep\":\"%016llx\",\"params\":{", j,
            (unsigned long long)fp);
    for (size_t i = 0; i < g->naxes; i++) {
        if (i)
            fputc(',', f);
        json_string(f, g->axis[i].key);
        fputc(':', f);
        const char *v = g->axis[i].val[idx[i]];
        if (json_number(v))
            fputs(v, f);
        else
            json_string(f, v);
    }
    fputs("},", f);
}

/* In the child: runs job j and writes its lines to fd.  Never returns. */
static void job_main(const comparison *base, const grid *g, size_t j,
                     uint64_t fp, int fd)
{
    static comparison c;
    scene_err e;
    if (sweep_job_scene(base, g, j, &c, &e) != 0) {
        scene_err_print(&e, stderr);
        _exit(2);
    }
    char err[512];
    session *s = session_create(&c, app_run_key, err, sizeof err);
    if (!s) {
        char label[512];
        job_label(g, j, label, sizeof label);
        fprintf(stderr, "sgdscope: sweep job %zu (%s): %s\n", j, label, err);
        _exit(1);
    }
    char *sum = NULL, *out = NULL;
    size_t sumlen = 0, outlen = 0;
    FILE *fs = open_memstream(&sum, &sumlen);
    if (!fs)
        _exit(1);
    headless_fail failed = {NULL, 0};
    headless_opts ho = {NULL, fs, c.run[0].every, c.run[0].steps, &failed};
    int rc = headless_run(s, &ho);
    session_destroy(s);
    if (fclose(fs) != 0 || rc < 0)
        _exit(1);
    if (rc > 0 || exitsig_pending())
        exitsig_reraise(), _exit(1);
    /* each summary line, after its '{', follows the job's members */
    FILE *fo = open_memstream(&out, &outlen);
    if (!fo)
        _exit(1);
    for (char *line = sum; line && *line;) {
        char *nl = strchr(line, '\n');
        if (!nl || line[0] != '{')
            _exit(1);
        job_prefix(g, j, fp, fo);
        fwrite(line + 1, 1, (size_t)(nl - line), fo);
        line = nl + 1;
    }
    if (fclose(fo) != 0)
        _exit(1);
    for (size_t k = 0; k < outlen;) {
        ssize_t w = write(fd, out + k, outlen - k);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            _exit(1);
        k += (size_t)w;
    }
    _exit(0);
}

/* ---- the output file: resumption ------------------------------------------ */

/* "{"job":N,"sweep":"HEX"": the job and the fingerprint of a line. */
static int line_head(const char *s, size_t len, size_t *job, uint64_t *fp)
{
    static const char a[] = "{\"job\":", b[] = ",\"sweep\":\"";
    if (len < sizeof a - 1 || memcmp(s, a, sizeof a - 1) != 0)
        return -1;
    size_t k = sizeof a - 1, n = 0, digits = 0;
    while (k < len && s[k] >= '0' && s[k] <= '9' && digits < 12) {
        n = n * 10 + (size_t)(s[k++] - '0');
        digits++;
    }
    if (!digits || len - k < sizeof b - 1 + 17 ||
        memcmp(s + k, b, sizeof b - 1) != 0)
        return -1;
    k += sizeof b - 1;
    uint64_t h = 0;
    for (int i = 0; i < 16; i++, k++) {
        char ch = s[k];
        int v = ch >= '0' && ch <= '9'   ? ch - '0'
                : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                                         : -1;
        if (v < 0)
            return -1;
        h = h << 4 | (uint64_t)v;
    }
    if (s[k] != '"')
        return -1;
    *job = n;
    *fp = h;
    return 0;
}

/* Reads the existing output at fd: marks the jobs whose lines are all
 * there (nruns lines each) in done[], and cuts off a torn last line or
 * the lines of a job that is not complete (rewriting the file).
 * Returns 0, or 2 with err when the file is not this sweep's. */
static int resume_read(int fd, const char *path, uint64_t fp, size_t njobs,
                       size_t nruns, unsigned char *count, size_t *resumed,
                       char *err, size_t errlen)
{
    struct stat st;
    if (fstat(fd, &st) != 0 || st.st_size == 0)
        return 0;
    char *buf = malloc((size_t)st.st_size + 1);
    if (!buf) {
        snprintf(err, errlen, "out of memory reading the output file");
        return 1;
    }
    size_t len = 0;
    while (len < (size_t)st.st_size) {
        ssize_t r = pread(fd, buf + len, (size_t)st.st_size - len, (off_t)len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
    }
    buf[len] = 0;
    char shown[SCENE_PATH_MAX];
    sanitize_text(shown, sizeof shown, path);
    size_t keep = 0; /* bytes of whole lines */
    int ln = 0;
    for (size_t k = 0; k < len;) {
        char *nl = memchr(buf + k, '\n', len - k);
        if (!nl)
            break; /* a torn tail: cut off below */
        size_t l = (size_t)(nl - (buf + k));
        ln++;
        size_t job;
        uint64_t h;
        if (line_head(buf + k, l, &job, &h) != 0 || buf[k + l - 1] != '}') {
            snprintf(err, errlen, "%s:%d: not a line of a sgdscope sweep; "
                     "give another -o or remove the file", shown, ln);
            free(buf);
            return 2;
        }
        if (h != fp || job >= njobs) {
            snprintf(err, errlen, "%s:%d: a line of another sweep (scene, "
                     "grid or seeds differ); give another -o or remove the "
                     "file", shown, ln);
            free(buf);
            return 2;
        }
        if (count[job] < 255)
            count[job]++;
        k += l + 1;
        keep = k;
    }
    /* jobs with too few or too many lines are run again: drop them */
    int bad = 0;
    for (size_t j = 0; j < njobs; j++)
        if (count[j] && count[j] != nruns)
            bad = 1;
    if (bad) {
        size_t w = 0;
        for (size_t k = 0; k < keep;) {
            char *nl = memchr(buf + k, '\n', keep - k);
            size_t l = (size_t)(nl - (buf + k)) + 1, job;
            uint64_t h;
            line_head(buf + k, l, &job, &h);
            if (count[job] == nruns) {
                memmove(buf + w, buf + k, l);
                w += l;
            }
            k += l;
        }
        keep = w;
        for (size_t k = 0; k < keep; k += 0) {
            ssize_t r = pwrite(fd, buf + k, keep - k, (off_t)k);
            if (r < 0 && errno == EINTR)
                continue;
            if (r <= 0) {
                snprintf(err, errlen, "cannot rewrite '%s': %s", shown,
                         strerror(errno ? errno : EIO));
                free(buf);
                return 1;
            }
            k += (size_t)r;
        }
        for (size_t j = 0; j < njobs; j++)
            if (count[j] != nruns)
                count[j] = 0;
    }
    if (keep != len && ftruncate(fd, (off_t)keep) != 0) {
        snprintf(err, errlen, "cannot cut the torn line off '%s': %s", shown,
                 strerror(errno));
        free(buf);
        return 1;
    }
    for (size_t j = 0; j < njobs; j++)
        if (count[j])
            (*resumed)++;
    free(buf);
    return 0;
}

/* ---- the pool --------------------------------------------------------------- */

typedef struct slot {
    pid_t pid;
    int fd;
    size_t job;
    char *buf;
    size_t len, cap;
} slot;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

static void progress_line(size_t done, size_t total, size_t resumed,
                          double t0, int final)
{
    double el = now_s() - t0;
    size_t ran = done - resumed;
    double rate = el > 0 ? (double)ran / el : 0.0;
    char left[32] = "";
    if (!final && rate > 0 && total > done) {
        double s = (double)(total - done) / rate;
        snprintf(left, sizeof left, "  %d:%02d left", (int)(s / 60),
                 (int)s % 60);
    }
    fprintf(stderr, "\rsweep  %zu/%zu runs  %.1f runs/s%s%s\033[K%s", done,
            total, rate, left, final ? "  done" : "", final ? "\n" : "");
    fflush(stderr);
}

int sweep_run(const comparison *base, const grid *g, const sweep_opts *o,
              char *err, size_t errlen)
{
    size_t njobs = grid_jobs(g), nruns = base->n;
    unsigned sk = o->shard_n ? o->shard_k : 1, sn = o->shard_n ? o->shard_n : 1;
    unsigned char *count = calloc(njobs ? njobs : 1, 1);
    size_t *order = malloc((njobs ? njobs : 1) * sizeof *order);
    char **held = NULL;
    slot *sl = calloc(o->jobs, sizeof *sl);
    int rc = 0, fd = -1, to_stdout = strcmp(o->out, "-") == 0;
    size_t resumed = 0;
    sweep_stats st = {0};
    err[0] = 0;
    if (!count || !order || !sl) {
        snprintf(err, errlen, "out of memory");
        rc = 1;
        goto out;
    }
    if (!to_stdout) {
        fd = open(o->out, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
        char shown[SCENE_PATH_MAX];
        sanitize_text(shown, sizeof shown, o->out);
        struct stat fst;
        if (fd < 0 || fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
            snprintf(err, errlen, "cannot use '%s' as the output: %s", shown,
                     fd < 0 ? strerror(errno) : "not a regular file");
            rc = 2;
            goto out;
        }
        rc = resume_read(fd, o->out, o->fingerprint, njobs, nruns, count,
                         &resumed, err, errlen);
        if (rc != 0)
            goto out;
        /* from here on every write lands at the end */
        int fl = fcntl(fd, F_GETFL);
        if (fl < 0 || fcntl(fd, F_SETFL, fl | O_APPEND) != 0) {
            snprintf(err, errlen, "cannot append to '%s': %s", shown,
                     strerror(errno));
            rc = 1;
            goto out;
        }
    }
    /* this shard's jobs, in order; those already written are counted */
    size_t ntodo = 0, total = 0, shard_resumed = 0;
    for (size_t j = 0; j < njobs; j++) {
        if (!grid_in_shard(j, sk, sn))
            continue;
        total++;
        if (count[j])
            shard_resumed++;
        else
            order[ntodo++] = j;
    }
    st.total = total;
    st.resumed = shard_resumed;
    if (o->sorted) {
        held = calloc(ntodo ? ntodo : 1, sizeof *held);
        if (!held) {
            snprintf(err, errlen, "out of memory");
            rc = 1;
            goto out;
        }
    }
    for (unsigned i = 0; i < o->jobs; i++)
        sl[i].pid = 0, sl[i].fd = -1;
    double t0 = now_s(), last_progress = 0;
    size_t next = 0, flushed = 0, active = 0, finished = 0;
    /* the position of each running job in order[], for --sorted */
    int write_failed = 0;
    fflush(stdout);
    fflush(stderr);
    while ((next < ntodo || active) && !exitsig_pending()) {
        /* start jobs while there are free slots */
        while (active < o->jobs && next < ntodo && !write_failed) {
            unsigned i = 0;
            while (sl[i].pid)
                i++;
            int p[2];
            if (pipe(p) != 0) {
                snprintf(err, errlen, "cannot start a job: %s",
                         strerror(errno));
                write_failed = 1;
                break;
            }
            fflush(stdout);
            pid_t pid = fork();
            if (pid < 0) {
                close(p[0]);
                close(p[1]);
                snprintf(err, errlen, "cannot start a job: %s",
                         strerror(errno));
                write_failed = 1;
                break;
            }
            if (pid == 0) {
                close(p[0]);
                for (unsigned k = 0; k < o->jobs; k++)
                    if (sl[k].fd >= 0)
                        close(sl[k].fd);
                if (fd >= 0)
                    close(fd);
                job_main(base, g, order[next], o->fingerprint, p[1]);
            }
            close(p[1]);
            sl[i].pid = pid;
            sl[i].fd = p[0];
            sl[i].job = next; /* its position in order[] */
            sl[i].len = 0;
            next++;
            active++;
        }
        if (!active)
            break;
        struct pollfd pf[64];
        unsigned map[64], np = 0;
        for (unsigned i = 0; i < o->jobs && np < 64; i++)
            if (sl[i].pid && sl[i].fd >= 0) {
                pf[np].fd = sl[i].fd;
                pf[np].events = POLLIN;
                map[np++] = i;
            }
        int pr = poll(pf, np, o->progress ? 200 : 1000);
        if (pr < 0 && errno != EINTR) {
            snprintf(err, errlen, "poll: %s", strerror(errno));
            write_failed = 1;
        }
        for (unsigned q = 0; pr > 0 && q < np; q++) {
            if (!(pf[q].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            slot *s = &sl[map[q]];
            if (s->cap - s->len < 4096) {
                size_t nc = s->cap ? s->cap * 2 : 16384;
                char *nb = realloc(s->buf, nc);
                if (!nb) {
                    snprintf(err, errlen, "out of memory");
                    write_failed = 1;
                    continue;
                }
                s->buf = nb;
                s->cap = nc;
            }
            ssize_t r = read(s->fd, s->buf + s->len, s->cap - s->len);
            if (r < 0 && errno == EINTR)
                continue;
            if (r > 0) {
                s->len += (size_t)r;
                continue;
            }
            /* the job closed its end: it is over */
            close(s->fd);
            s->fd = -1;
            int status = 0;
            struct rusage ru;
            while (wait4(s->pid, &status, 0, &ru) < 0 && errno == EINTR)
                ;
            if (ru.ru_maxrss > st.max_rss_kb)
                st.max_rss_kb = ru.ru_maxrss;
            size_t j = order[s->job];
            s->pid = 0;
            active--;
            int ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
                     s->len > 0 && s->buf[s->len - 1] == '\n';
            if (!ok) {
                if (WIFSIGNALED(status) && exitsig_pending())
                    continue; /* stopped with us: not a failure */
                char label[512], shown[600];
                job_label(g, j, label, sizeof label);
                sanitize_text(shown, sizeof shown, label);
                if (o->progress)
                    fputs("\r\033[K", stderr);
                fprintf(stderr, "sgdscope: sweep job %zu (%s) failed (%s %d)\n",
                        j, shown,
                        WIFSIGNALED(status) ? "signal" : "status",
                        WIFSIGNALED(status) ? WTERMSIG(status)
                                            : WEXITSTATUS(status));
                st.failed++;
                finished++;
                if (held) {
                    held[s->job] = strdup("");
                }
            } else if (held) {
                held[s->job] = malloc(s->len + 1);
                if (held[s->job]) {
                    memcpy(held[s->job], s->buf, s->len);
                    held[s->job][s->len] = 0;
                }
                finished++;
                st.done++;
            } else {
                if (to_stdout) {
                    if (fwrite(s->buf, 1, s->len, stdout) != s->len ||
                        fflush(stdout) != 0)
                        write_failed = 2;
                } else if (write_all(fd, s->buf, s->len) != 0)
                    write_failed = 2;
                finished++;
                st.done++;
            }
            /* --sorted: write whatever is now in order */
            while (held && flushed < ntodo && held[flushed]) {
                size_t n = strlen(held[flushed]);
                if (to_stdout) {
                    if (fwrite(held[flushed], 1, n, stdout) != n ||
                        fflush(stdout) != 0)
                        write_failed = 2;
                } else if (write_all(fd, held[flushed], n) != 0)
                    write_failed = 2;
                free(held[flushed]);
                held[flushed] = (char *)"";
                flushed++;
            }
            if (write_failed == 2 && !err[0]) {
                char shown[SCENE_PATH_MAX];
                sanitize_text(shown, sizeof shown, o->out);
                snprintf(err, errlen, "cannot write '%s': %s",
                         to_stdout ? "stdout" : shown, strerror(errno ? errno : EIO));
            }
        }
        if (write_failed)
            break;
        if (o->progress && now_s() - last_progress >= 0.2) {
            progress_line(shard_resumed + finished, total, shard_resumed, t0,
                          0);
            last_progress = now_s();
        }
    }
    /* stopped early (a signal or a failure): stop the jobs in flight */
    for (unsigned i = 0; i < o->jobs; i++)
        if (sl[i].pid) {
            kill(sl[i].pid, SIGTERM);
            while (waitpid(sl[i].pid, NULL, 0) < 0 && errno == EINTR)
                ;
            if (sl[i].fd >= 0)
                close(sl[i].fd);
            sl[i].pid = 0;
        }
    st.seconds = now_s() - t0;
    if (o->progress && !exitsig_pending())
        progress_line(shard_resumed + finished, total, shard_resumed, t0, 1);
    else if (o->progress)
        fputs("\r\033[K", stderr);
    if (exitsig_pending())
        rc = 3;
    else if (write_failed)
        rc = 1;
    else if (st.failed) {
        snprintf(err, errlen, "%zu of %zu jobs failed (their lines are "
                 "missing; run the sweep again to retry them)",
                 st.failed, total);
        rc = 1;
    }
    if (held) {
        /* past the flushed ones every entry is NULL or malloc's */
        for (size_t k = flushed; k < ntodo; k++)
            free(held[k]);
    }
out:
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        snprintf(err, errlen, "cannot write the output: %s", strerror(errno));
        rc = 1;
    }
    if (sl)
        for (unsigned i = 0; i < o->jobs; i++)
            free(sl[i].buf);
    free(sl);
    free(held);
    free(order);
    free(count);
    if (o->stats)
        *o->stats = st;
    return rc;
}
