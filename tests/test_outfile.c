/* test_outfile.c — output files (outfile.h) and terminating signals
 * (exitsig.h), issue 8 items 1, 3, 5 and 6: what sits at the path is never
 * clobbered (devices, FIFOs, sockets, directories, hard links refused;
 * symlinks followed; permissions and owner kept), nothing half written
 * or temporary is ever left, a signal is recorded, cleaned up after and
 * re-raised with the real status.
 *
 * Device nodes are private copies made with mknod in the test's own
 * directory (root only; skipped with a message otherwise), never the
 * system's. */
#include "testutil.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "app.h"
#include "exitsig.h"
#include "outfile.h"
#include "scene.h"

static char dir[256];

static int setup(void **st)
{
    (void)st;
    snprintf(dir, sizeof dir, "/tmp/sgdscope-outfile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **st)
{
    (void)st;
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* dir/name into buf. */
static const char *at(char *buf, size_t cap, const char *name)
{
    snprintf(buf, cap, "%s/%s", dir, name);
    return buf;
}

static void put(const char *path, const char *text, mode_t mode)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static const char *slurp(const char *path)
{
    static char buf[4096];
    FILE *f = fopen(path, "r");
    size_t n = 0;
    if (f) {
        n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
    }
    buf[n] = 0;
    return buf;
}

/* The names in d (one level, sorted, space separated), "." and ".."
 * left out. */
static const char *names_in(const char *d)
{
    static char out[2048];
    struct dirent **list;
    int n = scandir(d, &list, NULL, alphasort);
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(list[i]->d_name, ".") && strcmp(list[i]->d_name, "..")) {
            if (out[0])
                strcat(out, " ");
            strcat(out, list[i]->d_name);
        }
        free(list[i]);
    }
    free(list);
    return out;
}

/* Writes text through an outfile for path and commits; 0 or −1. */
static int write_via(const char *path, int flags, const char *text,
                     char *err, size_t errlen)
{
    outfile o;
    if (outfile_open(&o, path, flags, err, errlen) != 0)
        return -1;
    fputs(text, o.f);
    return outfile_commit(&o, err, errlen);
}

static mode_t umask_now(void)
{
    mode_t m = umask(077);
    umask(m);
    return m;
}

/* ---- regular files ------------------------------------------------------ */

/* A new file appears only at commit, whole, with fopen's permissions;
 * meanwhile one temporary sits next to it. */
static void test_new_file(void **st)
{
    (void)st;
    char p[512], err[512];
    outfile o;
    at(p, sizeof p, "new.csv");
    assert_int_equal(outfile_open(&o, p, 0, err, sizeof err), 0);
    fputs("a,b\n1,2\n", o.f);
    assert_int_equal(outfile_pending(), 1);
    const char *ls = names_in(dir);
    assert_int_equal(strlen(ls), strlen("new.csv.XXXXXX"));
    assert_memory_equal(ls, "new.csv.", 8);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    assert_int_equal(outfile_pending(), 0);
    assert_string_equal(names_in(dir), "new.csv");
    assert_string_equal(slurp(p), "a,b\n1,2\n");
    struct stat s;
    assert_int_equal(stat(p, &s), 0);
    assert_int_equal(s.st_mode & 07777, 0666 & ~umask_now());
    assert_null(o.f);
    outfile_discard(&o); /* after commit: harmless */
    assert_string_equal(slurp(p), "a,b\n1,2\n");
}

/* An existing file keeps its permission bits (a 0600 file stays 0600,
 * not 0644), and its owner and group where the process may set them. */
static void test_keeps_mode_and_owner(void **st)
{
    (void)st;
    char p[512], err[512];
    at(p, sizeof p, "secret.cast");
    const mode_t modes[] = {0600, 0640, 0444, 0604};
    for (size_t i = 0; i < sizeof modes / sizeof *modes; i++) {
        put(p, "old", modes[i]);
        assert_int_equal(write_via(p, 0, "new", err, sizeof err), 0);
        struct stat s;
        assert_int_equal(stat(p, &s), 0);
        assert_int_equal(s.st_mode & 07777, modes[i]);
        assert_string_equal(slurp(p), "new");
    }
    if (geteuid() != 0) {
        print_message("not root: owner preservation not tested\n");
        return;
    }
    put(p, "old", 0640);
    assert_int_equal(chown(p, 65534, 65534), 0);
    assert_int_equal(write_via(p, 0, "new", err, sizeof err), 0);
    struct stat s;
    assert_int_equal(stat(p, &s), 0);
    assert_int_equal(s.st_uid, 65534);
    assert_int_equal(s.st_gid, 65534);
    assert_int_equal(s.st_mode & 07777, 0640);
}

/* A discarded output leaves the earlier file exactly as it was. */
static void test_discard_keeps_old(void **st)
{
    (void)st;
    char p[512], err[512];
    outfile o;
    at(p, sizeof p, "keep.cast");
    put(p, "earlier recording", 0644);
    assert_int_equal(outfile_open(&o, p, 0, err, sizeof err), 0);
    fputs("half a new one", o.f);
    outfile_discard(&o);
    outfile_discard(&o); /* twice is harmless */
    assert_string_equal(names_in(dir), "keep.cast");
    assert_string_equal(slurp(p), "earlier recording");
}

/* A write that fails (here: past RLIMIT_FSIZE, EFBIG) fails the commit
 * with the reason, removes the temporary and keeps the earlier file. */
static void test_write_error_keeps_old(void **st)
{
    (void)st;
    char p[512], err[512];
    outfile o;
    at(p, sizeof p, "big.csv");
    put(p, "earlier", 0644);
    struct rlimit old, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    small = old;
    small.rlim_cur = 1000;
    void (*was)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    assert_int_equal(outfile_open(&o, p, 0, err, sizeof err), 0);
    for (int i = 0; i < 1000; i++)
        fputs("0123456789", o.f);
    int rc = outfile_commit(&o, err, sizeof err);
    int e = errno;
    setrlimit(RLIMIT_FSIZE, &old);
    signal(SIGXFSZ, was);
    assert_int_equal(rc, -1);
    assert_int_equal(e, EFBIG);
    char want[700];
    snprintf(want, sizeof want, "cannot write '%s': %s", p, strerror(EFBIG));
    assert_string_equal(err, want);
    assert_string_equal(names_in(dir), "big.csv");
    assert_string_equal(slurp(p), "earlier");
}

/* The target is checked again before the rename: one that became a FIFO
 * while the run went on is not replaced. */
static void test_recheck_before_rename(void **st)
{
    (void)st;
    char p[512], err[512];
    outfile o;
    at(p, sizeof p, "swap.cast");
    put(p, "old", 0644);
    assert_int_equal(outfile_open(&o, p, 0, err, sizeof err), 0);
    fputs("new", o.f);
    assert_int_equal(unlink(p), 0);
    assert_int_equal(mkfifo(p, 0644), 0);
    assert_int_equal(outfile_commit(&o, err, sizeof err), -1);
    assert_non_null(strstr(err, "stopped being a regular file"));
    struct stat s;
    assert_int_equal(lstat(p, &s), 0);
    assert_true(S_ISFIFO(s.st_mode));
    assert_string_equal(names_in(dir), "swap.cast");
}

/* ---- symbolic and hard links ------------------------------------------- */

/* A link is followed: the file lands where it points (the temporary in
 * the target's directory, so the rename stays in one directory), the
 * link stays a link, the target keeps its mode. */
static void test_symlink_followed(void **st)
{
    (void)st;
    char a[512], b[512], link[512], real[512], err[512];
    outfile o;
    at(a, sizeof a, "a");
    at(b, sizeof b, "b");
    assert_int_equal(mkdir(a, 0755), 0);
    assert_int_equal(mkdir(b, 0755), 0);
    at(real, sizeof real, "b/real.cast");
    at(link, sizeof link, "a/link.cast");
    put(real, "old", 0600);
    assert_int_equal(symlink("../b/real.cast", link), 0);
    assert_int_equal(outfile_open(&o, link, 0, err, sizeof err), 0);
    fputs("new", o.f);
    assert_string_equal(names_in(a), "link.cast");
    assert_int_equal(strlen(names_in(b)),
                     strlen("real.cast real.cast.XXXXXX"));
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    struct stat s;
    assert_int_equal(lstat(link, &s), 0);
    assert_true(S_ISLNK(s.st_mode));
    char to[256];
    ssize_t n = readlink(link, to, sizeof to - 1);
    assert_true(n > 0);
    to[n] = 0;
    assert_string_equal(to, "../b/real.cast");
    assert_string_equal(slurp(real), "new");
    assert_int_equal(stat(real, &s), 0);
    assert_int_equal(s.st_mode & 07777, 0600);
    assert_string_equal(names_in(b), "real.cast");

    /* a chain of links, the last one absolute */
    char l2[512];
    at(l2, sizeof l2, "l2");
    assert_int_equal(symlink(link, l2), 0);
    assert_int_equal(write_via(l2, 0, "newer", err, sizeof err), 0);
    assert_string_equal(slurp(real), "newer");
    assert_int_equal(lstat(l2, &s), 0);
    assert_true(S_ISLNK(s.st_mode));

    /* a dangling link: the file is created where it points */
    char dang[512], made[512];
    at(dang, sizeof dang, "dangling");
    at(made, sizeof made, "b/made.csv");
    assert_int_equal(symlink("b/made.csv", dang), 0);
    assert_int_equal(write_via(dang, 0, "x", err, sizeof err), 0);
    assert_string_equal(slurp(made), "x");
    assert_int_equal(lstat(dang, &s), 0);
    assert_true(S_ISLNK(s.st_mode));
    assert_int_equal(lstat(made, &s), 0);
    assert_true(S_ISREG(s.st_mode));

    /* a loop of links is an error, not a hang */
    char x[512], y[512];
    at(x, sizeof x, "x");
    at(y, sizeof y, "y");
    assert_int_equal(symlink("y", x), 0);
    assert_int_equal(symlink("x", y), 0);
    assert_int_equal(write_via(x, 0, "z", err, sizeof err), -1);
    assert_non_null(strstr(err, strerror(ELOOP)));

    /* a link to something that is not a regular file is refused as that
     * thing would be */
    char ld[512];
    at(ld, sizeof ld, "linkdir");
    assert_int_equal(symlink("a", ld), 0);
    assert_int_equal(write_via(ld, 0, "z", err, sizeof err), -1);
    assert_non_null(strstr(err, "it is a directory"));
}

/* One name of a hard-linked pair is refused (both keep their data). */
static void test_hard_link_refused(void **st)
{
    (void)st;
    char p[512], q[512], err[512];
    at(p, sizeof p, "one.cast");
    at(q, sizeof q, "two.cast");
    put(p, "shared", 0644);
    assert_int_equal(link(p, q), 0);
    assert_int_equal(write_via(q, 0, "new", err, sizeof err), -1);
    assert_non_null(strstr(err, q));
    assert_non_null(strstr(err, "2 hard links"));
    assert_int_equal(write_via(q, OUTFILE_STREAM, "new", err, sizeof err),
                     -1);
    assert_string_equal(slurp(p), "shared");
    assert_string_equal(slurp(q), "shared");
    struct stat s;
    assert_int_equal(stat(p, &s), 0);
    assert_int_equal(s.st_nlink, 2);
    assert_string_equal(names_in(dir), "one.cast two.cast");
}

/* ---- what is not a regular file ---------------------------------------- */

static void expect_refused(const char *path, int flags, const char *why)
{
    char err[512];
    outfile o;
    if (outfile_open(&o, path, flags, err, sizeof err) == 0) {
        outfile_discard(&o);
        fail_msg("'%s' was accepted (flags %d)", path, flags);
    }
    if (!strstr(err, path) || !strstr(err, why))
        fail_msg("'%s': message '%s' lacks '%s'", path, err, why);
    assert_int_equal(outfile_pending(), 0);
}

/* Directories, FIFOs, sockets and devices are refused, and stay what
 * they were; a FIFO is never opened, so nothing blocks. */
static void test_refuses_non_regular(void **st)
{
    (void)st;
    char d[512], fifo[512], sock[512];
    at(d, sizeof d, "d");
    at(fifo, sizeof fifo, "fifo");
    at(sock, sizeof sock, "sock");
    assert_int_equal(mkdir(d, 0755), 0);
    assert_int_equal(mkfifo(fifo, 0644), 0);
    int s = socket(AF_UNIX, SOCK_STREAM, 0);
    assert_true(s >= 0);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    assert_true(strlen(sock) < sizeof sa.sun_path);
    memcpy(sa.sun_path, sock, strlen(sock) + 1);
    assert_int_equal(bind(s, (struct sockaddr *)&sa, sizeof sa), 0);

    expect_refused(d, 0, "it is a directory");
    expect_refused(d, OUTFILE_STREAM, "it is a directory");
    expect_refused(fifo, 0, "it is a FIFO");
    expect_refused(sock, 0, "it is a socket");
    expect_refused(sock, OUTFILE_STREAM, "it is a socket");
    /* as a stream, a FIFO nobody reads is refused at once */
    expect_refused(fifo, OUTFILE_STREAM, "a FIFO with no reader");
    close(s);

    struct stat sb;
    assert_int_equal(lstat(fifo, &sb), 0);
    assert_true(S_ISFIFO(sb.st_mode));
    assert_int_equal(lstat(sock, &sb), 0);
    assert_true(S_ISSOCK(sb.st_mode));
    assert_int_equal(lstat(d, &sb), 0);
    assert_true(S_ISDIR(sb.st_mode));
    assert_string_equal(names_in(dir), "d fifo sock");

    if (geteuid() != 0) {
        print_message("not root: no private device nodes, skipping those\n");
        return;
    }
    /* private copies of /dev/full (1,7) and /dev/null (1,3), and a block
     * device node that is never opened (loop0, 7,0) */
    char full[512], null[512], blk[512];
    at(full, sizeof full, "full");
    at(null, sizeof null, "null");
    at(blk, sizeof blk, "blk");
    assert_int_equal(mknod(full, S_IFCHR | 0666, makedev(1, 7)), 0);
    assert_int_equal(mknod(null, S_IFCHR | 0666, makedev(1, 3)), 0);
    assert_int_equal(mknod(blk, S_IFBLK | 0600, makedev(7, 0)), 0);
    expect_refused(full, 0, "it is a character device");
    expect_refused(null, 0, "it is a character device");
    expect_refused(blk, 0, "it is a block device");
    expect_refused(blk, OUTFILE_STREAM, "it is a block device");
    assert_int_equal(lstat(full, &sb), 0);
    assert_true(S_ISCHR(sb.st_mode));
    assert_int_equal(sb.st_rdev, makedev(1, 7));
}

/* OUTFILE_STREAM (--csv): a character device or a FIFO with a reader is
 * written in place, never replaced; a write error is the commit's. */
static void test_stream_in_place(void **st)
{
    (void)st;
    char fifo[512], err[512];
    outfile o;
    at(fifo, sizeof fifo, "fifo");
    assert_int_equal(mkfifo(fifo, 0644), 0);
    int r = open(fifo, O_RDONLY | O_NONBLOCK);
    assert_true(r >= 0);
    assert_int_equal(outfile_open(&o, fifo, OUTFILE_STREAM, err, sizeof err),
                     0);
    assert_int_equal(outfile_pending(), 0); /* no temporary */
    fputs("row\n", o.f);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    char got[16] = {0};
    assert_int_equal(read(r, got, sizeof got - 1), 4);
    assert_string_equal(got, "row\n");
    close(r);
    struct stat s;
    assert_int_equal(lstat(fifo, &s), 0);
    assert_true(S_ISFIFO(s.st_mode));

    if (geteuid() != 0) {
        print_message("not root: no private device nodes, skipping those\n");
        return;
    }
    char full[512], null[512];
    at(full, sizeof full, "full");
    at(null, sizeof null, "null");
    assert_int_equal(mknod(full, S_IFCHR | 0666, makedev(1, 7)), 0);
    assert_int_equal(mknod(null, S_IFCHR | 0666, makedev(1, 3)), 0);
    if (outfile_open(&o, null, OUTFILE_STREAM, err, sizeof err) != 0) {
        /* a filesystem mounted nodev refuses to open device nodes */
        print_message("device nodes cannot be opened here (%s); skipping\n",
                      err);
        return;
    }
    fputs("gone\n", o.f);
    assert_int_equal(outfile_commit(&o, err, sizeof err), 0);
    assert_int_equal(write_via(full, OUTFILE_STREAM, "x", err, sizeof err),
                     -1);
    char want[700];
    snprintf(want, sizeof want, "cannot write '%s': %s", full,
             strerror(ENOSPC));
    assert_string_equal(err, want);
    /* outfile_check finds the failed write as soon as stdio does */
    assert_int_equal(outfile_open(&o, full, OUTFILE_STREAM, err, sizeof err),
                     0);
    assert_int_equal(outfile_check(&o), 0);
    for (int i = 0; i < 2000 && outfile_check(&o) == 0; i++)
        fputs("0123456789", o.f);
    assert_int_equal(outfile_check(&o), -1);
    assert_int_equal(o.err, ENOSPC);
    outfile_discard(&o);
    assert_int_equal(lstat(full, &s), 0);
    assert_true(S_ISCHR(s.st_mode));
    assert_int_equal(s.st_rdev, makedev(1, 7));
    assert_string_equal(names_in(dir), "fifo full null");
}

/* ---- the registry of temporaries ----------------------------------------- */

/* outfile_unlink_all (the handlers' and atexit's) removes every
 * temporary; a zeroed outfile owns none, so discarding it touches
 * nobody else's. */
static void test_registry(void **st)
{
    (void)st;
    char p[512], q[512], err[512];
    outfile a, b, zero;
    memset(&zero, 0, sizeof zero);
    at(p, sizeof p, "p.cast");
    at(q, sizeof q, "q.csv");
    assert_int_equal(outfile_open(&a, p, 0, err, sizeof err), 0);
    assert_int_equal(outfile_open(&b, q, 0, err, sizeof err), 0);
    assert_int_equal(outfile_pending(), 2);
    outfile_discard(&zero);
    assert_int_equal(outfile_pending(), 2);
    assert_int_equal(strlen(names_in(dir)),
                     strlen("p.cast.XXXXXX q.csv.XXXXXX"));
    outfile_unlink_all();
    assert_int_equal(outfile_pending(), 0);
    assert_string_equal(names_in(dir), "");
    outfile_discard(&a);
    outfile_discard(&b);
    assert_string_equal(names_in(dir), "");
}

/* ---- terminating signals (in a child: they end it) ------------------------ */

/* Forks; the child runs fn(arg) and _exits with what it returns (or
 * dies).  Returns the wait status. */
static int in_child(int (*fn)(int), int arg)
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* no core files from the crash case */
        struct rlimit rl = {0, 0};
        setrlimit(RLIMIT_CORE, &rl);
        /* exitsig keeps a signal the parent ignored ignored (nohup, or
         * SIGINT and SIGQUIT in a background job of a script): start
         * from the defaults, whatever ran the tests */
        const int sigs[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGUSR1,
                            SIGUSR2, SIGALRM, SIGPIPE, SIGXFSZ};
        for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++)
            signal(sigs[i], SIG_DFL);
        _exit(fn(arg));
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

