/* regfile.c — opening and reading user-named files safely; see
 * regfile.h. */
#include "regfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* What a file that is not a regular one is, for the error. */
static const char *regfile_kind(mode_t m)
{
    return S_ISDIR(m)    ? "a directory"
           : S_ISFIFO(m) ? "a FIFO"
           : S_ISCHR(m)  ? "a character device"
           : S_ISBLK(m)  ? "a block device"
           : S_ISSOCK(m) ? "a socket"
                         : "not a file";
}

FILE *regfile_open(const char *path, regfile_status *st, char *why,
                   size_t wlen)
{
    struct stat sb;
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
        *st = REGFILE_NOT_REGULAR;
        snprintf(why, wlen, "not a regular file: %s",
                 regfile_kind(sb.st_mode));
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &sb) != 0) {
        *st = REGFILE_IO;
        snprintf(why, wlen, "cannot open: %s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    if (!S_ISREG(sb.st_mode)) {
        *st = REGFILE_NOT_REGULAR;
        snprintf(why, wlen, "not a regular file: %s",
                 regfile_kind(sb.st_mode));
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    FILE *f = NULL;
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) != 0 ||
        !(f = fdopen(fd, "rb"))) {
        *st = REGFILE_IO;
        snprintf(why, wlen, "cannot open: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    *st = REGFILE_OK;
    return f;
}

regfile_status regfile_read(const char *path, size_t cap, char **text,
                            size_t *len, char *why, size_t wlen)
{
    regfile_status st;
    FILE *f = regfile_open(path, &st, why, wlen);
    if (!f)
        return st;
    /* cap + 1 bytes: reading one past the cap tells "too big" from "full" */
    char *buf = malloc(cap + 2);
    if (!buf) {
        fclose(f);
        snprintf(why, wlen, "out of memory");
        return REGFILE_NOMEM;
    }
    size_t n = fread(buf, 1, cap + 1, f);
    int err = ferror(f) ? errno : 0;
    fclose(f);
    if (err) {
        free(buf);
        snprintf(why, wlen, "cannot read: %s", strerror(err));
        return REGFILE_IO;
    }
    if (n > cap) {
        free(buf);
        snprintf(why, wlen, "file is larger than %zu bytes", cap);
        return REGFILE_TOO_BIG;
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return REGFILE_OK;
}
