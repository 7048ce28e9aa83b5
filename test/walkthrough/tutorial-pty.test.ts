/**
 * `nsh tutorial` in a real terminal (a tmux pane): Enter runs the statement shown and the line
 * then reads as if it had been typed; ↑ brings the statement back to edit; the lab stays up at
 * the pause; Ctrl-C ends a running statement and the tutorial goes on; at a prompt it ends the
 * tutorial.
 */
import * as assert from 'node:assert/strict';
import { assertClean, describeKernel, nshBin, root, scrub } from '../cli-kernel/harness.js';
import { Pane } from '../repl/tmux.js';

describeKernel('nsh tutorial in a terminal (tmux)', function () {
  this.timeout(60_000);
  const pane = new Pane();
  after(() => {
    pane.stop();
    scrub();
  });

  const start = async (args = '') => {
    pane.start(`cd ${root} && HOME=${pane.dir} NO_COLOR=1 ${nshBin} tutorial ${args}; echo "tutorial exited $?"; sleep 60`);
    await pane.waitFor(/^step \d>\s*$/m);
  };

  it('types the statements: Enter for the one shown, an edit after ↑, a look at the pause, Ctrl-C on a long one', async () => {
    await start();
    // (capture-pane drops a line's trailing spaces: the prompt reads "step 1>")
    // Enter alone: the statement shown runs, and its line reads as typed
    pane.key('Enter');
    await pane.waitFor(/^step 1> info host\nnet +net:\[\d+\]$/m);
    // typed as shown
    pane.type('info pid 1');
    pane.key('Enter');
    await pane.waitFor(/^step 1> info pid 1\nnet +net:\[\d+\]$/m);
    // ↑ brings back the statement shown (ns left right), to edit
    await pane.waitFor(/^ {2}ns left right\nstep 1>\s*$/m);
    pane.key('Up');
    await pane.waitFor(/^step 1> ns left right$/m);
    pane.type(' extra');
    pane.key('Enter');
    await pane.waitFor(/^step 1> ns left right extra\n/m);
    pane.key('Enter'); // veth
    await pane.waitFor(/^step 1> veth left\.veth1 <-> right\.veth0$/m);
    pane.key('Enter'); // show
    await pane.waitFor(/Its lab stays up until you go on/);
    // at the pause: the lab is there to look at
    pane.type('in extra ip -br link');
    pane.key('Enter');
    await pane.waitFor(/^step 1> in extra ip -br link\nlo +DOWN/m);
    // Ctrl-C ends a running statement, on the line after ^C; the tutorial goes on
    pane.type('in extra sh -c "echo started; sleep 100"');
    pane.key('Enter');
    await pane.waitFor(/^started$/m);
    pane.key('C-c');
    await pane.waitFor(/^\^C\ntutorial:1:1: error: sh was ended by SIGINT$/m);
    await pane.waitFor(/\n {4}\| \^+\nstep 1>\s*$/m);
    pane.type('q');
    pane.key('Enter');
    const s = await pane.waitFor(/tutorial exited \d+/);
    assert.match(s, /^Stopped\. `nsh tutorial 1` starts again at step 1\.$/m);
    assert.match(s, /tutorial exited 0/);
    assertClean();
  });

  it('ends with 130 on Ctrl-C at a prompt', async () => {
    await start('6');
    assert.match(pane.screen(), /── Step 6\/9/);
    pane.key('C-c');
    const s = await pane.waitFor(/tutorial exited \d+/);
    assert.match(s, /tutorial exited 130/);
    assertClean();
  });
});
