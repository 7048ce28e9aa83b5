/** The statements of the registry (statements.ts) that shape, capture and wait, and the edge: VLANs, NAT, VXLAN, machines. */
import { any, background, kw, MACVLAN_MODE_NAMES, one, op, SHAPE_OPTIONS, some, type StatementSpec } from './statement-spec.js';

export const edgeStatements: readonly StatementSpec[] = [
  {
    name: 'shape',
    rule: 'shapeStmt',
    help: 'shape what leaves each endpoint (delay, loss, rate …), replacing any shaping it had; off removes it',
    forms: [[some('NS.IF', 'endpoint')]],
    options: [...SHAPE_OPTIONS, { word: 'off', help: 'remove the shaping (alone)' }],
    examples: ['shape a.v0 delay 50ms jitter 5ms loss 1%', 'shape a.v0 b.v0 rate 1mbit', 'shape a.v0 off'],
  },
  {
    name: 'capture',
    rule: 'captureStmt',
    help: 'built-in packet capture on an interface: one line per packet, or a pcap file',
    forms: [[one('NS.IF', 'endpoint')]],
    options: [
      { word: 'to', value: 'FILE', meta: '"FILE"', help: 'write a pcap file (tcpdump and Wireshark read it)' },
      { word: 'count', value: 'N', range: [1, 1_000_000_000], help: 'end after this many packets' },
      { word: 'for', value: 'TIME', range: [1e-6, 86400], help: 'end after this long' },
      background,
    ],
    examples: ['capture a.v0 count 5', 'capture b.eth0 to "b.pcap" for 10s &'],
  },
  {
    name: 'await',
    rule: 'awaitStmt',
    help: 'wait until something listens on a port in a namespace, or until an address answers a ping from it',
    forms: [
      [one('NSREF', 'nsref'), kw('tcp|udp'), one('PORT')],
      [one('NSREF', 'nsref'), kw('reach'), one('ADDR', 'address')],
    ],
    options: [{ word: 'timeout', value: 'TIME', range: [1e-6, 86400], help: 'how long to wait at most (10s)' }],
    examples: ['await b tcp 8080', 'await a reach 10.0.2.2 timeout 5s'],
  },
  {
    name: 'vlan',
    rule: 'vlanStmt',
    help: 'an 802.1Q sub-interface (IF.ID unless named with as), in the same namespace, up, addressed',
    forms: [[one('NS.IF', 'endpoint'), one('ID'), any('ADDR', 'address')]],
    options: [{ word: 'as', value: 'NAME', help: 'its name (default IF.ID)' }],
    examples: ['vlan a.eth0 10 10.0.10.1/24', 'vlan a.eth0 20 as mgmt'],
  },
  {
    name: 'macvlan',
    rule: 'macvlanStmt',
    help: 'a macvlan of an interface (a NIC of the host: host.eth0), placed in a namespace, up, addressed',
    forms: [[one('NS.IF', 'endpoint'), op('->'), one('NS.NAME', 'endpoint'), any('ADDR', 'address')]],
    options: [{ word: 'mode', value: 'MODE', choices: MACVLAN_MODE_NAMES, help: 'the macvlan mode (bridge)' }],
    examples: ['macvlan host.eth0 -> a.mv0 192.168.1.50/24', 'macvlan host@m2.eth0 -> b.mv0 mode vepa'],
  },
  {
    name: 'nat',
    rule: 'natStmt',
    help: 'masquerade what a namespace forwards out of interfaces that are not links of the lab',
    forms: [[one('NS', 'namespace')]],
    options: [],
    examples: ['nat host'],
  },
  {
    name: 'publish',
    rule: 'publishStmt',
    help: 'connections to a port on a namespace\'s own addresses go to ADDR:PORT inside the lab',
    forms: [[one('NS', 'namespace'), kw('tcp|udp', true), one('PORT'), op('->'), one('ADDR[:PORT]', 'address')]],
    options: [],
    examples: ['publish host 8080 -> 10.0.0.2:80', 'publish host udp 5353 -> [fd00::2]:53'],
  },
  {
    name: 'vxlan',
    rule: 'vxlanStmt',
    help: 'one end of a VXLAN tunnel to another machine: made in the root namespace (its UDP socket stays there), placed in NS, up, addressed',
    forms: [[one('NS.IF', 'endpoint'), one('VNI'), kw('remote'), one('ADDR', 'address'), any('ADDR', 'address')]],
    options: [
      { word: 'local', value: 'ADDR', help: 'the source address of its packets (that of the route to the remote)' },
      { word: 'port', value: 'PORT', help: 'the UDP port (4789)' },
      { word: 'mtu', value: 'N', range: [68, 65535], help: 'its MTU (the kernel gives 1450 over IPv4)' },
    ],
    examples: ['vxlan a.vx0 4711 remote 192.0.2.2 10.9.0.1/24', 'vxlan host.vx1 42 remote 192.0.2.3 local 192.0.2.1 mtu 1400'],
  },
  {
    name: 'machine',
    rule: 'machineStmt',
    help: 'a machine the lab may use, reached with OpenSSH',
    forms: [[one('NAME'), kw('ssh'), one('[USER@]HOST')]],
    options: [{ word: 'port', value: 'PORT', help: 'the ssh port (22)' }],
    examples: ['machine m2 ssh root@10.0.0.5', 'machine m3 ssh m3.example.org port 2222'],
  },
];
