/** How a diagnostic is said. */
import * as assert from 'node:assert/strict';
import { error, renderDiagnostic } from '../src/syntax/diagnostics.js';

describe('diagnostics', () => {
  it('say a problem with no place in a script as the command\'s: nsh: error: …', () => {
    assert.equal(renderDiagnostic(error('cannot read nosuch.ns: no such file')), 'nsh: error: cannot read nosuch.ns: no such file');
  });
});
