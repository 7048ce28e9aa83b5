/*
 * bench-ref.c: the C reference for scripts/bench-lab (compiled by it with `cc -O2` into a temp
 * dir). It builds the reference workload as fast as one thread can over rtnetlink, and it is the
 * benchmark's cleanup detector. Run it as root inside a private sandbox; never on a real host.
 *
 *   bench-ref setup N GROUP      N namespaces n1..nN, each: a veth pair n$i.v0 <-> host.h$i,
 *                                v0 10.x.y.z+1/30 and h$i +2/30 (subnet 10.0.0.0 + 4(i-1)),
 *                                n$i.lo, n$i.v0 and host.h$i up; host ends in link group GROUP
 *   bench-ref setup-serial N GROUP  the same lab, one request per round trip, namespace by namespace
 *                                (not compared; separates the kernel's cost of that shape from a
 *                                client's own overhead)
 *   bench-ref teardown N GROUP   one RTM_DELLINK by IFLA_GROUP (all host ends, so all pairs),
 *                                then umount + unlink each /run/netns/n$i (as `ip netns del`)
 *   bench-ref settle [TIMEOUT_S] wait until /run/netns is empty, the host namespace has no link
 *                                but lo, and the kernel has finished cleaning up every network
 *                                namespace that died before (see settle() below)
 *
 * BENCH_REF_PHASES=1 in the environment prints the time of each setup phase on stderr.
 *
 * How it is fast: namespaces are made as `ip netns add` makes them (unshare(CLONE_NEWNET), bind
 * mount of /proc/thread-self/ns/net onto /run/netns/NAME, /run/netns a shared mount), and a
 * NETLINK_ROUTE socket is opened in each while the thread is inside, so no setns() is needed
 * later. Each veth pair is one RTM_NEWLINK naming both ends' namespaces by fd (IFLA_NET_NS_FD
 * on the link and inside VETH_INFO_PEER) and both ifindexes (ifi_index chosen by us: v0 is 2 in
 * its fresh namespace, h$i is HOST_INDEX0+i), so addresses and link-up need no lookup. All host
 * side messages go into big buffers, one send() per chunk, acks read after; each namespace gets
 * one send() of its three messages (address, v0 up, lo up), acks read after all sends.
 *
 * As nsh does, IPv6 duplicate address detection is off for every link (so link-local addresses
 * are usable at once): each namespace's net.ipv6.conf.default.accept_dad is set to 0 while the
 * thread is inside it, and each host end's own accept_dad before it comes up (the host's default
 * is never changed).
 */
#define _GNU_SOURCE
#include <net/if.h> /* before the linux/ headers: IFF_UP, if_nameindex() */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/veth.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <arpa/inet.h>

#define RUN_DIR "/run/netns"
#define HOST_INDEX0 1000      /* h$i gets ifindex HOST_INDEX0 + i in the host namespace */
#define NS_V0_INDEX 2         /* v0 in its fresh namespace (lo is 1) */
#define CHUNK_BYTES (1 << 20) /* one send() carries at most this many bytes of requests */
#define SOCK_BUF (64 << 20)   /* socket buffers: a chunk and all its acks must fit */

static void die(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  fprintf(stderr, "bench-ref: ");
  vfprintf(stderr, fmt, ap);
  fprintf(stderr, "\n");
  va_end(ap);
  exit(1);
}

/* ---- a growing buffer of netlink messages ---- */

struct msgbuf {
  char *data;
  size_t len, cap;
  unsigned count;  /* messages in the buffer (each asks for an ack) */
  size_t open_msg; /* offset of the message being built */
};

static uint32_t next_seq = 1;

static void *reserve(struct msgbuf *b, size_t n) {
  size_t need = b->len + NLMSG_ALIGN(n);
  if (need > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < need) cap *= 2;
    b->data = realloc(b->data, cap);
    if (!b->data) die("out of memory");
    b->cap = cap;
  }
  void *p = b->data + b->len;
  memset(p, 0, NLMSG_ALIGN(n));
  b->len = need;
  return p;
}

/* Start a message: header plus a fixed-size family header (ifinfomsg, ifaddrmsg). */
static void *msg_begin(struct msgbuf *b, uint16_t type, uint16_t flags, size_t famlen) {
  b->open_msg = b->len;
  struct nlmsghdr *h = reserve(b, NLMSG_HDRLEN + famlen);
  h->nlmsg_type = type;
  h->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
  h->nlmsg_seq = next_seq++;
  return (char *)h + NLMSG_HDRLEN;
}

