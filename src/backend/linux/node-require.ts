/**
 * Node's own modules and a `require` for packages, got when first needed without loading
 * node:module at start-up (2.3 M instructions, ~1 % of `nsh -e 'ns a'`): node ≥ 20.16 hands its
 * modules out through process.getBuiltinModule; before that, the main module's class (bin/nsh's
 * Module) makes the require.
 */
import type * as NodeModule from 'node:module';

type GetBuiltin = (id: string) => unknown;
const getBuiltin = (process as unknown as { getBuiltinModule?: GetBuiltin }).getBuiltinModule?.bind(process);

let moduleClass: typeof NodeModule | undefined;

function nodeModule(): typeof NodeModule {
  moduleClass ??= (getBuiltin?.('node:module') ??
    (process as unknown as { mainModule?: { constructor: unknown } }).mainModule?.constructor) as typeof NodeModule | undefined;
  if (!moduleClass?.createRequire) throw new Error('nsh needs node 20.16 or newer when its main module is an ES module');
  return moduleClass;
}

/** One of node's modules (`node:child_process`), loaded when first asked for. */
export function builtin<T>(id: string): T {
  return (getBuiltin ? getBuiltin(id) : nodeModule().createRequire(import.meta.url)(id)) as T;
}

/** A require that resolves packages as from this file (koffi). */
export function packageRequire(): NodeJS.Require {
  return nodeModule().createRequire(import.meta.url);
}
