/* A write journal for the power-loss test (tests/durability/test_power_loss.py), loaded with
 * LD_PRELOAD into a process that saves registrations.
 *
 * For every file of the watched folder whose name ends in .db, -wal or -journal it appends to the
 * journal file (SYNCSHIM_LOG) each write (file, offset, bytes), each truncation, and each fsync or
 * fdatasync *after it returned*. The test then rebuilds the files as a power cut would leave them:
 * only what an fsync had made durable (and, in a second image, any subset of the rest).
 *
 * Record: 1 byte kind ('W' write, 'T' truncate, 'S' sync), 4 bytes path length, the path, 8 bytes
 * offset (or new size), 4 bytes data length, the data. Little endian. A record is appended with one
 * write(); a record cut by the kill is the last one and is dropped by the reader.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#define MAX_FD 4096

static char *tracked[MAX_FD];
static int log_fd = -1;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off64_t);
static int (*real_open64)(const char *, int, ...);
static int (*real_open)(const char *, int, ...);
static int (*real_openat)(int, const char *, int, ...);
static int (*real_close)(int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);
static int (*real_ftruncate64)(int, off64_t);

static void init(void) {
    if (real_write) return;
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_open64 = dlsym(RTLD_NEXT, "open64");
    real_open = dlsym(RTLD_NEXT, "open");
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_close = dlsym(RTLD_NEXT, "close");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    real_ftruncate64 = dlsym(RTLD_NEXT, "ftruncate64");
    const char *path = getenv("SYNCSHIM_LOG");
    if (path) log_fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
}

static int ends_with(const char *s, const char *tail) {
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

static void maybe_track(int fd, const char *path) {
    const char *dir = getenv("SYNCSHIM_DIR");
    if (fd < 0 || fd >= MAX_FD || !dir || !path) return;
    char full[PATH_MAX];
    if (path[0] == '/') {
        strncpy(full, path, sizeof full - 1);
        full[sizeof full - 1] = 0;
    } else if (!realpath(path, full)) {
        return;
    }
    size_t d = strlen(dir);
    if (strncmp(full, dir, d) != 0 || full[d] != '/') return;
    if (!(ends_with(full, ".db") || ends_with(full, "-wal") || ends_with(full, "-journal"))) return;
    pthread_mutex_lock(&lock);
    free(tracked[fd]);
    tracked[fd] = strdup(full + d + 1);   /* the name inside the folder */
    pthread_mutex_unlock(&lock);
}

static void record(char kind, int fd, int64_t offset, const void *data, uint32_t len) {
    if (log_fd < 0 || fd < 0 || fd >= MAX_FD) return;
    pthread_mutex_lock(&lock);
    const char *name = tracked[fd];
    if (name) {
        uint32_t n = strlen(name);
        size_t size = 1 + 4 + n + 8 + 4 + len;
        char *buf = malloc(size), *p = buf;
        *p++ = kind;
        memcpy(p, &n, 4); p += 4;
        memcpy(p, name, n); p += n;
        memcpy(p, &offset, 8); p += 8;
        memcpy(p, &len, 4); p += 4;
        if (len) memcpy(p, data, len);
        real_write(log_fd, buf, size);
        free(buf);
    }
    pthread_mutex_unlock(&lock);
}

int open64(const char *path, int flags, ...) {
    init();
    mode_t mode = 0;
    if (flags & O_CREAT) { va_list ap; va_start(ap, flags); mode = va_arg(ap, int); va_end(ap); }
    int fd = real_open64(path, flags, mode);
    maybe_track(fd, path);
    return fd;
}

int open(const char *path, int flags, ...) {
    init();
    mode_t mode = 0;
    if (flags & O_CREAT) { va_list ap; va_start(ap, flags); mode = va_arg(ap, int); va_end(ap); }
    int fd = real_open(path, flags, mode);
    maybe_track(fd, path);
    return fd;
}

int openat(int dirfd, const char *path, int flags, ...) {
    init();
    mode_t mode = 0;
    if (flags & O_CREAT) { va_list ap; va_start(ap, flags); mode = va_arg(ap, int); va_end(ap); }
    int fd = real_openat(dirfd, path, flags, mode);
    if (dirfd == AT_FDCWD || path[0] == '/') maybe_track(fd, path);
    return fd;
}

int close(int fd) {
    init();
    if (fd >= 0 && fd < MAX_FD) {
        pthread_mutex_lock(&lock);
        free(tracked[fd]);
        tracked[fd] = NULL;
        pthread_mutex_unlock(&lock);
    }
    return real_close(fd);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
    init();
    record('W', fd, offset, buf, (uint32_t)count);
    return real_pwrite64(fd, buf, count, offset);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    return pwrite64(fd, buf, count, offset);
}

ssize_t write(int fd, const void *buf, size_t count) {
    init();
    if (fd >= 0 && fd < MAX_FD && tracked[fd]) {
        off_t at = lseek(fd, 0, SEEK_CUR);
        record('W', fd, at, buf, (uint32_t)count);
    }
    return real_write(fd, buf, count);
}

int ftruncate64(int fd, off64_t length) {
    init();
    record('T', fd, length, NULL, 0);
    return real_ftruncate64(fd, length);
}

int ftruncate(int fd, off_t length) {
    return ftruncate64(fd, length);
}

int fsync(int fd) {
    init();
    int rc = real_fsync(fd);
    if (rc == 0) record('S', fd, 0, NULL, 0);
    return rc;
}

int fdatasync(int fd) {
    init();
    int rc = real_fdatasync(fd);
    if (rc == 0) record('S', fd, 0, NULL, 0);
    return rc;
}