/* Records signal sig while a recording is being written: the handler
 * only notes it; then the main path discards and re-raises. */
static int child_reraise(int sig)
{
    char p[512], err[512];
    outfile o;
    exitsig_install();
    if (outfile_open(&o, at(p, sizeof p, "rec.cast"), 0, err, sizeof err))
        return 10;
    fputs("partial", o.f);
    raise(sig);
    if (exitsig_pending() != sig)
        return 11;
    if (outfile_pending() != 1)
        return 12; /* the handler must not have touched it */
    outfile_discard(&o);
    exitsig_reraise();
    return 13; /* not reached */
}

static void test_signal_reraised(void **st)
{
    (void)st;
    const int sigs[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGUSR1,
                        SIGUSR2, SIGALRM, SIGPIPE, SIGXFSZ};
    char p[512];
    at(p, sizeof p, "rec.cast");
    put(p, "earlier", 0600);
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        int status = in_child(child_reraise, sigs[i]);
        if (!WIFSIGNALED(status) || WTERMSIG(status) != sigs[i])
            fail_msg("signal %d: status %#x (exit %d)", sigs[i], status,
                     WIFEXITED(status) ? WEXITSTATUS(status) : -1);
        /* no core: it would only show the clean-up code */
        assert_false(WCOREDUMP(status));
        assert_string_equal(names_in(dir), "rec.cast");
        assert_string_equal(slurp(p), "earlier");
    }
}

