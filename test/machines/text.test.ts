/**
 * What a machine is told is nsh text that parses back into the operation the coordinator
 * planned: each kind of operation, written as a statement and read again, is the same operation.
 */
import * as assert from 'node:assert/strict';
import { failsWithOpError, type Backend, type Op, type OpKind, type OpOf, type ResultOf } from '../../src/backend/backend.js';
import { loadInline } from '../../src/pipeline.js';
import { Interpreter } from '../../src/runtime/interpreter.js';
import { opText, word } from '../../src/machines/text.js';

/** Records the operations of statements, as a backend that does nothing. */
class Recording implements Backend {
  readonly ops: Op[] = [];
  private jobs = 0;
  async apply<K extends OpKind>(op: OpOf<K>): Promise<ResultOf<K>> {
    this.ops.push(op as Op);
    const bg = 'background' in op && op.background;
    return (bg ? { id: ++this.jobs, pid: 4000 + this.jobs } : undefined) as ResultOf<K>;
  }
  expectFailure = failsWithOpError;
}

async function opsOf(text: string): Promise<Op[]> {
  const l = loadInline('t.ns', text);
  assert.deepEqual(l.diagnostics.map(d => d.message), [], `${text}: parses`);
  const backend = new Recording();
  const interp = new Interpreter({ backend, mode: 'run', env: {}, lab: ['a', 'b', 'r'] });
  const o = await interp.run(l.program.statements);
  assert.ok(o.ok, `${text}: ${o.ok ? '' : o.diagnostic.message}`);
  return backend.ops;
}

/** An operation without its places in the text. */
function bare(op: Op): unknown {
  return JSON.parse(JSON.stringify(op, (k, v) => (k === 'span' || k === 'programAt' || k === 'viaSpan' || k === 'machineSpan' ? undefined : v)));
}

const STATEMENTS = [
  'ns x y',
  'ns h hostname "web server"',
  'del a',
  'del a.v0',
  'veth a.v0 <-> b.v0 10.0.0.1/30',
  'veth a.v0 10.0.0.1/24 fd00::1/64 <-> b.v0 10.0.0.2/24 mtu 9000',
  'veth a.v0 <-> host.v9',
  'bridge r.br0 p1 p2',
  'attach r.p3 r.p4 -> r.br0',
  'addr a.v0 10.1.1.5/24 fd00::5/64',
  'addr a.v0 del 10.1.1.5/24',
  'up a.lo b.lo',
  'down a.v0',
  'move a.v0 -> b as w0',
  'move a.v0 -> host',
  'move a.v0 -> pid 1',
  'move a.v0 -> "/run/netns/x"',
  'route a default via 10.0.0.2',
  'route a 10.9.0.0/16 dev v0',
  'route a fd01::/64 via fd00::2',
  'route a del 10.9.0.0/16',
  'forward r',
  'sysctl r net.ipv4.ip_forward=1',
  'vxlan a.vx0 4711 remote 192.0.2.2 10.9.0.1/24',
  'vxlan host.vx1 42 remote fd00::2 local fd00::1 port 8472 mtu 1400',
  'in a ip -br link',
  "in a sh -c 'echo \"$HOME\" it'\"'\"'s'",
  'in a cat <<< "two\nlines, and \\"quotes\\" and \\$dollars"',
  'in a sleep 100 &',
  'in a "ping" -c 1 10.0.0.2',
  'in a /usr/bin/nc -h',
  'in a ping 10.0.0.2 -c 5 -i 0.5 -W 2 -s 100 -M do -I v0',
  'in a ping fd00::2',
  'in a nc -l -u 5000 &',
  'in a nc -w 2 10.0.0.2 80 <<< "GET /"',
  'in a nc -z 10.0.0.2 22',
  'in pid 1 ip link',
  'in "/proc/1/ns/net" ip link',
  'info a',
  'same a b net',
  'pin a as c',
  'pin a at "/tmp/x y"',
  'spawn uts pid net hostname box as s sleep 1 &',
  'spawn net sh -c "exit 0"',
  'in a sleep 1 &\nwait %1',
  'in a sleep 1 &\nkill $!',
  'jobs',
  'echo "it\'s $((1)) done"',
  'sleep 1.5',
  'sleep 250ms',
];

describe('machines: operations as nsh text', () => {
  for (const text of STATEMENTS) {
    it(text.replace(/\n/g, '; '), async () => {
      const ops = await opsOf(text);
      for (const op of ops) {
        const written = opText(op);
        assert.ok(written !== undefined, `${op.kind} has a statement`);
        // (the marks of the coordinator's jobs, as a session replaces them: job 1 is %1 there, its pid 4001)
        const again = await opsOf(written.replace(/%\uE002(\d+)\uE003/g, '%$1'));
        assert.equal(again.length, 1, `${written}: one operation`);
        assert.deepEqual(bare(again[0]!), bare(op), written);
      }
    });
  }

  it('quotes a keyword, a word the lexer would split, and an empty word', () => {
    assert.equal(word('a'), 'a');
    assert.equal(word('on'), "'on'");
    assert.equal(word('hostname'), "'hostname'");
    assert.equal(word('a b'), "'a b'");
    assert.equal(word("it's"), `"it's"`);
    assert.equal(word('$x'), "'$x'");
    assert.equal(word(''), "''");
    assert.equal(word('a->b'), "'a->b'");
  });
});
