/* scenedir.c — finding and listing scenes; see scenedir.h. */
#include "scenedir.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sanitize.h"
#include "scene.h"

#ifndef SGDSCOPE_DATADIR
#define SGDSCOPE_DATADIR "/usr/local/share/sgdscope"
#endif

size_t scenedir_search_path(const char *dirs[SCENEDIR_MAX_DIRS])
{
    /* a copy: the entries are cut at ':' in place */
    static char env[4096];
    size_t n = 0;
    const char *e = getenv("SGDSCOPE_SCENES");
    snprintf(env, sizeof env, "%s", e ? e : "");
    for (char *p = env; *p && n < SCENEDIR_MAX_DIRS - 2;) {
        char *colon = strchr(p, ':');
        if (colon)
            *colon = '\0';
        if (*p)
            dirs[n++] = p;
        if (!colon)
            break;
        p = colon + 1;
    }
    dirs[n++] = "scenes";
    dirs[n++] = SGDSCOPE_DATADIR "/scenes";
    return n;
}

static int readable(const char *p)
{
    return access(p, R_OK) == 0;
}

int scenedir_find(const char *arg, char *out, size_t outlen)
{
    if (strchr(arg, '/') || readable(arg)) {
        snprintf(out, outlen, "%s", arg);
        return readable(arg) ? 0 : -1;
    }
    const char *dirs[SCENEDIR_MAX_DIRS];
    size_t nd = scenedir_search_path(dirs);
    size_t al = strlen(arg);
    /* a name with its extension (a scene, or a sweep file) is looked up
     * as it is; a bare name is a scene */
    int has_ext = al > 6 && (strcmp(arg + al - 6, ".scene") == 0 ||
                             strcmp(arg + al - 6, ".sweep") == 0);
    for (size_t i = 0; i < nd; i++) {
        snprintf(out, outlen, "%s/%s%s", dirs[i], arg,
                 has_ext ? "" : ".scene");
        if (readable(out))
            return 0;
    }
    snprintf(out, outlen, "%s", arg);
    return -1;
}

const char *scenedir_first(void)
{
    const char *dirs[SCENEDIR_MAX_DIRS];
    size_t nd = scenedir_search_path(dirs);
    for (size_t i = 0; i < nd; i++)
        if (readable(dirs[i]))
            return dirs[i];
    return NULL;
}

/* Names in natural order: runs of digits compare as numbers, so fig2
 * comes before fig10 as a reader expects (and the paper numbers them). */
static int natural_cmp(const char *x, const char *y)
{
    while (*x && *y) {
        if (*x >= '0' && *x <= '9' && *y >= '0' && *y <= '9') {
            while (*x == '0')
                x++;
            while (*y == '0')
                y++;
            size_t nx = strspn(x, "0123456789"), ny = strspn(y, "0123456789");
            if (nx != ny)
                return nx < ny ? -1 : 1;
            int c = strncmp(x, y, nx);
            if (c)
                return c;
            x += nx;
            y += ny;
            continue;
        }
        if (*x != *y)
            return (unsigned char)*x < (unsigned char)*y ? -1 : 1;
        x++;
        y++;
    }
    return *x ? 1 : *y ? -1 : 0;
}

static int cmp_entry(const void *a, const void *b)
{
    const char *x = ((const scenedir_entry *)a)->name;
    const char *y = ((const scenedir_entry *)b)->name;
    int c = natural_cmp(x, y);
    return c ? c : strcmp(x, y);
}