static void msg_end(struct msgbuf *b) {
  struct nlmsghdr *h = (struct nlmsghdr *)(b->data + b->open_msg);
  h->nlmsg_len = (uint32_t)(b->len - b->open_msg);
  b->count++;
}

static void attr(struct msgbuf *b, uint16_t type, const void *val, size_t n) {
  struct nlattr *a = reserve(b, NLA_HDRLEN + n);
  a->nla_type = type;
  a->nla_len = (uint16_t)(NLA_HDRLEN + n);
  if (n) memcpy((char *)a + NLA_HDRLEN, val, n);
}
static void attr_u32(struct msgbuf *b, uint16_t type, uint32_t v) { attr(b, type, &v, 4); }
static void attr_str(struct msgbuf *b, uint16_t type, const char *s) { attr(b, type, s, strlen(s) + 1); }

/* Nested attributes: remember where the nest starts, fix its length when it ends. */
static size_t nest_begin(struct msgbuf *b, uint16_t type) {
  size_t at = b->len;
  struct nlattr *a = reserve(b, NLA_HDRLEN);
  a->nla_type = type | NLA_F_NESTED;
  return at;
}
static void nest_end(struct msgbuf *b, size_t at) {
  ((struct nlattr *)(b->data + at))->nla_len = (uint16_t)(b->len - at);
}

/* ---- sockets ---- */

static int nl_open(void) {
  int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) die("socket: %s", strerror(errno));
  int size = SOCK_BUF, one = 1;
  if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof size) < 0)
    setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
  if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof size) < 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
  setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof one); /* acks without the request */
  setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof one);
  struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
  if (bind(fd, (struct sockaddr *)&sa, sizeof sa) < 0) die("bind: %s", strerror(errno));
  return fd;
}

/* Send the whole buffer (the kernel processes every message inside this call). */
static void nl_send(int fd, struct msgbuf *b) {
  if (b->len == 0) return;
  ssize_t n = send(fd, b->data, b->len, 0);
  if (n < 0 || (size_t)n != b->len) die("send of %zu bytes: %s", b->len, n < 0 ? strerror(errno) : "short");
}

/* Read `count` acks from fd; any error ack is fatal (with the kernel's text when it gives one). */
static void nl_acks(int fd, unsigned count, const char *what) {
  static char buf[1 << 20];
  while (count > 0) {
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      die("%s: recv: %s", what, strerror(errno));
    }
    for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n); h = NLMSG_NEXT(h, n)) {
      if (h->nlmsg_type != NLMSG_ERROR) continue;
      struct nlmsgerr *e = NLMSG_DATA(h);
      if (e->error != 0) {
        const char *text = "";
        if (h->nlmsg_flags & NLM_F_ACK_TLVS) {
          /* with CAP_ACK the request is not echoed: the TLVs follow the header copy */
          size_t off = NLMSG_HDRLEN + sizeof *e;
          while (off + NLA_HDRLEN <= h->nlmsg_len) {
            struct nlattr *a = (struct nlattr *)((char *)h + off);
            if (a->nla_len < NLA_HDRLEN) break;
            if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) text = (char *)a + NLA_HDRLEN;
            off += NLA_ALIGN(a->nla_len);
          }
        }
        die("%s: request %u refused: %s%s%s", what, e->msg.nlmsg_seq, strerror(-e->error), *text ? ": " : "", text);
      }
      count--;
    }
  }
}

/* Send the buffer over fd, read its acks, empty it. */
static void nl_flush(int fd, struct msgbuf *b, const char *what) {
  nl_send(fd, b);
  nl_acks(fd, b->count, what);
  b->len = 0;
  b->count = 0;
}

/* ---- messages ---- */

