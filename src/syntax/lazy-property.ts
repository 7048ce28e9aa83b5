/**
 * `key` of `target` as an enumerable property that `make` computes when it is first read; the
 * value then takes the getter's place. The key is there from the start (in the order properties
 * are defined), so Object.keys and the like see it without making it.
 */
export function lazyProperty(target: object, key: string, make: () => unknown): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = make();
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}