/* A second signal while the first is pending: the handler itself removes
 * the temporaries and dies of the second. */
static int child_second(int unused)
{
    (void)unused;
    char p[512], err[512];
    outfile o;
    exitsig_install();
    if (outfile_open(&o, at(p, sizeof p, "rec.cast"), 0, err, sizeof err))
        return 10;
    raise(SIGTERM);
    raise(SIGINT); /* dies here */
    return 11;
}

/* A crash removes them too, and keeps its own status. */
static int child_crash(int unused)
{
    (void)unused;
    char p[512], err[512];
    outfile o;
    exitsig_install();
    if (outfile_open(&o, at(p, sizeof p, "rec.cast"), 0, err, sizeof err))
        return 10;
    abort();
}

/* A real fault: cleaned up in the handler, then the fault happens again
 * under the action that was there before (the default, or a sanitizer
 * that reports and aborts). */
static int child_segv(int unused)
{
    (void)unused;
    char p[512], err[512];
    outfile o;
    /* as in the app: cmocka's own handler (which would carry on with
     * the tests in this child) is not there */
    signal(SIGSEGV, SIG_DFL);
    exitsig_install();
    if (outfile_open(&o, at(p, sizeof p, "rec.cast"), 0, err, sizeof err))
        return 10;
    int null = open("/dev/null", O_WRONLY);
    if (null >= 0)
        dup2(null, 2); /* a sanitizer's report is expected noise */
    volatile int *page = mmap(NULL, 4096, PROT_NONE,
                              MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (page == MAP_FAILED)
        return 11;
    *page = 1;
    return 12;
}

/* exit() from anywhere: atexit removes them. */
static int child_exit(int unused)
{
    (void)unused;
    char p[512], err[512];
    outfile o;
    if (outfile_open(&o, at(p, sizeof p, "rec.cast"), 0, err, sizeof err))
        return 10;
    exit(3);
}

/* A signal ignored at start (nohup) stays ignored. */
static int child_ignored(int unused)
{
    (void)unused;
    signal(SIGHUP, SIG_IGN);
    exitsig_install();
    raise(SIGHUP);
    return exitsig_pending() == 0 ? 0 : 10;
}

static void test_signal_hard_ways(void **st)
{
    (void)st;
    int status = in_child(child_second, 0);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGINT);
    assert_string_equal(names_in(dir), "");

    status = in_child(child_crash, 0);
    assert_true(WIFSIGNALED(status));
    assert_int_equal(WTERMSIG(status), SIGABRT);
    assert_string_equal(names_in(dir), "");

    status = in_child(child_segv, 0);
    assert_true(WIFSIGNALED(status));
    if (WTERMSIG(status) != SIGSEGV && WTERMSIG(status) != SIGABRT)
        fail_msg("a fault ended with signal %d", WTERMSIG(status));
    assert_string_equal(names_in(dir), "");

    status = in_child(child_exit, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 3);
    assert_string_equal(names_in(dir), "");

    status = in_child(child_ignored, 0);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
}

