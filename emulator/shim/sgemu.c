/*
 * libsgemu_preload.so — LD_PRELOAD shim connecting unmodified Linux burning
 * programs (cdrdao, wodim, cdrskin/xorriso, sg3_utils) to the rawcd emulator
 * server, with no kernel module and no root (real-clients.md §5).
 *
 * Fake device nodes /dev/sgN, /dev/srN, /dev/scdN (N = $RAWCD_EMULATOR_DEVNUM,
 * default 9; SCSI address N:0:0:0) are answered here:
 *   - open*: a connection to $RAWCD_EMULATOR_SOCKET with an OPEN handshake
 *     (the server arbitrates O_EXCL); the caller gets a real fd on /dev/null so
 *     fcntl, read (wodim's drain loop), fork inheritance keep working.
 *   - ioctl: SG_IO (v3) and CDROM_SEND_PACKET forwarded as one COMMAND each;
 *     the sg / SCSI ioctls the clients use are answered locally.
 *   - stat family (incl. the legacy __xstat symbols libburn binds) and
 *     access: fake char (21:N) / block (11:N) nodes.
 *   - fopen/open/glob/opendir/readlink/realpath/stat of /sys and /proc paths
 *     are redirected to $RAWCD_EMULATOR_SYSROOT when the fake tree has them
 *     (glob results are merged with the real ones and mapped back).
 * The wire format comes from wire.h, generated from emulator/src/wire.rs.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <linux/cdrom.h>
#include <linux/fs.h>
#include <linux/hdreg.h>
#include <scsi/sg.h>

#include "wire.h"

#define EXPORT __attribute__((visibility("default")))
#define MAXFD 8192
#define SG_VERSION 30536
#define SCSI_IOCTL_GET_IDLUN_ 0x5382
#define SCSI_IOCTL_GET_BUS_NUMBER_ 0x5386
#define SG_MAX_RESERVED (256 * 1024)
#define HIDDEN_FD_MIN 1100

/* ---------------------------------------------------------------- real fns */

