/** shape, capture and await: a link's conditions, what crosses it, and waiting for a service. */
import type * as A from '../../syntax/ast.js';
import type { Op } from '../../backend/ops.js';
import { awaitValues, captureValues, shapingValues, type CheckWord } from '../statement-values.js';
import { fail } from '../roles.js';
import type { LowerContext } from './context.js';

export type MeasureStatement = A.ShapeStmt | A.CaptureStmt | A.AwaitStmt;

export function lowerMeasure(s: MeasureStatement, c: LowerContext): Op[] {
  const { roles: r, scope } = c;
  const value: CheckWord = (w, check) => r.value(w, scope, check);
  const span = s.span;
  switch (s.kind) {
    case 'shape': {
      const eps = s.endpoints.flatMap(w => r.endpoints(w, scope));
      eps.forEach((ep, i) => {
        if (eps.findIndex(e => e.ns === ep.ns && e.ifname === ep.ifname) !== i) fail(`${ep.ns}.${ep.ifname} is named twice`, ep.span ?? span);
      });
      return [{ kind: 'shape', span, eps, shaping: s.shaping.kind === 'off' ? 'off' : shapingValues(s.shaping.options, value) }];
    }
    case 'capture': {
      const ep = r.endpoint(s.endpoint, scope);
      const v = captureValues(s, value);
      return [{
        kind: 'capture',
        span,
        ep,
        ...(v.file === undefined ? {} : { file: v.file }),
        ...(v.count === undefined ? {} : { count: v.count }),
        ...(v.duration === undefined ? {} : { seconds: v.duration }),
        background: v.background,
      }];
    }
    case 'await': {
      const ref = r.nsRef(s.ref, scope);
      const { target: t, timeout } = awaitValues(s, value);
      return [t.kind === 'listen'
        ? { kind: 'await', span, ref, timeout, what: t.protocol, port: t.port }
        : { kind: 'await', span, ref, timeout, what: 'reach', address: t.address, family: t.family }];
    }
  }
}
