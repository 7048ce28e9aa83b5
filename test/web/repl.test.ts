/**
 * The REPL's `.graph [FILE]` and `.web`, through the REPL driver on the kernel: the session's lab
 * drawn in each format, and its live view served while the session lasts (its changes told by the
 * backend's watch), gone when the session ends. The host shows only what the lab made there.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DOT_COMMANDS } from '../../src/repl/commands.js';
import { REPL_COMMANDS } from '../../src/repl/help.js';
import { assertClean, describeKernel, ip, scrub } from '../cli-kernel/harness.js';
import { drive, session } from '../repl/driver.js';
import { events, request, topologies, upIn } from './http.js';
import { sandboxLoopbackUp } from './loopback.js';

const PORT = 7879;

describe('REPL: .graph and .web are REPL commands', () => {
  it('every dot-command has its line in .help', () => {
    for (const c of DOT_COMMANDS) assert.ok(REPL_COMMANDS[c.name], c.name);
    assert.ok(DOT_COMMANDS.some(c => c.name === 'graph') && DOT_COMMANDS.some(c => c.name === 'web'));
  });

  it('without root, they say that they need it', async () => {
    const d = drive({ privileged: false });
    const out = await session(d, ['.graph', '.web']);
    assert.match(out, /nsh: \.graph reads the lab from the kernel, which needs root\n/);
    assert.match(out, /nsh: \.web reads the lab from the kernel, which needs root\n/);
    await d.end();
  });

  it('.help lists them', async () => {
    const d = drive({ privileged: false });
    const out = await session(d, ['.help']);
    assert.match(out, /\n {2}\.graph +\.graph \[FILE\] draws the lab/);
    assert.match(out, /\n {2}\.web +\.web \[--port N\] serves a live view/);
    await d.end();
  });
});

describeKernel('REPL: .graph and .web on the kernel', function () {
  this.timeout(60_000);
  let dir: string;
  let restoreLoopback = () => undefined as void;
  before(() => {
    restoreLoopback = sandboxLoopbackUp();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nsh-repl-graph-'));
  });
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    restoreLoopback();
  });
  afterEach(scrub);

  it('.graph FILE draws the session\'s lab in FILE\'s format; .graph alone prints DOT; the host only as far as the lab made it', async () => {
    ip('link', 'add', 'stray0', 'type', 'veth', 'peer', 'name', 'stray1');
    const d = drive({ privileged: true, cwd: dir });
    try {
      let out = await session(d, ['ns a', 'ns b hostname bee', 'veth a.v0 10.5.0.1/24 <-> b.v0 10.5.0.2/24', 'veth a.up <-> host.lab0', '.graph x.svg']);
      assert.match(out, /drew 2 namespaces to x\.svg\n/);
      const svg = fs.readFileSync(path.join(dir, 'x.svg'), 'utf8');
      assert.match(svg, /^<\?xml[^]*<svg/);
      for (const id of ['ns:a', 'ns:b', 'ns:host', 'veth:a.v0|b.v0', 'veth:a.up|host.lab0']) assert.ok(svg.includes(`id="${id}"`), `${id} is drawn`);
      assert.match(svg, /<title>repl<\/title>/);
      assert.match(svg, /hostname bee/);
      assert.ok(!svg.includes('stray0'), 'a link of the host that is not the lab\'s');
      out = await session(d, ['.graph']);
      assert.ok(out.startsWith('graph "repl" {\n'), out);
      assert.ok(out.includes('"ns:a" -- "ns:b" [id="veth:a.v0|b.v0"'), out);
      assert.ok(!out.includes('stray0'));
      // every format, by its extension; a quoted name too
      for (const ext of ['dot', 'mmd', 'json', 'html']) {
        out = await session(d, [`.graph "lab.${ext}"`]);
        assert.match(out, new RegExp(`drew 2 namespaces to lab\\.${ext}\\n`));
        // Mermaid names its nodes n1, n2 …: it writes the label
        assert.ok(fs.readFileSync(path.join(dir, `lab.${ext}`), 'utf8').includes(ext === 'mmd' ? 'hostname bee' : 'ns:b'), ext);
      }
      out = await session(d, ['.graph x.png', '.graph nosuchdir/x.svg']);
      assert.match(out, /nsh: cannot tell the format of x\.png: give it one of the extensions \.svg \.dot \.mmd \.json \.html\n/);
      assert.match(out, /nsh: cannot write nosuchdir\/x\.svg: no such directory\n/);
      assert.equal(await d.end(), 0);
    } finally {
      ip('link', 'del', 'stray0');
    }
    assertClean();
  });

  it('.web serves the live view of the session\'s lab, tells its changes, and ends with the session', async () => {
    const d = drive({ privileged: true, cwd: dir });
    const url = `http://127.0.0.1:${PORT}/`;
    try {
      let out = await session(d, ['ns a', 'ns b', 'veth a.v0 10.6.0.1/24 <-> b.v0 10.6.0.2/24', `.web --port ${PORT}`]);
      assert.match(out, new RegExp(`the live view of lab "repl" is at ${url.replace(/\./g, '\\.')} \\(read-only; it ends with this session\\)\\n`));
      const page = await request(PORT);
      assert.equal(page.status, 200);
      assert.match(page.body, /<title>repl · nsh<\/title>/);
      for (const id of ['ns:a', 'ns:b', 'veth:a.v0|b.v0']) assert.ok(page.body.includes(`id="${id}"`), `${id} is on the page`);
      // .web again: where it runs
      out = await session(d, ['.web']);
      assert.match(out, new RegExp(`^(nsh> )?the live view of lab "repl" is running at ${url.replace(/\./g, '\\.')}\\n`));
      // a link set down, a namespace added: the events tell them
      const seen = events(PORT, evs => {
        const ts = topologies(evs);
        return ts.some(t => upIn(t, 'a', 'v0') === false) && ts.some(t => t.nodes.some(n => n.key === 'ns:z'));
      });
      await session(d, ['down a.v0', 'ns z']);
      const ts = topologies(await seen);
      assert.equal(upIn(ts[0]!, 'a', 'v0'), true, 'the first event is the lab as it was');
    } finally {
      // it ends with the session
      assert.equal(await d.end(), 0);
    }
    await assert.rejects(request(PORT), /ECONNREFUSED/);
    assertClean();
  });

  it('.web: a port in use is said in one sentence, and the session goes on', async () => {
    const d = drive({ privileged: true, cwd: dir });
    const d2 = drive({ privileged: true, cwd: dir, lab: 'other' });
    try {
      let out = await session(d, [`.web --port ${PORT}`]);
      assert.match(out, /is at http/);
      out = await session(d2, [`.web --port ${PORT}`, '.web --port', '.web 80']);
      assert.match(out, new RegExp(`nsh: port ${PORT} of 127\\.0\\.0\\.1 is in use: --port N picks another\\n`));
      assert.match(out, /usage: \.web \[--port N\]\n[^]*usage: \.web \[--port N\]\n/);
    } finally {
      await d2.end();
      await d.end();
    }
  });
});