static void link_up(struct msgbuf *b, int ifindex) {
  struct ifinfomsg *ifi = msg_begin(b, RTM_NEWLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = ifindex;
  ifi->ifi_flags = IFF_UP;
  ifi->ifi_change = IFF_UP;
  msg_end(b);
}

static void addr_add(struct msgbuf *b, int ifindex, uint32_t addr_host_order, int prefix) {
  struct ifaddrmsg *ifa = msg_begin(b, RTM_NEWADDR, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifa);
  ifa->ifa_family = AF_INET;
  ifa->ifa_prefixlen = (unsigned char)prefix;
  ifa->ifa_index = (uint32_t)ifindex;
  uint32_t a = htonl(addr_host_order);
  attr(b, IFA_LOCAL, &a, 4);
  attr(b, IFA_ADDRESS, &a, 4);
  msg_end(b);
}

/* One RTM_NEWLINK for the pair: this end (name, index, namespace fd, group) and its peer. */
static void veth_pair(struct msgbuf *b, const char *name, int index, int nsfd, uint32_t group,
                      const char *peer, int peer_index, int peer_nsfd) {
  struct ifinfomsg *ifi = msg_begin(b, RTM_NEWLINK, NLM_F_CREATE | NLM_F_EXCL, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = index;
  attr_str(b, IFLA_IFNAME, name);
  attr_u32(b, IFLA_NET_NS_FD, (uint32_t)nsfd);
  attr_u32(b, IFLA_GROUP, group);
  size_t info = nest_begin(b, IFLA_LINKINFO);
  attr_str(b, IFLA_INFO_KIND, "veth");
  size_t data = nest_begin(b, IFLA_INFO_DATA);
  size_t p = nest_begin(b, VETH_INFO_PEER);
  struct ifinfomsg *pi = reserve(b, sizeof *pi); /* the peer's own ifinfomsg, then its attributes */
  pi->ifi_family = AF_UNSPEC;
  pi->ifi_index = peer_index;
  attr_str(b, IFLA_IFNAME, peer);
  attr_u32(b, IFLA_NET_NS_FD, (uint32_t)peer_nsfd);
  nest_end(b, p);
  nest_end(b, data);
  nest_end(b, info);
  msg_end(b);
}

/* ---- IPv6 duplicate address detection off, as nsh does (src/backend/linux/dad.ts) ---- */

/* Write "0" to a /proc/sys/net file: it belongs to the namespace of the thread that opens it. */
static void write_zero(const char *path) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return; /* a kernel without IPv6 */
    die("open %s: %s", path, strerror(errno));
  }
  if (write(fd, "0\n", 2) != 2) die("write %s: %s", path, strerror(errno));
  close(fd);
}

/* In a namespace just made (the thread inside): links made there start without DAD. */
static void no_dad_by_default(void) { write_zero("/proc/sys/net/ipv6/conf/default/accept_dad"); }

/* A link of the host namespace (this thread's), before it comes up. */
static void no_dad_on(const char *ifname) {
  char path[96];
  snprintf(path, sizeof path, "/proc/sys/net/ipv6/conf/%s/accept_dad", ifname);
  write_zero(path);
}

/* ---- namespaces, as `ip netns add` / `ip netns del` ---- */

/* mkdir /run/netns and make it a shared mount point (bind it onto itself first if needed). */
static void prepare_run_dir(void) {
  if (mkdir(RUN_DIR, 0755) < 0 && errno != EEXIST) die("mkdir %s: %s", RUN_DIR, strerror(errno));
  if (mount("", RUN_DIR, "none", MS_SHARED | MS_REC, NULL) == 0) return;
  if (errno != EINVAL) die("make %s shared: %s", RUN_DIR, strerror(errno));
  if (mount(RUN_DIR, RUN_DIR, "none", MS_BIND | MS_REC, NULL) < 0) die("bind %s: %s", RUN_DIR, strerror(errno));
  if (mount("", RUN_DIR, "none", MS_SHARED | MS_REC, NULL) < 0) die("make %s shared: %s", RUN_DIR, strerror(errno));
}

/*
 * A new named namespace: /run/netns/NAME created, unshare, pin by bind mount; while inside, open
 * an fd to it (*nsfd) and a netlink socket in it (*sock). The thread returns to host_fd.
 */
static void netns_add(const char *name, int host_fd, int *nsfd, int *sock) {
  char path[64];
  snprintf(path, sizeof path, RUN_DIR "/%s", name);
  int f = open(path, O_RDONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0);
  if (f < 0) die("create %s: %s", path, strerror(errno));
  close(f);
  if (unshare(CLONE_NEWNET) < 0) die("unshare(CLONE_NEWNET): %s", strerror(errno));
  *nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (*nsfd < 0) die("open own netns: %s", strerror(errno));
  no_dad_by_default();
  *sock = nl_open();
  if (mount("/proc/thread-self/ns/net", path, "none", MS_BIND, NULL) < 0) die("bind onto %s: %s", path, strerror(errno));
  if (setns(host_fd, CLONE_NEWNET) < 0) die("setns back: %s", strerror(errno));
}

static void netns_del(const char *name) {
  char path[64];
  snprintf(path, sizeof path, RUN_DIR "/%s", name);
  if (umount2(path, MNT_DETACH) < 0) die("umount %s: %s", path, strerror(errno));
  if (unlink(path) < 0) die("unlink %s: %s", path, strerror(errno));
}

/* ---- the workload ---- */

static uint32_t subnet(int i) { return (10u << 24) + 4u * (uint32_t)(i - 1); }

