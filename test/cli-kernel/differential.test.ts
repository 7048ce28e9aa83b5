/**
 * The same lab two ways: built by nsh, and built by bash from nsh's --explain output, each in a
 * fresh network namespace of its own; the kernel states (ip -j, normalised) must be equal.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { inSandbox } from '../helpers/sandbox.js';
import { describeKernel, nsh, nshBin, root, writeScript } from './harness.js';

const labs: Record<string, string> = {
  'veth shorthand': 'ns a b\nveth a.v0 <-> b.v0 10.1.1.1/24\nveth a.v1 <-> host.hv1 10.0.0.0/30\nup *.lo',
  'bridge star': 'ns sw\nbridge sw.br0\nfor i in 1..4 {\n  ns leaf$i\n  veth leaf$i.eth0 192.168.5.${i+10}/24 <-> sw.p$i\n  attach sw.p$i -> sw.br0\n}',
  'router with routes': 'def h N NET {\n  ns $N\n  veth r.$N 10.$NET.0.1/24 <-> $N.eth0 10.$NET.0.2/24\n  route $N default via 10.$NET.0.1\n}\nns r\nforward r\nh h1 1\nh h2 2\nroute h1 10.99.0.0/16 dev eth0',
  'IPv6': 'ns a b\nveth a.v0 fd00:1::1/64 <-> b.v0 fd00:1::2/64 mtu 1400\nroute a fd00:2::/64 via fd00:1::2\naddr a.v0 fd00:1::10/64',
  'moves': 'ns n1 n2\nveth n1.veth1 <-> n2.veth2 10.4.0.1/30\nmove n1.veth1 -> host\nmove host.veth1 -> n2 as moved\nup n2.moved',
};

/** Runs `command` (a shell line) in a fresh sandbox and returns the lab's state as JSON. */
function stateAfter(command: string): unknown {
  const dump = `node --input-type=module -e "const h = await import('${path.join(root, 'build/test/cli-kernel/harness.js')}'); ` +
    `console.log(JSON.stringify(h.labState(['host', ...h.netnsList()])))"`;
  const r = inSandbox(`${command} >/dev/null && ${dump}`, { timeoutMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

describeKernel('differential: nsh and its --explain build the same lab', function () {
  this.timeout(120_000);
  for (const [name, text] of Object.entries(labs)) {
    it(name, () => {
      const file = writeScript('lab.ns', text);
      const explained = nsh(['--explain', file]);
      assert.equal(explained.code, 0, explained.stderr);
      const sh = path.join(path.dirname(file), 'lab.sh');
      fs.writeFileSync(sh, explained.stdout);
      const byNsh = stateAfter(`${nshBin} ${file}`);
      const byBash = stateAfter(`bash ${sh}`);
      assert.deepEqual(byNsh, byBash);
    });
  }
});
