/* outfile.c — output files that never clobber; see outfile.h for the
 * rules.
 *
 * The temporaries live in a fixed registry (paths in static arrays, a
 * sig_atomic_t flag per slot) rather than in the outfile structs, so a
 * signal handler can remove them with nothing but unlink, and atexit can
 * reach those of outputs that were never finished. */
#include "outfile.h"

#include "sanitize.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Links followed before giving up (Linux's own limit is 40). */
#define OUTFILE_MAX_HOPS 40

static char outfile_tmp[OUTFILE_SLOTS][OUTFILE_PATH_MAX];
static volatile sig_atomic_t outfile_used[OUTFILE_SLOTS];

void outfile_unlink_all(void)
{
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        if (outfile_used[i]) {
            unlink(outfile_tmp[i]);
            outfile_used[i] = 0;
        }
}

void outfile_forget_all(void)
{
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        outfile_used[i] = 0;
}

int outfile_pending(void)
{
    int n = 0;
    for (int i = 0; i < OUTFILE_SLOTS; i++)
        n += outfile_used[i] != 0;
    return n;
}

#define OUTFILE_SHOWN_MAX 1024

/* "cannot write 'PATH': WHY", naming the link's target too when PATH is
 * a symbolic link, so the user sees where the file would have gone. */
static void outfile_say(char *err, size_t errlen, const char *path,
                        const char *target, const char *why)
{
    if (!err || !errlen)
        return;
    /* paths come from users and scenes: shown sanitized (sanitize.h) */
    char p[OUTFILE_SHOWN_MAX], t[OUTFILE_SHOWN_MAX];
    sanitize_text(p, sizeof p, path);
    if (target && strcmp(target, path) != 0) {
        sanitize_text(t, sizeof t, target);
        snprintf(err, errlen, "cannot write '%s' (a link to '%s'): %s", p, t,
                 why);
    } else {
        snprintf(err, errlen, "cannot write '%s': %s", p, why);
    }
}

static const char *outfile_kind(mode_t m)
{
    if (S_ISDIR(m))
        return "it is a directory";
    if (S_ISFIFO(m))
        return "it is a FIFO (only a regular file is written)";
    if (S_ISSOCK(m))
        return "it is a socket (only a regular file is written)";
    if (S_ISCHR(m))
        return "it is a character device (only a regular file is written)";
    if (S_ISBLK(m))
        return "it is a block device (only a regular file is written)";
    return "it is not a regular file";
}

static void outfile_release(outfile *o)
{
    free(o->path);
    free(o->target);
    memset(o, 0, sizeof *o);
}

/* The file `path` finally names: symbolic links are followed one at a
 * time with readlink (a relative target is relative to the link's
 * directory), so a dangling link gives the path it points to, which the
 * caller then creates.  Returns 0 with the result in out (cap ≥
 * OUTFILE_PATH_MAX), or −1 with errno. */