#define REAL(name)                                                            \
    static __typeof__(name) *real_##name##_p;                                 \
    if (!real_##name##_p)                                                     \
        real_##name##_p = (__typeof__(name) *)dlsym(RTLD_NEXT, #name);

/* ------------------------------------------------------------------ config */

static pthread_once_t cfg_once = PTHREAD_ONCE_INIT;
static char cfg_socket[108];
static char cfg_sysroot[PATH_MAX];
static unsigned cfg_devnum = RCDW_DEFAULT_DEVNUM;
static int cfg_debug;
static int cfg_active;
static char dev_names[3][32];

static void cfg_init(void) {
    const char *s = getenv(RCDW_ENV_SOCKET);
    const char *r = getenv(RCDW_ENV_SYSROOT);
    const char *n = getenv(RCDW_ENV_DEVNUM);
    const char *d = getenv(RCDW_ENV_DEBUG);
    if (s && *s && strlen(s) < sizeof cfg_socket) {
        strcpy(cfg_socket, s);
        cfg_active = 1;
    }
    if (r && *r && strlen(r) < sizeof cfg_sysroot - 256)
        strcpy(cfg_sysroot, r);
    if (n && *n)
        cfg_devnum = (unsigned)strtoul(n, NULL, 10);
    cfg_debug = d && *d == '1';
    snprintf(dev_names[RCDW_KIND_SG], 32, "/dev/sg%u", cfg_devnum);
    snprintf(dev_names[RCDW_KIND_SR], 32, "/dev/sr%u", cfg_devnum);
    snprintf(dev_names[RCDW_KIND_SCD], 32, "/dev/scd%u", cfg_devnum);
}

static void cfg(void) { pthread_once(&cfg_once, cfg_init); }

static void dbg(const char *fmt, ...) {
    if (!cfg_debug)
        return;
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf - 1, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if (n > (int)sizeof buf - 2)
        n = sizeof buf - 2;
    buf[n++] = '\n';
    ssize_t w = write(2, buf, (size_t)n);
    (void)w;
}

/* The fake device kind for a path, or -1. */
static int fake_kind(const char *path) {
    cfg();
    if (!cfg_active || !path || strncmp(path, "/dev/", 5) != 0)
        return -1;
    for (int k = 0; k < 3; k++)
        if (strcmp(path, dev_names[k]) == 0)
            return k;
    return -1;
}

static int redirect_prefix(const char *path) {
    static const char *prefixes[] = {"/sys/bus/scsi", "/sys/class/scsi_generic",
                                     "/sys/class/scsi_device", "/sys/block/",
                                     "/sys/dev/", "/proc/sys/dev/cdrom",
                                     "/proc/scsi", NULL};
    for (int i = 0; prefixes[i]; i++)
        if (strncmp(path, prefixes[i], strlen(prefixes[i])) == 0)
            return 1;
    return 0;
}

/* Maps a /sys or /proc path into the fake tree when the fake entry exists
 * (or when `always`); returns `path` otherwise. */
static const char *redirect(const char *path, char *buf, size_t n, int always) {
    cfg();
    if (!cfg_active || !cfg_sysroot[0] || !path || path[0] != '/')
        return path;
    if (!redirect_prefix(path))
        return path;
    if ((size_t)snprintf(buf, n, "%s%s", cfg_sysroot, path) >= n)
        return path;
    if (always)
        return buf;
    REAL(faccessat);
    if (real_faccessat_p(AT_FDCWD, buf, F_OK, AT_SYMLINK_NOFOLLOW) == 0)
        return buf;
    return path;
}

/* --------------------------------------------------------------- fd table */

struct conn {
    int sock;
    int kind;
    pid_t owner;
    int refs;
    int reserved;
    int timeout_jiffies;
    pthread_mutex_t io;
};

static pthread_mutex_t tab_lock = PTHREAD_MUTEX_INITIALIZER;
static struct conn *fdtab[MAXFD];

static struct conn *conn_of(int fd) {
    if (fd < 0 || fd >= MAXFD)
        return NULL;
    pthread_mutex_lock(&tab_lock);
    struct conn *c = fdtab[fd];
    pthread_mutex_unlock(&tab_lock);
    return c;
}

/* ------------------------------------------------------------ socket I/O */

static int send_all(int s, const void *p, size_t n) {
    const char *b = p;
    while (n) {
        ssize_t w = send(s, b, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        b += w;
        n -= (size_t)w;
    }
    return 0;
}

static int recv_all(int s, void *p, size_t n) {
    char *b = p;
    while (n) {
        ssize_t r = recv(s, b, n, 0);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

static void put32(unsigned char *b, size_t at, uint32_t v) { memcpy(b + at, &v, 4); }
static uint32_t get32(const unsigned char *b, size_t at) {
    uint32_t v;
    memcpy(&v, b + at, 4);
    return v;
}
static uint16_t get16(const unsigned char *b, size_t at) {
    uint16_t v;
    memcpy(&v, b + at, 2);
    return v;
}

static void req_init(unsigned char *req, unsigned op) {
    memset(req, 0, RCDW_REQ_LEN);
    put32(req, RCDW_REQ_MAGIC, RCDW_MAGIC);
    req[RCDW_REQ_OP] = (unsigned char)op;
    put32(req, RCDW_REQ_PID, (uint32_t)getpid());
}

/* Sends a header-only request and reads the errno of the reply; -1 when the
 * connection is lost. */
static int simple_exchange(int s, unsigned char *req) {
    unsigned char rep[RCDW_REP_LEN];
    if (send_all(s, req, RCDW_REQ_LEN) < 0 || recv_all(s, rep, RCDW_REP_LEN) < 0)
        return -1;
    if (get32(rep, RCDW_REP_MAGIC) != RCDW_MAGIC)
        return -1;
    return (int)get32(rep, RCDW_REP_ERRNO);
}

/* ------------------------------------------------------------------ open */

static int fake_open(int kind, int flags) {
    REAL(open);
    REAL(close);
    REAL(fcntl);
    int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (s < 0)
        return -1;
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    strcpy(sa.sun_path, cfg_socket);
    if (connect(s, (struct sockaddr *)&sa, sizeof sa) < 0) {
        real_close_p(s);
        dbg("sgemu: open %s: cannot reach the emulator at %s", dev_names[kind], cfg_socket);
        errno = ENXIO;
        return -1;
    }
    unsigned char req[RCDW_REQ_LEN];
    req_init(req, RCDW_OP_OPEN);
    req[RCDW_REQ_KIND] = (unsigned char)kind;
    put32(req, RCDW_REQ_ARG, (uint32_t)flags);
    int e = simple_exchange(s, req);
    if (e != 0) {
        real_close_p(s);
        dbg("sgemu: open %s flags=0x%x -> errno %d", dev_names[kind], flags, e);
        errno = e < 0 ? EIO : e;
        return -1;
    }
    int fd = real_open_p("/dev/null", O_RDWR | (flags & (O_NONBLOCK | O_CLOEXEC)));
    if (fd < 0) {
        int saved = errno;
        real_close_p(s);
        errno = saved;
        return -1;
    }
    if (fd >= MAXFD) {
        real_close_p(fd);
        real_close_p(s);
        errno = EMFILE;
        return -1;
    }
    int hs = real_fcntl_p(s, F_DUPFD_CLOEXEC, HIDDEN_FD_MIN);
    if (hs < 0)
        hs = real_fcntl_p(s, F_DUPFD_CLOEXEC, 256);
    if (hs >= 0)
        real_close_p(s);
    else
        hs = s;
    struct conn *c = calloc(1, sizeof *c);
    if (!c) {
        real_close_p(fd);
        real_close_p(hs);
        errno = ENOMEM;
        return -1;
    }
    c->sock = hs;
    c->kind = kind;
    c->owner = getpid();
    c->refs = 1;
    c->reserved = SG_SCATTER_SZ;
    c->timeout_jiffies = 60 * 100;
    pthread_mutex_init(&c->io, NULL);
    pthread_mutex_lock(&tab_lock);
    fdtab[fd] = c;
    pthread_mutex_unlock(&tab_lock);
    dbg("sgemu: open %s flags=0x%x -> fd %d", dev_names[kind], flags, fd);
    return fd;
}

/* Drops one reference (the caller removed the table entry). */
static void conn_release(struct conn *c) {
    REAL(close);
    pthread_mutex_lock(&tab_lock);
    int last = --c->refs == 0;
    pthread_mutex_unlock(&tab_lock);
    if (!last)
        return;
    if (c->owner == getpid()) {
        unsigned char req[RCDW_REQ_LEN];
        req_init(req, RCDW_OP_CLOSE);
        req[RCDW_REQ_KIND] = (unsigned char)c->kind;
        (void)simple_exchange(c->sock, req);
    }
    real_close_p(c->sock);
    pthread_mutex_destroy(&c->io);
    free(c);
}

static void tab_forget(int fd) {
    if (fd < 0 || fd >= MAXFD)
        return;
    pthread_mutex_lock(&tab_lock);
    struct conn *c = fdtab[fd];
    fdtab[fd] = NULL;
    pthread_mutex_unlock(&tab_lock);
    if (c)
        conn_release(c);
}

static void tab_copy(int from, int to) {
    if (from < 0 || from >= MAXFD || to < 0 || to >= MAXFD)
        return;
    pthread_mutex_lock(&tab_lock);
    struct conn *c = fdtab[from];
    if (c) {
        c->refs++;
        fdtab[to] = c;
    }
    pthread_mutex_unlock(&tab_lock);
}

static int open_common(const char *path, int flags, mode_t mode, int dirfd, int at) {
    int k = fake_kind(path);
    if (k >= 0)
        return fake_open(k, flags);
    char buf[PATH_MAX];
    const char *p = redirect(path, buf, sizeof buf, 0);
    if (at) {
        REAL(openat);
        return real_openat_p(dirfd, p, flags, mode);
    }
    REAL(open);
    return real_open_p(p, flags, mode);
}

static mode_t va_mode(int flags, va_list ap) {
    if (flags & (O_CREAT | __O_TMPFILE))
        return (mode_t)va_arg(ap, unsigned int);
    return 0;
}

EXPORT int open(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t m = va_mode(flags, ap);
    va_end(ap);
    return open_common(path, flags, m, AT_FDCWD, 0);
}

EXPORT int open64(const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t m = va_mode(flags, ap);
    va_end(ap);
    return open_common(path, flags | O_LARGEFILE, m, AT_FDCWD, 0);
}

EXPORT int __open_2(const char *path, int flags) { return open_common(path, flags, 0, AT_FDCWD, 0); }
EXPORT int __open64_2(const char *path, int flags) {
    return open_common(path, flags | O_LARGEFILE, 0, AT_FDCWD, 0);
}

EXPORT int openat(int dirfd, const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t m = va_mode(flags, ap);
    va_end(ap);
    return open_common(path, flags, m, dirfd, 1);
}

EXPORT int openat64(int dirfd, const char *path, int flags, ...) {
    va_list ap;
    va_start(ap, flags);
    mode_t m = va_mode(flags, ap);
    va_end(ap);
    return open_common(path, flags | O_LARGEFILE, m, dirfd, 1);
}

EXPORT int __openat_2(int dirfd, const char *path, int flags) {
    return open_common(path, flags, 0, dirfd, 1);
}
EXPORT int __openat64_2(int dirfd, const char *path, int flags) {
    return open_common(path, flags | O_LARGEFILE, 0, dirfd, 1);
}

/* ---------------------------------------------------------- fd lifetime */

EXPORT int close(int fd) {
    REAL(close);
    if (conn_of(fd)) {
        dbg("sgemu: close fd %d", fd);
        tab_forget(fd);
    }
    return real_close_p(fd);
}

EXPORT int dup(int fd) {
    REAL(dup);
    int r = real_dup_p(fd);
    if (r >= 0)
        tab_copy(fd, r);
    return r;
}

EXPORT int dup2(int fd, int fd2) {
    REAL(dup2);
    if (fd == fd2)
        return real_dup2_p(fd, fd2);
    int r = real_dup2_p(fd, fd2);
    if (r >= 0) {
        tab_forget(r);
        tab_copy(fd, r);
    }
    return r;
}

EXPORT int dup3(int fd, int fd2, int flags) {
    REAL(dup3);
    int r = real_dup3_p(fd, fd2, flags);
    if (r >= 0) {
        tab_forget(r);
        tab_copy(fd, r);
    }
    return r;
}

static int fcntl_common(int fd, int cmd, void *arg) {
    REAL(fcntl);
    /* Record locks on an emulated device (libburn fcntl-locks /dev/srN)
     * must not reach the /dev/null fd behind it: that file is shared by
     * every process on the machine. Exclusive access is arbitrated by the
     * server per device, so the lock always succeeds here. */
    if (conn_of(fd)) {
        switch (cmd) {
        case F_GETLK:
#ifdef F_OFD_GETLK
        case F_OFD_GETLK:
#endif
            if (arg)
                ((struct flock *)arg)->l_type = F_UNLCK;
            return 0;
        case F_SETLK:
        case F_SETLKW:
#ifdef F_OFD_SETLK
        case F_OFD_SETLK:
        case F_OFD_SETLKW:
#endif
            return 0;
        default:
            break;
        }
    }
    int r = real_fcntl_p(fd, cmd, arg);
    if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC))
        tab_copy(fd, r);
    return r;
}

EXPORT int flock(int fd, int op) {
    if (conn_of(fd))
        return 0; /* see fcntl_common: never lock the shared /dev/null */
    int (*real_flock)(int, int) = (int (*)(int, int))dlsym(RTLD_NEXT, "flock");
    return real_flock ? real_flock(fd, op) : -1;
}

EXPORT int fcntl(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return fcntl_common(fd, cmd, arg);
}

EXPORT int fcntl64(int fd, int cmd, ...) {
    va_list ap;
    va_start(ap, cmd);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    return fcntl_common(fd, cmd, arg);
}

/* ---------------------------------------------------------------- SG_IO */

struct xfer {
    const unsigned char *cdb;
    unsigned cdb_len;
    unsigned dir;
    unsigned timeout_ms;
    /* data: either one buffer or an iovec */
    unsigned char *buf;
    const struct iovec *iov;
    int iovcnt;
    unsigned len;
    /* results */
    unsigned char status;
    unsigned short host_status, driver_status;
    unsigned resid, duration;
    unsigned char sense[RCDW_MAX_SENSE];
    unsigned sense_len;
};

static int iov_io(int s, const struct iovec *iov, int iovcnt, unsigned len, int out) {
    for (int i = 0; i < iovcnt && len; i++) {
        size_t n = iov[i].iov_len < len ? iov[i].iov_len : len;
        int r = out ? send_all(s, iov[i].iov_base, n) : recv_all(s, iov[i].iov_base, n);
        if (r < 0)
            return -1;
        len -= (unsigned)n;
    }
    return len ? -2 : 0;
}

/* One COMMAND exchange; returns 0, or -1 with errno set. */
static int command(struct conn *c, struct xfer *x) {
    unsigned char req[RCDW_REQ_LEN], rep[RCDW_REP_LEN];
    req_init(req, RCDW_OP_COMMAND);
    req[RCDW_REQ_KIND] = (unsigned char)c->kind;
    req[RCDW_REQ_CDB_LEN] = (unsigned char)x->cdb_len;
    req[RCDW_REQ_DIR] = (unsigned char)x->dir;
    put32(req, RCDW_REQ_ARG, x->timeout_ms);
    put32(req, RCDW_REQ_DXFER_LEN, x->dir == RCDW_DIR_NONE ? 0 : x->len);
    memcpy(req + RCDW_REQ_CDB, x->cdb, x->cdb_len);
    pthread_mutex_lock(&c->io);
    int bad = send_all(c->sock, req, sizeof req) < 0;
    if (!bad && x->dir == RCDW_DIR_OUT && x->len) {
        if (x->iov)
            bad = iov_io(c->sock, x->iov, x->iovcnt, x->len, 1) != 0;
        else
            bad = send_all(c->sock, x->buf, x->len) < 0;
    }
    if (!bad)
        bad = recv_all(c->sock, rep, sizeof rep) < 0 || get32(rep, RCDW_REP_MAGIC) != RCDW_MAGIC;
    unsigned data_len = bad ? 0 : get32(rep, RCDW_REP_DATA_LEN);
    if (!bad && data_len) {
        unsigned take = data_len;
        if (x->dir != RCDW_DIR_IN || take > x->len)
            take = x->dir == RCDW_DIR_IN ? x->len : 0;
        if (take) {
            if (x->iov)
                bad = iov_io(c->sock, x->iov, x->iovcnt, take, 0) != 0;
            else
                bad = recv_all(c->sock, x->buf, take) < 0;
        }
        for (unsigned left = data_len - take; !bad && left;) {
            unsigned char junk[4096];
            unsigned n = left < sizeof junk ? left : sizeof junk;
            bad = recv_all(c->sock, junk, n) < 0;
            left -= n;
        }
    }
    pthread_mutex_unlock(&c->io);
    if (bad) {
        dbg("sgemu: lost the emulator connection");
        errno = EIO;
        return -1;
    }
    int e = (int)get32(rep, RCDW_REP_ERRNO);
    if (e) {
        errno = e;
        return -1;
    }
    x->status = rep[RCDW_REP_STATUS];
    x->sense_len = rep[RCDW_REP_SENSE_LEN];
    if (x->sense_len > RCDW_MAX_SENSE)
        x->sense_len = RCDW_MAX_SENSE;
    memcpy(x->sense, rep + RCDW_REP_SENSE, x->sense_len);
    x->host_status = get16(rep, RCDW_REP_HOST_STATUS);
    x->driver_status = get16(rep, RCDW_REP_DRIVER_STATUS);
    x->resid = get32(rep, RCDW_REP_RESID);
    x->duration = get32(rep, RCDW_REP_DURATION);
    return 0;
}

static int do_sg_io(struct conn *c, sg_io_hdr_t *h) {
    if (!h) {
        errno = EFAULT;
        return -1;
    }
    if (h->interface_id != 'S') {
        errno = h->interface_id == 'Q' ? EINVAL : ENOSYS;
        return -1;
    }
    if (!h->cmdp || h->cmd_len < 6 || h->cmd_len > RCDW_MAX_CDB) {
        errno = EMSGSIZE;
        return -1;
    }
    struct xfer x;
    memset(&x, 0, sizeof x);
    x.cdb = h->cmdp;
    x.cdb_len = h->cmd_len;
    x.timeout_ms = h->timeout;
    x.len = h->dxfer_len;
    switch (h->dxfer_direction) {
    case SG_DXFER_TO_DEV:
        x.dir = RCDW_DIR_OUT;
        break;
    case SG_DXFER_FROM_DEV:
    case SG_DXFER_TO_FROM_DEV:
        x.dir = RCDW_DIR_IN;
        break;
    case SG_DXFER_NONE:
        x.dir = RCDW_DIR_NONE;
        break;
    default:
        if (x.len) {
            errno = EINVAL;
            return -1;
        }
    }
    if (x.len == 0 || !h->dxferp)
        x.dir = RCDW_DIR_NONE;
    if (x.dir == RCDW_DIR_NONE)
        x.len = 0;
    if (x.len > RCDW_MAX_DXFER) {
        errno = ENOMEM;
        return -1;
    }
    if (h->iovec_count) {
        x.iov = (const struct iovec *)h->dxferp;
        x.iovcnt = h->iovec_count;
    } else {
        x.buf = h->dxferp;
    }
    if (command(c, &x) < 0)
        return -1;
    unsigned wr = x.sense_len < h->mx_sb_len ? x.sense_len : h->mx_sb_len;
    if (wr && h->sbp)
        memcpy(h->sbp, x.sense, wr);
    else
        wr = 0;
    h->status = x.status;
    h->masked_status = (x.status >> 1) & 0x7f;
    h->msg_status = 0;
    h->sb_len_wr = (unsigned char)wr;
    h->host_status = x.host_status;
    h->driver_status = x.driver_status | (x.sense_len ? RCDW_DRIVER_SENSE : 0);
    h->resid = (int)x.resid;
    h->duration = x.duration;
    h->info = (h->status || h->host_status || h->driver_status) ? SG_INFO_CHECK : SG_INFO_OK;
    return 0;
}

static unsigned cdb_len_for(unsigned char op) {
    switch (op >> 5) {
    case 0:
        return 6;
    case 1:
    case 2:
        return 10;
    case 4:
        return 16;
    default:
        return 12;
    }
}

static int do_send_packet(struct conn *c, struct cdrom_generic_command *cgc) {
    if (!cgc) {
        errno = EFAULT;
        return -1;
    }
    struct xfer x;
    memset(&x, 0, sizeof x);
    x.cdb = cgc->cmd;
    x.cdb_len = cdb_len_for(cgc->cmd[0]);
    if (x.cdb_len > CDROM_PACKET_SIZE)
        x.cdb_len = CDROM_PACKET_SIZE;
    x.timeout_ms = cgc->timeout > 0 ? (unsigned)cgc->timeout : 60000;
    x.buf = cgc->buffer;
    x.len = cgc->buffer ? cgc->buflen : 0;
    switch (cgc->data_direction) {
    case CGC_DATA_WRITE:
        x.dir = RCDW_DIR_OUT;
        break;
    case CGC_DATA_NONE:
        x.dir = RCDW_DIR_NONE;
        break;
    default:
        x.dir = RCDW_DIR_IN;
    }
    if (!x.len)
        x.dir = RCDW_DIR_NONE;
    if (command(c, &x) < 0)
        return -1;
    if (cgc->sense && x.sense_len) {
        size_t n = x.sense_len < sizeof(struct request_sense) ? x.sense_len : sizeof(struct request_sense);
        memcpy(cgc->sense, x.sense, n);
    }
    cgc->stat = x.status;
    if (x.status || x.host_status) {
        errno = EIO;
        return -1;
    }
    return 0;
}

/* ---------------------------------------------------------------- ioctl */

static int fake_ioctl(struct conn *c, unsigned long req, void *arg) {
    int is_sg = c->kind == RCDW_KIND_SG;
    int *ip = arg;
    switch (req) {
    case SG_IO:
        return do_sg_io(c, arg);
    case SG_GET_VERSION_NUM:
        *ip = SG_VERSION;
        return 0;
    case SG_SET_RESERVED_SIZE: {
        int v = *ip;
        if (v < 0) {
            errno = EINVAL;
            return -1;
        }
        c->reserved = v > SG_MAX_RESERVED ? SG_MAX_RESERVED : v;
        return 0;
    }
    case SG_GET_RESERVED_SIZE:
        *ip = c->reserved;
        return 0;
    case SG_SET_TIMEOUT:
        if (*ip < 0) {
            errno = EIO;
            return -1;
        }
        c->timeout_jiffies = *ip;
        return 0;
    case SG_GET_TIMEOUT:
        return c->timeout_jiffies;
    case SG_EMULATED_HOST:
        *ip = 0;
        return 0;
    case SCSI_IOCTL_GET_IDLUN_: {
        int v[2];
        v[0] = 0 | (0 << 8) | (0 << 16) | (int)((cfg_devnum & 0xff) << 24);
        v[1] = (int)cfg_devnum + 1;
        memcpy(arg, v, sizeof v);
        return 0;
    }
    case SCSI_IOCTL_GET_BUS_NUMBER_:
        *ip = (int)cfg_devnum;
        return 0;
    }
    if (is_sg) {
        switch (req) {
        case SG_GET_SCSI_ID: {
            struct sg_scsi_id *id = arg;
            memset(id, 0, sizeof *id);
            id->host_no = (int)cfg_devnum;
            id->scsi_type = 5;
            id->h_cmd_per_lun = 1;
            id->d_queue_depth = 1;
            return 0;
        }
        case SG_SCSI_RESET:
        case SG_SET_COMMAND_Q:
        case SG_SET_KEEP_ORPHAN:
        case SG_SET_FORCE_PACK_ID:
        case SG_SET_FORCE_LOW_DMA:
        case SG_SET_DEBUG:
            return 0;
        case SG_GET_COMMAND_Q:
        case SG_GET_KEEP_ORPHAN:
        case SG_GET_LOW_DMA:
        case SG_GET_NUM_WAITING:
            *ip = 0;
            return 0;
        case SG_GET_PACK_ID:
            *ip = -1;
            return 0;
        case SG_GET_SG_TABLESIZE:
            *ip = 128;
            return 0;
        }
        errno = EINVAL;
        return -1;
    }
    switch (req) {
    case CDROM_SEND_PACKET:
        return do_send_packet(c, arg);
    case CDROM_GET_CAPABILITY:
        return CDC_CLOSE_TRAY | CDC_OPEN_TRAY | CDC_LOCK | CDC_SELECT_SPEED | CDC_MULTI_SESSION |
               CDC_MCN | CDC_MEDIA_CHANGED | CDC_PLAY_AUDIO | CDC_RESET | CDC_DRIVE_STATUS |
               CDC_GENERIC_PACKET | CDC_CD_R | CDC_CD_RW;
    case CDROM_DRIVE_STATUS:
        return CDS_DISC_OK;
    case BLKSSZGET:
        *ip = 2048;
        return 0;
    case BLKGETSIZE:
        *(unsigned long *)arg = 0;
        return 0;
    case BLKGETSIZE64:
        *(uint64_t *)arg = 0;
        return 0;
    }
    errno = ENOTTY;
    return -1;
}

EXPORT int ioctl(int fd, unsigned long req, ...) {
    va_list ap;
    va_start(ap, req);
    void *arg = va_arg(ap, void *);
    va_end(ap);
    struct conn *c = conn_of(fd);
    if (c) {
        if (req == HDIO_GET_IDENTITY) {
            errno = c->kind == RCDW_KIND_SG ? EINVAL : ENOTTY;
            return -1;
        }
        int r = fake_ioctl(c, req, arg);
        if (req != SG_IO)
            dbg("sgemu: ioctl fd %d 0x%lx -> %d", fd, req, r);
        return r;
    }
    REAL(ioctl);
    return real_ioctl_p(fd, req, arg);
}

/* ------------------------------------------------------------------ stat */

#define FAKE_STAT_FILL(st, kind)                                                        \
    do {                                                                                \
        memset((st), 0, sizeof *(st));                                                  \
        (st)->st_dev = makedev(0, 5);                                                   \
        (st)->st_ino = 0x5243000 + (unsigned)(kind) * 256 + cfg_devnum;                 \
        (st)->st_nlink = 1;                                                             \
        (st)->st_uid = getuid();                                                        \
        (st)->st_gid = getgid();                                                        \
        if ((kind) == RCDW_KIND_SG) {                                                   \
            (st)->st_mode = S_IFCHR | 0660;                                             \
            (st)->st_rdev = makedev(21, cfg_devnum);                                    \
        } else {                                                                        \
            (st)->st_mode = S_IFBLK | 0660;                                             \
            (st)->st_rdev = makedev(11, cfg_devnum);                                    \
        }                                                                               \
        (st)->st_blksize = 4096;                                                        \
    } while (0)

static int fd_kind(int fd) {
    struct conn *c = conn_of(fd);
    return c ? c->kind : -1;
}

EXPORT int stat(const char *path, struct stat *st) {
    int k = fake_kind(path);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    char buf[PATH_MAX];
    REAL(stat);
    return real_stat_p(redirect(path, buf, sizeof buf, 0), st);
}

EXPORT int stat64(const char *path, struct stat64 *st) {
    int k = fake_kind(path);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    char buf[PATH_MAX];
    REAL(stat64);
    return real_stat64_p(redirect(path, buf, sizeof buf, 0), st);
}

EXPORT int lstat(const char *path, struct stat *st) {
    int k = fake_kind(path);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    char buf[PATH_MAX];
    REAL(lstat);
    return real_lstat_p(redirect(path, buf, sizeof buf, 0), st);
}

EXPORT int lstat64(const char *path, struct stat64 *st) {
    int k = fake_kind(path);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    char buf[PATH_MAX];
    REAL(lstat64);
    return real_lstat64_p(redirect(path, buf, sizeof buf, 0), st);
}

EXPORT int fstat(int fd, struct stat *st) {
    int k = fd_kind(fd);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    REAL(fstat);
    return real_fstat_p(fd, st);
}

EXPORT int fstat64(int fd, struct stat64 *st) {
    int k = fd_kind(fd);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    REAL(fstat64);
    return real_fstat64_p(fd, st);
}

EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags) {
    int k = (path && !*path && (flags & AT_EMPTY_PATH)) ? fd_kind(dirfd) : fake_kind(path);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    char buf[PATH_MAX];
    REAL(fstatat);
    return real_fstatat_p(dirfd, redirect(path, buf, sizeof buf, 0), st, flags);
}

EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags) {
    int k = (path && !*path && (flags & AT_EMPTY_PATH)) ? fd_kind(dirfd) : fake_kind(path);
    if (k >= 0) {
        FAKE_STAT_FILL(st, k);
        return 0;
    }
    char buf[PATH_MAX];
    REAL(fstatat64);
    return real_fstatat64_p(dirfd, redirect(path, buf, sizeof buf, 0), st, flags);
}