/* ---- the `e` export follows the same rules ------------------------------- */

static void test_export_rules(void **st)
{
    (void)st;
    static scene sc;
    static app a;
    scene_err e;
    char err[512], p[512], fifo[512], lnk[512], hard[512];
    scene_init(&sc);
    assert_int_equal(scene_set(&sc, "model=quad1d", &e), 0);
    assert_int_equal(scene_set(&sc, "steps=100", &e), 0);
    assert_int_equal(scene_finalize(&sc, &e), 0);
    assert_int_equal(app_open(&a, &sc, NULL, err, sizeof err), 0);
    a.headless = 1;
    app_run_to(&a, 100);

    at(fifo, sizeof fifo, "e.fifo");
    assert_int_equal(mkfifo(fifo, 0644), 0);
    assert_int_equal(app_export_csv(&a, fifo, err, sizeof err), -1);
    assert_non_null(strstr(err, "it is a FIFO"));

    at(p, sizeof p, "real.csv");
    at(lnk, sizeof lnk, "link.csv");
    put(p, "old", 0600);
    assert_int_equal(symlink("real.csv", lnk), 0);
    assert_int_equal(app_export_csv(&a, lnk, err, sizeof err), 0);
    struct stat s;
    assert_int_equal(lstat(lnk, &s), 0);
    assert_true(S_ISLNK(s.st_mode));
    assert_int_equal(stat(p, &s), 0);
    assert_int_equal(s.st_mode & 07777, 0600);
    assert_memory_equal(slurp(p), "run,step,eta,", 13);

    at(hard, sizeof hard, "hard.csv");
    assert_int_equal(link(p, hard), 0);
    assert_int_equal(app_export_csv(&a, hard, err, sizeof err), -1);
    assert_non_null(strstr(err, "hard links"));
    assert_int_equal(outfile_pending(), 0);
    assert_string_equal(names_in(dir), "e.fifo hard.csv link.csv real.csv");
    app_close(&a);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(test_new_file),
        T(test_keeps_mode_and_owner),
        T(test_discard_keeps_old),
        T(test_write_error_keeps_old),
        T(test_recheck_before_rename),
        T(test_symlink_followed),
        T(test_hard_link_refused),
        T(test_refuses_non_regular),
        T(test_stream_in_place),
        T(test_registry),
        T(test_signal_reraised),
        T(test_signal_hard_ways),
        T(test_export_rules),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
