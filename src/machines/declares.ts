/** Whether a program is a lab across machines: it declares a machine (`machine NAME ssh …`). */
import type { Statement } from '../syntax/ast.js';

export function declaresMachines(statements: readonly Statement[]): boolean {
  return statements.some(s => {
    switch (s.kind) {
      case 'machine':
        return true;
      case 'for':
      case 'def':
        return declaresMachines(s.body);
      case 'include':
        return declaresMachines(s.body ?? []);
      case 'not':
        return declaresMachines([s.statement]);
      default:
        return false;
    }
  });
}