/* Legacy symbols (glibc < 2.33 binaries such as Debian's libburn bind
 * __xstat@GLIBC_2.2.5); an unversioned definition satisfies them. On the
 * 64-bit Linux ABIs struct stat and struct stat64 share one layout. */
EXPORT int __xstat(int ver, const char *path, struct stat *st) {
    (void)ver;
    return stat(path, st);
}
EXPORT int __xstat64(int ver, const char *path, struct stat64 *st) {
    (void)ver;
    return stat64(path, st);
}
EXPORT int __lxstat(int ver, const char *path, struct stat *st) {
    (void)ver;
    return lstat(path, st);
}
EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st) {
    (void)ver;
    return lstat64(path, st);
}
EXPORT int __fxstat(int ver, int fd, struct stat *st) {
    (void)ver;
    return fstat(fd, st);
}
EXPORT int __fxstat64(int ver, int fd, struct stat64 *st) {
    (void)ver;
    return fstat64(fd, st);
}
EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags) {
    (void)ver;
    return fstatat(dirfd, path, st, flags);
}
EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags) {
    (void)ver;
    return fstatat64(dirfd, path, st, flags);
}

EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *sx) {
    int k = (path && !*path && (flags & AT_EMPTY_PATH)) ? fd_kind(dirfd) : fake_kind(path);
    if (k >= 0) {
        struct stat st;
        FAKE_STAT_FILL(&st, k);
        memset(sx, 0, sizeof *sx);
        sx->stx_mask = STATX_BASIC_STATS;
        sx->stx_blksize = (uint32_t)st.st_blksize;
        sx->stx_nlink = (uint32_t)st.st_nlink;
        sx->stx_uid = st.st_uid;
        sx->stx_gid = st.st_gid;
        sx->stx_mode = (uint16_t)st.st_mode;
        sx->stx_ino = st.st_ino;
        sx->stx_rdev_major = major(st.st_rdev);
        sx->stx_rdev_minor = minor(st.st_rdev);
        sx->stx_dev_major = major(st.st_dev);
        sx->stx_dev_minor = minor(st.st_dev);
        return 0;
    }
    char buf[PATH_MAX];
    REAL(statx);
    return real_statx_p(dirfd, redirect(path, buf, sizeof buf, 0), flags, mask, sx);
}