static void raise_fd_limit(int n) {
  struct rlimit r;
  rlim_t need = (rlim_t)(2 * n + 64);
  if (getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < need) {
    if (r.rlim_max < need) r.rlim_max = need;
    r.rlim_cur = need;
    if (setrlimit(RLIMIT_NOFILE, &r) < 0) die("setrlimit NOFILE %lu: %s", (unsigned long)need, strerror(errno));
  }
}

static double now_s(void);
static double phase_t0;
static void phase(const char *what) {
  if (!getenv("BENCH_REF_PHASES")) return;
  double t = now_s();
  if (phase_t0 > 0) fprintf(stderr, "bench-ref: %-34s %8.1f ms\n", what, (t - phase_t0) * 1000);
  phase_t0 = t;
}

static void setup(int n, uint32_t group) {
  phase("start");
  raise_fd_limit(n);
  int host_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host_fd < 0) die("open host netns: %s", strerror(errno));
  int host = nl_open();
  int *nsfd = calloc((size_t)n + 1, sizeof *nsfd), *sock = calloc((size_t)n + 1, sizeof *sock);
  if (!nsfd || !sock) die("out of memory");
  char name[32], peer[32];

  prepare_run_dir();
  for (int i = 1; i <= n; i++) {
    snprintf(name, sizeof name, "n%d", i);
    netns_add(name, host_fd, &nsfd[i], &sock[i]);
  }
  phase("namespaces (unshare, socket, mount)");

  /* host side: all pairs, host addresses, host ends up; one send() per CHUNK_BYTES */
  struct msgbuf b = {0};
  for (int i = 1; i <= n; i++) {
    snprintf(peer, sizeof peer, "h%d", i);
    veth_pair(&b, peer, HOST_INDEX0 + i, host_fd, group, "v0", NS_V0_INDEX, nsfd[i]);
    if (b.len >= CHUNK_BYTES) nl_flush(host, &b, "create veth pairs");
  }
  nl_flush(host, &b, "create veth pairs");
  phase("veth pairs");
  for (int i = 1; i <= n; i++) {
    snprintf(peer, sizeof peer, "h%d", i);
    no_dad_on(peer);
  }
  phase("host ends: IPv6 DAD off");
  for (int i = 1; i <= n; i++) {
    addr_add(&b, HOST_INDEX0 + i, subnet(i) + 2, 30);
    link_up(&b, HOST_INDEX0 + i);
    if (b.len >= CHUNK_BYTES) nl_flush(host, &b, "host addresses and link up");
  }
  nl_flush(host, &b, "host addresses and link up");
  phase("host addresses, host ends up");

  /* namespace side: one send() of three messages per namespace, then all the acks */
  struct msgbuf nb = {0};
  for (int i = 1; i <= n; i++) {
    addr_add(&nb, NS_V0_INDEX, subnet(i) + 1, 30);
    link_up(&nb, NS_V0_INDEX);
    link_up(&nb, 1); /* lo */
    nl_send(sock[i], &nb);
    nb.len = 0;
  }
  for (int i = 1; i <= n; i++) {
    nl_acks(sock[i], 3, "namespace address and links up");
    close(sock[i]);
    close(nsfd[i]);
  }
  phase("namespace address, v0 and lo up");
  close(host);
  close(host_fd);
}

/*
 * The same work, but shaped like a simple client: namespace by namespace, one request per round
 * trip (veth, addresses, links up), ifindexes still chosen. Not part of the comparison; it
 * separates the kernel's cost of that shape from a client's own overhead.
 */
static void setup_serial(int n, uint32_t group) {
  raise_fd_limit(n);
  int host_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host_fd < 0) die("open host netns: %s", strerror(errno));
  int host = nl_open();
  char name[32], peer[32];
  struct msgbuf b = {0};
  prepare_run_dir();
  for (int i = 1; i <= n; i++) {
    int nsfd, sock;
    snprintf(name, sizeof name, "n%d", i);
    snprintf(peer, sizeof peer, "h%d", i);
    netns_add(name, host_fd, &nsfd, &sock);
    veth_pair(&b, peer, HOST_INDEX0 + i, host_fd, group, "v0", NS_V0_INDEX, nsfd);
    nl_flush(host, &b, "create veth pair");
    no_dad_on(peer);
    addr_add(&b, NS_V0_INDEX, subnet(i) + 1, 30);
    nl_flush(sock, &b, "namespace address");
    addr_add(&b, HOST_INDEX0 + i, subnet(i) + 2, 30);
    nl_flush(host, &b, "host address");
    link_up(&b, NS_V0_INDEX);
    nl_flush(sock, &b, "v0 up");
    link_up(&b, HOST_INDEX0 + i);
    nl_flush(host, &b, "host end up");
    link_up(&b, 1);
    nl_flush(sock, &b, "lo up");
    close(sock);
    close(nsfd);
  }
  close(host);
  close(host_fd);
}

