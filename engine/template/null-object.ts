// Objects for template data that no key can turn into a prototype change: `__proto__` or `constructor` from a
// template is an ordinary own property. Their prototype is an empty object whose own prototype is null, rather than
// Object.create(null) itself: V8 builds Object.create(null) objects in dictionary mode, which are much slower to
// fill, read and iterate (bench/RESULTS.md), and every evaluated resource body is one of them.
function NullProto(): void {}
NullProto.prototype = Object.create(null) as object;

/** A new empty object without Object.prototype in its prototype chain. */
export function nullObject<T = unknown>(): Record<string, T> {
  return new (NullProto as unknown as new () => Record<string, T>)();
}