EXPORT int access(const char *path, int mode) {
    if (fake_kind(path) >= 0)
        return 0;
    char buf[PATH_MAX];
    REAL(access);
    return real_access_p(redirect(path, buf, sizeof buf, 0), mode);
}

EXPORT int faccessat(int dirfd, const char *path, int mode, int flags) {
    if (fake_kind(path) >= 0)
        return 0;
    char buf[PATH_MAX];
    REAL(faccessat);
    return real_faccessat_p(dirfd, redirect(path, buf, sizeof buf, 0), mode, flags);
}

EXPORT int euidaccess(const char *path, int mode) {
    if (fake_kind(path) >= 0)
        return 0;
    char buf[PATH_MAX];
    REAL(euidaccess);
    return real_euidaccess_p(redirect(path, buf, sizeof buf, 0), mode);
}

EXPORT int eaccess(const char *path, int mode) { return euidaccess(path, mode); }

/* ------------------------------------------------------- sysfs / procfs */

EXPORT FILE *fopen(const char *path, const char *mode) {
    char buf[PATH_MAX];
    REAL(fopen);
    return real_fopen_p(redirect(path, buf, sizeof buf, 0), mode);
}

EXPORT FILE *fopen64(const char *path, const char *mode) {
    char buf[PATH_MAX];
    REAL(fopen64);
    return real_fopen64_p(redirect(path, buf, sizeof buf, 0), mode);
}