/* Adds the scenes of directory dir not already in out[0..n). */
static size_t collect_dir(const char *dir, scenedir_entry *out, size_t n,
                          size_t max)
{
    DIR *d = opendir(dir);
    if (!d)
        return n;
    struct dirent *de;
    while ((de = readdir(d)) && n < max) {
        size_t l = strlen(de->d_name);
        if (l <= 6 || strcmp(de->d_name + l - 6, ".scene") != 0)
            continue;
        char name[SCENE_NAME_MAX];
        snprintf(name, sizeof name, "%.*s", (int)(l - 6), de->d_name);
        int dup = 0;
        for (size_t k = 0; k < n && !dup; k++)
            dup = strcmp(out[k].name, name) == 0;
        if (dup)
            continue; /* an earlier directory shadows this one */
        scenedir_entry *en = &out[n];
        snprintf(en->name, sizeof en->name, "%s", name);
        snprintf(en->path, sizeof en->path, "%s/%s", dir, de->d_name);
        /* a scene too big for the stack: scenes carry 128 events */
        static scene s;
        scene_err e;
        scene_init(&s);
        en->ok = scene_load_file(&s, en->path, &e) == 0;
        if (en->ok)
            snprintf(en->title, sizeof en->title, "%s",
                     s.title[0] ? s.title : "(no title)");
        else if (e.line > 0)
            snprintf(en->title, sizeof en->title,
                     "(does not parse: line %d: %.*s)", e.line,
                     (int)sanitize_clip(e.msg, strlen(e.msg), 80), e.msg);
        else /* not read at all: not a regular file, unreadable */
            snprintf(en->title, sizeof en->title, "(%.*s)",
                     (int)sanitize_clip(e.msg, strlen(e.msg), 80), e.msg);
        n++;
    }
    closedir(d);
    return n;
}

size_t scenedir_collect(const char *extra, scenedir_entry *out, size_t max)
{
    const char *dirs[SCENEDIR_MAX_DIRS];
    size_t nd = scenedir_search_path(dirs), n = 0;
    /* $SGDSCOPE_SCENES first (it shadows), then extra, then the rest */
    size_t nenv = nd - 2;
    for (size_t i = 0; i < nenv; i++)
        n = collect_dir(dirs[i], out, n, max);
    if (extra && *extra)
        n = collect_dir(extra, out, n, max);
    for (size_t i = nenv; i < nd; i++)
        n = collect_dir(dirs[i], out, n, max);
    qsort(out, n, sizeof out[0], cmp_entry);
    return n;
}

/* Characters (not bytes) of UTF-8 text, for aligning columns. */
static int text_chars(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

size_t scenedir_list(FILE *out)
{
    static scenedir_entry list[SCENEDIR_MAX];
    /* File names and titles are anyone's text: shown sanitized, a
     * name's escapes counted in the column width. */
    static char names[SCENEDIR_MAX][SCENE_NAME_MAX * 4];
    size_t n = scenedir_collect(NULL, list, SCENEDIR_MAX);
    int w = 0;
    for (size_t k = 0; k < n; k++) {
        sanitize_text(names[k], sizeof names[k], list[k].name);
        if (text_chars(names[k]) > w)
            w = text_chars(names[k]);
    }
    for (size_t k = 0; k < n; k++) {
        fprintf(out, "%s%*s  ", names[k], w - text_chars(names[k]), "");
        sanitize_fputs(list[k].title, out);
        fputc('\n', out);
    }
    return n;
}

void scenedir_explain(FILE *out)
{
    const char *dirs[SCENEDIR_MAX_DIRS];
    size_t nd = scenedir_search_path(dirs);
    char cwd[SCENE_PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        snprintf(cwd, sizeof cwd, ".");
    fprintf(out, "sgdscope: no scenes found; looked in:\n");
    if (nd == 2)
        fprintf(out, "  $SGDSCOPE_SCENES  (not set)\n");
    for (size_t i = 0; i < nd; i++) {
        const char *why = access(dirs[i], R_OK) == 0 ? "no *.scene files"
                                                     : "does not exist";
        /* directories come from the environment: shown sanitized */
        fputs("  ", out);
        sanitize_fputs(strcmp(dirs[i], "scenes") == 0 ? cwd : dirs[i], out);
        fprintf(out, "%s  (%s)\n",
                strcmp(dirs[i], "scenes") == 0 ? "/scenes" : "", why);
    }
    fprintf(out, "Set SGDSCOPE_SCENES=DIR[:DIR...] to add directories, run "
                 "from the source tree (./scenes), or install the data "
                 "directory (make install puts the shipped scenes in %s)."
                 "\n", SGDSCOPE_DATADIR "/scenes");
}
