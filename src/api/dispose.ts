/**
 * `await using` needs Symbol.asyncDispose: Node has it from 20.4 on (and 18.18). Before, it is
 * made here, before any class uses it as a method name, so that TypeScript's compiled `await
 * using` and the library agree on one symbol.
 */
if (typeof (Symbol as { asyncDispose?: symbol }).asyncDispose !== 'symbol') {
  Object.defineProperty(Symbol, 'asyncDispose', { value: Symbol('Symbol.asyncDispose') });
}
export {};