EXPORT DIR *opendir(const char *path) {
    char buf[PATH_MAX];
    REAL(opendir);
    return real_opendir_p(redirect(path, buf, sizeof buf, 0));
}

EXPORT ssize_t readlink(const char *path, char *out, size_t n) {
    char buf[PATH_MAX];
    REAL(readlink);
    return real_readlink_p(redirect(path, buf, sizeof buf, 0), out, n);
}

EXPORT char *realpath(const char *path, char *resolved) {
    REAL(realpath);
    if (fake_kind(path) >= 0) {
        if (!resolved)
            return strdup(path);
        strcpy(resolved, path);
        return resolved;
    }
    char buf[PATH_MAX];
    const char *p = redirect(path, buf, sizeof buf, 0);
    if (p == path)
        return real_realpath_p(path, resolved);
    char tmp[PATH_MAX];
    if (!real_realpath_p(p, tmp))
        return NULL;
    size_t rl = strlen(cfg_sysroot);
    const char *mapped = strncmp(tmp, cfg_sysroot, rl) == 0 ? tmp + rl : tmp;
    if (!resolved)
        return strdup(mapped);
    strcpy(resolved, mapped);
    return resolved;
}

/* Strips the sysroot prefix from entries [from, to) of a glob result. */
static void unmap_paths(char **v, size_t from, size_t to) {
    size_t rl = strlen(cfg_sysroot);
    for (size_t i = from; i < to; i++)
        if (v[i] && strncmp(v[i], cfg_sysroot, rl) == 0)
            memmove(v[i], v[i] + rl, strlen(v[i] + rl) + 1);
}

