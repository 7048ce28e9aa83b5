/**
 * The library as a package's user meets it: `import { lab } from 'nsh'` resolves to dist/ through
 * package.json's exports (a package may import itself by name), tsc checks examples/api against
 * dist/api.d.ts and rejects misuse, and the example test passes under node's test runner, as root
 * and as an ordinary user under `nsh --rootless --`.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { assertClean, describeKernel, nshBin, root } from '../cli-kernel/harness.js';

const tsc = path.join(root, 'node_modules/.bin/tsc');

function run(file: string, args: string[], opts: { env?: Record<string, string> } = {}) {
  const r = spawnSync(file, args, { cwd: root, encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...opts.env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('library: types', function () {
  this.timeout(120_000);

  it('tsc checks examples/api against the published declarations', () => {
    const r = run(tsc, ['-p', 'examples/api', '--noEmit']);
    assert.equal(r.code, 0, r.out);
  });

  it('tsc rejects a template value that is not a word, and a program given as a string', () => {
    const dir = fs.mkdtempSync(path.join(root, 'build/types-'));
    try {
      fs.writeFileSync(path.join(dir, 'misuse.ts'), [
        "import { lab, NshError, type PingReport } from 'nsh';",
        'const l = await lab`ns ${["a", "b"]}`;',
        "await l.exec('a', 'ls -l');",
        "const r: PingReport = await l.ping('a', '10.0.0.1');",
        'const e = new NshError([], "check"); e.diagnostics[0]?.rendered.toUpperCase();',
        'export { r };',
      ].join('\n'));
      const config = { extends: '../../examples/api/tsconfig.json', compilerOptions: { noEmit: true, rootDir: '.' }, include: ['*.ts'] };
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(config));
      const r = run(tsc, ['-p', dir]);
      assert.equal(r.code, 2, r.out);
      const errors = r.out.split('\n').filter(l => l.includes('error TS'));
      assert.equal(errors.length, 2, r.out);
      assert.match(errors[0]!, /misuse\.ts\(2,.*string\[\]/);
      assert.match(errors[1]!, /misuse\.ts\(3,.*'string' is not assignable to parameter of type 'readonly string\[\]'/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describeKernel('library: the example test', function () {
  this.timeout(120_000);

  before(() => {
    const r = run(tsc, ['-p', 'examples/api']);
    assert.equal(r.code, 0, r.out);
  });

  // the files by name: node 22 and later take --test's arguments as files or globs, not directories
  const files = () => fs.readdirSync(path.join(root, 'build/examples/api')).filter(f => f.endsWith('.test.js')).map(f => `build/examples/api/${f}`);

  it('passes under node --test as root', () => {
    const r = run(process.execPath, ['--test', '--test-reporter=tap', ...files()]);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^# pass 3$/m);
    assertClean();
  });

  it('passes as an ordinary user under nsh --rootless --', () => {
    const r = run('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', nshBin, '--rootless', '--', process.execPath, '--test', '--test-reporter=tap', ...files()], { env: { HOME: '/tmp' } });
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^# pass 3$/m);
    assertClean();
  });
});
