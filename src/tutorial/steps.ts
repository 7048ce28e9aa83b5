/**
 * The steps of `nsh tutorial`: the classic network-namespace walk, one example script each
 * (examples/walkthrough/FILE). The scripts carry the long comments; a step here says in a few
 * lines what happens and which iproute2 / util-linux commands the script stands for.
 */
export interface Step {
  /** The example script, in examples/walkthrough. */
  readonly file: string;
  readonly title: string;
  /** A few lines of explanation, shown before the statements. */
  readonly about: readonly string[];
  /** The classic commands the nsh statements replace. */
  readonly classic: readonly string[];
  /** What the step changes outside namespaces of its own, when it runs on the machine itself (--host). */
  readonly host?: string;
}

export const STEPS: readonly Step[] = [
  {
    file: '01-namespaces.ns',
    title: 'the kinds of namespaces, and the veth pair',
    about: [
      'A namespace gives its processes their own copy of one global resource: UTS (the hostname),',
      'IPC, PID (process numbers), network (links, addresses, routes), user (ids) and mount (the',
      'file system tree). /proc/PID/ns holds one link per kind. A veth pair is a virtual cable',
      'whose two ends may sit in different network namespaces.',
    ],
    classic: [
      'ls -l /proc/$$/ns',
      'ls -l /proc/1/ns',
      'ip netns add left; ip netns add right',
      'ip -n right link add veth0 type veth peer name veth1 netns left',
    ],
  },
  {
    file: '02-netns-add-del.ns',
    title: 'create, list, look into and delete a network namespace',
    about: [
      '`ip netns add` keeps a new network namespace alive with a bind mount at /run/netns/NAME',
      '(/var/run/netns). `ns` does the same, so iproute2 sees what nsh makes. A new namespace',
      'holds only lo, and lo is down.',
    ],
    classic: ['ip netns add netns1', 'ls /var/run/netns', 'ip netns exec netns1 ip link list', 'ip netns list', 'ip netns delete netns1'],
  },
  {
    file: '03-loopback.ns',
    title: 'the loopback device starts down',
    about: [
      'Inside a fresh namespace not even 127.0.0.1 answers: with lo down there is no route, and',
      'ping fails with "Network is unreachable". `!` marks a statement that must fail.',
      'Once lo is up, the namespace can reach itself.',
    ],
    classic: [
      'ip netns exec netns1 ping 127.0.0.1      # ping: connect: Network is unreachable',
      'ip netns exec netns1 ip link set dev lo up',
      'ip netns exec netns1 ping 127.0.0.1',
    ],
  },
  {
    file: '04-veth.ns',
    host: "adds veth0 with 10.1.1.2/24 to the host's network namespace",
    title: 'a veth pair between netns1 and the host',
    about: [
      'veth1 goes into netns1 with 10.1.1.1/24, veth0 stays in the host with 10.1.1.2/24; one',
      '`veth` statement makes the pair, addresses both ends and brings them up. Then ping both',
      'ways, and look at the routing table and the (empty) firewall inside netns1.',
    ],
    classic: [
      'ip link add veth0 type veth peer name veth1',
      'ip link set veth1 netns netns1',
      'ip netns exec netns1 ifconfig veth1 10.1.1.1/24 up',
      'ifconfig veth0 10.1.1.2/24 up',
      'ping 10.1.1.1; ip netns exec netns1 ping 10.1.1.2',
      'ip netns exec netns1 route; ip netns exec netns1 iptables -L',
    ],
  },
  {
    file: '05-move-to-pid1.ns',
    host: "adds veth0 (10.1.1.2/24) to the host's network namespace, and moves veth1 into the network namespace of PID 1, the machine's own",
    title: 'moving a device into the root namespace, and how to prevent it',
    about: [
      'Root in a network namespace may move its devices to the namespace of any process it can',
      'name, PID 1 included: veth1 lands in the root namespace. That is a security risk. In new',
      'PID and mount namespaces the process is PID 1 itself and sees only its own /proc, so',
      '"netns 1" names its own namespace and nothing leaves.',
    ],
    classic: [
      'ip netns exec netns1 ip link set veth1 netns 1',
      "unshare --pid --mount --net --fork --mount-proc sh -c 'ip link set esc0 netns 1'",
    ],
  },
  {
    file: '06-proc-pid-ns.ns',
    title: '/proc/PID/ns: which namespaces a process is in',
    about: [
      'Each /proc/PID/ns entry reads like net:[4026531840]; the number is the namespace\'s inode.',
      'Two processes share a namespace exactly when the numbers are equal. `info` prints them,',
      '`same` compares them and fails when they differ.',
    ],
    classic: ['ls -l /proc/$$/ns', "ip netns exec netns1 sh -c 'ls -l /proc/$$/ns'"],
  },
  {
    file: '07-pin.ns',
    host: 'bind-mounts namespace files at /run/nsh-walkthrough-net and /run/nsh-walkthrough-kept',
    title: 'keeping a namespace alive',
    about: [
      'A namespace lives while a process is inside it, a descriptor of it is open, or its file is',
      'bind-mounted somewhere. `pin pid N as NAME` names a process\'s namespace; `pin … at "FILE"`',
      'is the classic touch + mount --bind. The namespace survives its process, and its name.',
    ],
    classic: [
      'ip netns exec scratch sleep 300 &; ip netns delete scratch',
      'ip netns attach kept PID',
      'touch /run/nsh-walkthrough-net',
      'mount --bind /proc/$$/ns/net /run/nsh-walkthrough-net',
    ],
  },
  {
    file: '08-setns.ns',
    host: "adds veth0 with 10.1.1.2/24 to the host's network namespace, and bind-mounts /run/nsh-walkthrough-netns1",
    title: 'entering a namespace through its file (setns)',
    about: [
      'open() a namespace file, setns() on it, exec a program: that is all a setns helper does,',
      'and how container runtimes enter namespaces without names. A quoted path is such a',
      'reference in nsh: `in "FILE" CMD`.',
    ],
    classic: ['./setns /run/nsh-walkthrough-netns1 ip link', 'nsenter --net=/run/nsh-walkthrough-netns1 ip addr'],
  },
  {
    file: '09-clone.ns',
    host: "adds veth0 with 169.254.1.1/30 to the host's network namespace",
    title: 'the clone() demo: a child in five new namespaces',
    about: [
      'A child in new UTS, IPC, PID, mount and network namespaces is PID 1, has the hostname',
      '"In Namespace" and its own /proc/$$/ns numbers. A veth pair joins it to the root namespace',
      '(169.254.1.2/30 inside, 169.254.1.1/30 outside), and nc carries "haha" across.',
    ],
    classic: [
      'unshare --uts --ipc --pid --mount --net --fork --mount-proc sh   # the clone() flags',
      'ip link add veth0 type veth peer name veth1 netns CHILD_PID',
      'nc -l 1234                     # in the child',
      'echo haha | nc 169.254.1.2 1234   # in the root namespace',
    ],
  },
];
