/** The REPL in a real terminal: bin/nsh in a tmux pane (tmux.ts); the test types and reads the screen. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClean, describeKernel, nshBin, root, scrub } from '../cli-kernel/harness.js';
import { Pane } from './tmux.js';

describeKernel('REPL in a terminal (tmux)', function () {
  this.timeout(60_000);
  const pane = new Pane();
  const screen = () => pane.screen();
  const type = (text: string) => pane.type(text);
  const key = (...keys: string[]) => pane.key(...keys);
  const waitFor = (re: RegExp) => pane.waitFor(re);
  const count = (re: RegExp) => pane.count(re);
  after(() => {
    pane.stop();
    scrub();
  });

  /** Starts nsh in a new pane (the one before is closed). */
  const start = async () => {
    pane.start(`cd ${root} && HOME=${pane.dir} ${nshBin}; echo "nsh exited $?"; sleep 60`);
    await waitFor(/nsh>\s*$/m);
  };

  it('types a session: a lab, a ping, Tab, context, Ctrl-C on a long ping, Ctrl-D in a block and at the prompt', async () => {
    await start();
    type('ns a');
    key('Enter');
    type('veth a.v0 <-> host.v1 10.1.1.1/24');
    key('Enter');
    type('in a ping 10.1.1.2 -c 1');
    key('Enter');
    await waitFor(/1 packets transmitted, 1 received/);
    // Tab completes a keyword and an interface name
    type('ve');
    key('Tab');
    // the keyword comes with its space (the screen shows no trailing space: a.'s completion needs it)
    await waitFor(/nsh> veth$/m);
    type('a.');
    key('Tab');
    key('Tab');
    await waitFor(/a\.lo\s+a\.v0/);
    key('C-u');
    // context: bare commands run in a
    type('in a');
    key('Enter');
    await waitFor(/nsh\(a\)>\s*$/m);
    type('ip -br addr');
    key('Enter');
    await waitFor(/v0@\S+ +UP +10\.1\.1\.1\/24/);
    type('in host');
    key('Enter');
    // Ctrl-C ends a long ping and the REPL goes on
    type('in a ping 10.1.1.2 -c 1000 -i 0.1');
    key('Enter');
    await waitFor(/icmp_seq=5 /);
    key('C-c');
    await waitFor(/packets transmitted/);
    const prompts = count(/nsh> /);
    type('echo alive');
    key('Enter');
    await waitFor(/^alive$/m);
    assert.ok(count(/nsh> /) > prompts);
    // Ctrl-D in the middle of a block drops the block; the session goes on
    type('for i in 1..2 {');
    key('Enter');
    await waitFor(/^\.\.\.\s*$/m);
    key('C-d');
    await waitFor(/dropped the unfinished entry/);
    type('echo still here');
    key('Enter');
    await waitFor(/^still here$/m);
    // Ctrl-D at the prompt leaves, saying in one line what it removes
    key('C-d');
    const s = await waitFor(/nsh exited \d+/);
    assert.match(s, /^nsh: removing what this session made: 2 objects \(namespace a, link host\.v1\)$/m);
    assert.match(s, /nsh exited 0/);
    assertClean();
    assert.match(fs.readFileSync(path.join(pane.dir, '.nsh_history'), 'utf8'), /^in a ping 10\.1\.1\.2 -c 1000 -i 0\.1$/m);
  });

  it('Ctrl-C on a program: ^C, a line break, then its error', async () => {
    await start();
    for (let i = 1; i <= 3; i++) {
      type(`in host sh -c "echo started-${i}; sleep 100"`);
      key('Enter');
      await waitFor(new RegExp(`^started-${i}$`, 'm'));
      key('C-c');
      await waitFor(new RegExp(`^started-${i}\\n[^]*ended by SIGINT[^]*nsh>\\s*$`, 'm'));
    }
    const s = screen();
    assert.equal((s.match(/^\^C$/gm) ?? []).length, 3, s);
    assert.equal((s.match(/^\^C\nrepl:1:1: error: sh was ended by SIGINT$/gm) ?? []).length, 3, s);
    key('C-d');
    await waitFor(/nsh exited 0/);
    assertClean();
  });
});
