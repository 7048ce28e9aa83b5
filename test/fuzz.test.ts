/**
 * Property tests: random text and random token sequences never crash the parser or the checker;
 * every problem comes back as a diagnostic with a place in the source.
 */
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkLoaded, loadInline } from '../src/pipeline.js';
import { renderDiagnostic } from '../src/syntax/diagnostics.js';
import { statementKeywordNames, subKeywordNames } from '../src/syntax/keywords.js';

const pieces = [
  ...statementKeywordNames, ...subKeywordNames, 'default',
  '<->', '->', '<<<', '&', '!', ';', '\n', '{', '}', '\\\n', '#c\n', '=', '..', '1..3', 'a', 'b', 'a.v0', 'b.v1',
  'host.v1', '*.lo', '10.1.1.1/24', '10.0.0.0/30', 'fd00::1/64', '10.1.1.300', '::::', '$x', '${i+1}', '${',
  '"q"', '"$x"', "'lit'", '"', "'", '$!', '$$', '1', '0', '-c', '-l', 'ping', 'nc', '1234', 'x', 'i', 'averyveryverylongname',
  '%1', '--json', 'links', '"/tmp/net"', 'net.ipv4.ip_forward=1',
  '10ms', '1.5s', '250us', '5%', '100%', '101%', '10mbit', '1mbps', '10,20', '4095', '80', '10.0.0.2:80', '[fd00::2]:80',
  'root@m2', 'host@m2.eth0', 'vepa', '"x.pcap"',
];

async function noCrash(text: string): Promise<void> {
  const diagnostics = await checkLoaded(loadInline('-e', text), { env: {} });
  for (const d of diagnostics) {
    assert.ok(d.span, `diagnostic without a place: ${d.message}`);
    assert.ok(d.message.length > 0 && !d.message.includes('\n'), `message is one line: ${d.message}`);
    assert.doesNotMatch(d.message, /undefined|NaN|\[object/, d.message);
    renderDiagnostic(d);
  }
}

describe('property: the parser and checker never crash', function () {
  this.timeout(120_000);

  it('on random text', async () => {
    await fc.assert(fc.asyncProperty(fc.string({ maxLength: 200, unit: 'binary' }), noCrash), { numRuns: 400 });
  });

  it('on random sequences of nsh tokens', async () => {
    const program = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map(ts => ts.join(' '));
    await fc.assert(fc.asyncProperty(program, noCrash), { numRuns: 1500 });
  });

  it('on random statement-shaped lines', async () => {
    const word = fc.constantFrom(...pieces.filter(p => !/[\n;{}]/.test(p)));
    const line = fc.tuple(fc.constantFrom(...statementKeywordNames), fc.array(word, { maxLength: 6 })).map(([k, ws]) => [k, ...ws].join(' '));
    const program = fc.array(line, { maxLength: 12 }).map(ls => ls.join('\n'));
    await fc.assert(fc.asyncProperty(program, noCrash), { numRuns: 1500 });
  });
});