static int outfile_resolve(const char *path, char *out)
{
    char link[OUTFILE_PATH_MAX];
    size_t n = strlen(path);
    if (n >= OUTFILE_PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    memcpy(out, path, n + 1);
    for (int hops = 0;; hops++) {
        struct stat st;
        if (lstat(out, &st) != 0)
            return errno == ENOENT ? 0 : -1; /* to be created */
        if (!S_ISLNK(st.st_mode))
            return 0;
        if (hops == OUTFILE_MAX_HOPS) {
            errno = ELOOP;
            return -1;
        }
        ssize_t len = readlink(out, link, sizeof link);
        if (len < 0)
            return -1;
        if ((size_t)len >= sizeof link) {
            errno = ENAMETOOLONG;
            return -1;
        }
        link[len] = 0;
        const char *slash = strrchr(out, '/');
        size_t dir = link[0] == '/' || !slash ? 0 : (size_t)(slash - out) + 1;
        if (dir + (size_t)len >= OUTFILE_PATH_MAX) {
            errno = ENAMETOOLONG;
            return -1;
        }
        memcpy(out + dir, link, (size_t)len + 1);
    }
}

/* Creates TARGET.XXXXXX and registers it, with every signal blocked in
 * between: a handler never sees a temporary that exists unregistered.
 * Returns the descriptor (1 + its slot in *slot), or −1 with errno. */
static int outfile_mktemp(const char *target, int *slot)
{
    static int atexit_done;
    size_t n = strlen(target);
    if (n + sizeof ".XXXXXX" > OUTFILE_PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    if (!atexit_done && atexit(outfile_unlink_all) == 0)
        atexit_done = 1;
    sigset_t all, old;
    sigfillset(&all);
    sigprocmask(SIG_BLOCK, &all, &old);
    int fd = -1, e = EMFILE, i = 0;
    while (i < OUTFILE_SLOTS && outfile_used[i])
        i++;
    *slot = 0;
    if (i < OUTFILE_SLOTS) {
        char *t = outfile_tmp[i];
        memcpy(t, target, n);
        memcpy(t + n, ".XXXXXX", sizeof ".XXXXXX");
        fd = mkstemp(t);
        e = errno;
        if (fd >= 0) {
            /* the name is complete before the flag says so */
            atomic_signal_fence(memory_order_seq_cst);
            outfile_used[i] = 1;
            *slot = i + 1;
        }
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    errno = e;
    return fd;
}

static void outfile_drop_temp(outfile *o, int remove)
{
    if (o->slot < 1 || o->slot > OUTFILE_SLOTS)
        return;
    int i = o->slot - 1;
    if (remove && outfile_used[i])
        unlink(outfile_tmp[i]);
    outfile_used[i] = 0;
    o->slot = 0;
}

/* The permissions the new file gets: an existing file's bits, owner and
 * group (chown succeeds only for root or for a group of ours; when the
 * owner cannot be kept, set-user-ID is dropped rather than handed to
 * us), or 0666 & ~umask for a new one, as fopen would give. */
static int outfile_set_mode(int fd, const struct stat *old)
{
    if (!old) {
        /* umask can only be read by setting it; single-threaded here */
        mode_t mask = umask(077);
        umask(mask);
        return fchmod(fd, 0666 & ~mask);
    }
    mode_t mode = old->st_mode & 07777;
    if (fchown(fd, old->st_uid, old->st_gid) != 0) {
        mode &= ~(mode_t)S_ISUID;
        if (fchown(fd, (uid_t)-1, old->st_gid) != 0)
            mode &= ~(mode_t)S_ISGID;
    }
    return fchmod(fd, mode);
}

/* A character device or FIFO written in place (OUTFILE_STREAM).
 * O_NONBLOCK makes a FIFO with no reader fail with ENXIO instead of
 * waiting for one; it is cleared once open so writes block as usual. */
static int outfile_open_stream(outfile *o, const char *path, char *err,
                               size_t errlen)
{
    int fd = open(path, O_WRONLY | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        outfile_say(err, errlen, path, NULL,
                    errno == ENXIO ? "it is a FIFO with no reader"
                                   : strerror(errno));
        return -1;
    }
    struct stat st;
    int fl = fcntl(fd, F_GETFL);
    if (fstat(fd, &st) != 0) {
        outfile_say(err, errlen, path, NULL, strerror(errno));
        close(fd);
        return -1;
    }
    if (!S_ISCHR(st.st_mode) && !S_ISFIFO(st.st_mode)) {
        /* swapped for something else since the stat: not a stream */
        outfile_say(err, errlen, path, NULL, outfile_kind(st.st_mode));
        close(fd);
        return -1;
    }
    o->path = strdup(path);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 || !o->path ||
        !(o->f = fdopen(fd, "w"))) {
        outfile_say(err, errlen, path, NULL,
                    strerror(o->path ? errno : ENOMEM));
        close(fd);
        outfile_release(o);
        return -1;
    }
    return 0;
}

int outfile_open(outfile *o, const char *path, int flags, char *err,
                 size_t errlen)
{
    memset(o, 0, sizeof *o);
    if (!path || !*path) {
        outfile_say(err, errlen, path ? path : "", NULL, strerror(ENOENT));
        return -1;
    }
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (!exists && errno != ENOENT) {
        outfile_say(err, errlen, path, NULL, strerror(errno));
        return -1;
    }
    if (exists && !S_ISREG(st.st_mode)) {
        if ((flags & OUTFILE_STREAM) &&
            (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
            return outfile_open_stream(o, path, err, errlen);
        outfile_say(err, errlen, path, NULL, outfile_kind(st.st_mode));
        return -1;
    }
    char target[OUTFILE_PATH_MAX];
    if (outfile_resolve(path, target) != 0) {
        outfile_say(err, errlen, path, NULL, strerror(errno));
        return -1;
    }
    if (exists && st.st_nlink > 1) {
        char why[128];
        snprintf(why, sizeof why,
                 "it has %ju hard links, and replacing it would split them "
                 "(remove it first, or write elsewhere)",
                 (uintmax_t)st.st_nlink);
        outfile_say(err, errlen, path, target, why);
        return -1;
    }
    /* The links were followed by hand; make sure they led to the file
     * stat found (a /proc/self/fd link to a deleted file would not). */
    struct stat ts;
    if (exists && (stat(target, &ts) != 0 || ts.st_dev != st.st_dev ||
                   ts.st_ino != st.st_ino)) {
        outfile_say(err, errlen, path, NULL,
                    "cannot tell which file it names");
        return -1;
    }
    o->path = strdup(path);
    o->target = strdup(target);
    if (!o->path || !o->target) {
        outfile_release(o);
        outfile_say(err, errlen, path, NULL, strerror(ENOMEM));
        return -1;
    }
    int fd = outfile_mktemp(target, &o->slot);
    if (fd < 0) {
        outfile_say(err, errlen, path, target, strerror(errno));
        outfile_release(o);
        return -1;
    }
    if (outfile_set_mode(fd, exists ? &st : NULL) != 0 ||
        !(o->f = fdopen(fd, "w"))) {
        outfile_say(err, errlen, path, target, strerror(errno));
        close(fd);
        outfile_discard(o);
        return -1;
    }
    return 0;
}

int outfile_check(outfile *o)
{
    if (!o->f)
        return -1;
    if (!ferror(o->f))
        return 0;
    if (!o->err)
        o->err = errno ? errno : EIO;
    return -1;
}

/* After the rename: the directory entry itself is made durable too, or a
 * crash could bring the old file back.  Best effort. */
static void outfile_sync_dir(const char *target)
{
    char dir[OUTFILE_PATH_MAX];
    const char *slash = strrchr(target, '/');
    if (!slash) {
        strcpy(dir, ".");
    } else {
        size_t n = slash == target ? 1 : (size_t)(slash - target);
        memcpy(dir, target, n);
        dir[n] = 0;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

int outfile_commit(outfile *o, char *err, size_t errlen)
{
    if (!o->f) {
        outfile_say(err, errlen, o->path ? o->path : "", NULL,
                    strerror(EBADF));
        outfile_discard(o);
        errno = EBADF;
        return -1;
    }
    int e = o->err; /* a writer's outfile_check saw it happen */
    const char *why = NULL;
    /* A failed write whose errno nobody kept: flushing what stdio still
     * holds usually fails the same way again, and tells why. */
    errno = 0;
    if ((fflush(o->f) != 0 || ferror(o->f)) && !e)
        e = errno ? errno : EIO;
    /* fsync before rename: otherwise a crash soon after can leave an
     * empty file under the final name on some filesystems */
    if (!e && o->slot && fsync(fileno(o->f)) != 0)
        e = errno;
    if (fclose(o->f) != 0 && !e)
        e = errno ? errno : EIO;
    o->f = NULL;
    if (!e && o->slot) {
        struct stat st;
        if (lstat(o->target, &st) == 0 &&
            (!S_ISREG(st.st_mode) || st.st_nlink > 1)) {
            e = EEXIST;
            why = S_ISREG(st.st_mode) ? "it gained hard links while being "
                                        "written; left as it was"
                                      : "it stopped being a regular file "
                                        "while being written; left as it was";
        } else if (rename(outfile_tmp[o->slot - 1], o->target) != 0) {
            e = errno;
        } else {
            outfile_drop_temp(o, 0);
            outfile_sync_dir(o->target);
        }
    }
    if (e) {
        outfile_say(err, errlen, o->path, o->target, why ? why : strerror(e));
        outfile_discard(o);
        errno = e;
        return -1;
    }
    outfile_release(o);
    return 0;
}

void outfile_discard(outfile *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
    outfile_drop_temp(o, 1);
    outfile_release(o);
}