static void teardown(int n, uint32_t group) {
  int host = nl_open();
  struct msgbuf b = {0};
  struct ifinfomsg *ifi = msg_begin(&b, RTM_DELLINK, 0, sizeof *ifi);
  ifi->ifi_family = AF_UNSPEC;
  ifi->ifi_index = 0; /* no index, no name: the kernel deletes every link of the group */
  attr_u32(&b, IFLA_GROUP, group);
  msg_end(&b);
  nl_flush(host, &b, "delete link group");
  close(host);
  char name[32];
  for (int i = 1; i <= n; i++) {
    snprintf(name, sizeof name, "n%d", i);
    netns_del(name);
  }
}

/* ---- settle: wait until the kernel has cleaned up ---- */

static double now_s(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void nap(void) {
  struct timespec t = {0, 1000000}; /* 1 ms */
  nanosleep(&t, NULL);
}

static int run_dir_empty(void) {
  DIR *d = opendir(RUN_DIR);
  if (!d) return 1;
  struct dirent *e;
  int empty = 1;
  while ((e = readdir(d))) {
    if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..")) {
      empty = 0;
      break;
    }
  }
  closedir(d);
  return empty;
}

/* The host namespace has no link but lo (if_nameindex() lists this namespace's links). */
static int host_links_only_lo(void) {
  struct if_nameindex *l = if_nameindex();
  if (!l) return 0;
  int ok = 1;
  for (struct if_nameindex *p = l; p->if_index; p++)
    if (strcmp(p->if_name, "lo")) ok = 0;
  if_freenameindex(l);
  return ok;
}

/*
 * The kernel cleans dead network namespaces up in cleanup_net(), a work item of an ordered
 * (single-threaded) workqueue: each run takes every namespace queued so far as one batch, exits
 * them (their devices are deleted in the exit phase: a veth's peer in another namespace goes
 * then), waits for RCU and frees them. A probe namespace that dies after the lab's namespaces is
 * therefore cleaned in the same batch or a later one; when its veth peer in the host vanishes,
 * every earlier batch is finished. A second probe, made after that, proves the first probe's
 * batch (which held whatever was left of the lab) finished too, frees included.
 */
static void probe(const char *hostname, double deadline) {
  int host_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (host_fd < 0) die("open host netns: %s", strerror(errno));
  int host = nl_open();
  if (unshare(CLONE_NEWNET) < 0) die("unshare(CLONE_NEWNET): %s", strerror(errno));
  int nsfd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) die("open probe netns: %s", strerror(errno));
  if (setns(host_fd, CLONE_NEWNET) < 0) die("setns back: %s", strerror(errno));
  struct msgbuf b = {0};
  veth_pair(&b, hostname, 0, host_fd, 0, "p0", 0, nsfd);
  nl_flush(host, &b, "create probe veth");
  free(b.data);
  close(host);
  close(nsfd); /* the last reference: the probe namespace dies now */
  close(host_fd);
  while (if_nametoindex(hostname) != 0) {
    if (now_s() > deadline) die("settle: %s still exists after the timeout", hostname);
    nap();
  }
}

static void settle(double timeout_s) {
  double deadline = now_s() + timeout_s;
  while (!run_dir_empty()) {
    if (now_s() > deadline) die("settle: %s is not empty", RUN_DIR);
    nap();
  }
  probe("benchprobe1", deadline);
  probe("benchprobe2", deadline);
  while (!host_links_only_lo()) {
    if (now_s() > deadline) die("settle: links other than lo are left in the host namespace");
    nap();
  }
}

int main(int argc, char **argv) {
  if (argc >= 4 && !strcmp(argv[1], "setup")) {
    setup(atoi(argv[2]), (uint32_t)strtoul(argv[3], NULL, 10));
  } else if (argc >= 4 && !strcmp(argv[1], "setup-serial")) {
    setup_serial(atoi(argv[2]), (uint32_t)strtoul(argv[3], NULL, 10));
  } else if (argc >= 4 && !strcmp(argv[1], "teardown")) {
    teardown(atoi(argv[2]), (uint32_t)strtoul(argv[3], NULL, 10));
  } else if (argc >= 2 && !strcmp(argv[1], "settle")) {
    settle(argc >= 3 ? atof(argv[2]) : 300.0);
  } else {
    fprintf(stderr, "usage: bench-ref setup N GROUP | setup-serial N GROUP | teardown N GROUP | settle [TIMEOUT_S]\n");
    return 2;
  }
  return 0;
}