#define GLOB_BODY(real, gtype)                                                            \
    char buf[PATH_MAX];                                                                   \
    cfg();                                                                                \
    if (!cfg_active || !cfg_sysroot[0] || !pattern || !redirect_prefix(pattern))          \
        return real(pattern, flags, errfunc, g);                                          \
    const char *fp = redirect(pattern, buf, sizeof buf, 1);                               \
    size_t before = (flags & GLOB_APPEND) ? g->gl_pathc : 0;                              \
    size_t offs = (flags & GLOB_DOOFFS) ? g->gl_offs : 0;                                 \
    int r = real(fp, flags, errfunc, g);                                                  \
    if (r != 0)                                                                           \
        return real(pattern, flags, errfunc, g);                                          \
    unmap_paths(g->gl_pathv, offs + before, offs + g->gl_pathc);                          \
    int r2 = real(pattern, flags | GLOB_APPEND, errfunc, g);                              \
    (void)r2;                                                                             \
    dbg("sgemu: glob %s -> %zu", pattern, (size_t)g->gl_pathc);                           \
    return 0;

EXPORT int glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g) {
    REAL(glob);
    GLOB_BODY(real_glob_p, glob_t)
}

EXPORT int glob64(const char *pattern, int flags, int (*errfunc)(const char *, int), glob64_t *g) {
    REAL(glob64);
    GLOB_BODY(real_glob64_p, glob64_t)
}
