const cannotCopy = Symbol('cannot copy');

/**
 * A deep copy equal to what `structuredClone(value)` returns, made directly when `value` is plain
 * JSON-like data (plain objects, dense arrays, primitives, no object reached twice), which is
 * what a stored context holds. That is most of the cost of presenting a session: a
 * `structuredClone` of even `{}` takes about a microsecond. Anything else (a `Date`, a `Map`, a
 * shared or sparse value that an in-process caller stored) goes to `structuredClone` whole.
 */
export function copyData<T>(value: T): T {
  const copy = copyPlain(value, undefined);
  return copy === cannotCopy ? structuredClone(value) : (copy as T);
}

function copyPlain(value: unknown, seen: Set<object> | undefined): unknown {
  if (typeof value !== 'object' || value === null) {
    // structuredClone keeps these as they are, and throws on symbols and functions.
    return typeof value === 'symbol' || typeof value === 'function' ? cannotCopy : value;
  }
  // Shared objects and cycles are left to structuredClone. The Set is made only once there is a
  // nested object to look at, so copying a flat object allocates nothing else.
  if (seen) {
    if (seen.has(value)) return cannotCopy;
    seen.add(value);
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if (Array.isArray(value)) {
    if (proto !== Array.prototype || Object.keys(value).length !== value.length) return cannotCopy;
    const out = new Array<unknown>(value.length);
    for (let at = 0; at < value.length; at++) {
      const item: unknown = value[at];
      const copy = copyPlain(item, typeof item === 'object' && item !== null ? (seen ??= new Set([value])) : seen);
      if (copy === cannotCopy) return cannotCopy;
      out[at] = copy;
    }
    return out;
  }
  if (proto !== Object.prototype && proto !== null) return cannotCopy;
  const source = value as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(source)) {
    const item = source[key];
    const copy = copyPlain(item, typeof item === 'object' && item !== null ? (seen ??= new Set([value])) : seen);
    if (copy === cannotCopy) return cannotCopy;
    // Assigning `__proto__` would set the prototype; JSON data may hold it as a plain key.
    if (key === '__proto__') Object.defineProperty(out, key, { value: copy, writable: true, enumerable: true, configurable: true });
    else out[key] = copy;
  }
  return out;
}
