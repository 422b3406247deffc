// Reads an API description into one document: every component it `$ref`s from another file
// (control.yaml uses sessions.yaml's schemas) is copied under the same name into its own
// components, and the reference made local. Tools that follow only `#/...` references (the
// breaking-change diff) then see the whole description. Two different components of one name
// fail loudly.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parse } from 'yaml';

export function loadBundledSpec(path) {
  const root = resolve(path);
  const documents = new Map([[root, parse(readFileSync(root, 'utf8'))]]);
  const spec = documents.get(root);
  const origins = new Map();
  const pulled = {};
  const read = (file) => {
    if (!documents.has(file)) documents.set(file, parse(readFileSync(file, 'utf8')));
    return documents.get(file);
  };

  function pull(file, pointer) {
    const parts = pointer.replace(/^\//, '').split('/');
    if (parts.length !== 3 || parts[0] !== 'components') throw new Error(`${file}#${pointer}: only components can be referenced from another file`);
    const [, section, name] = parts;
    const local = `#/components/${section}/${name}`;
    if (file === root) return local;
    const origin = `${file}#${pointer}`;
    if (origins.has(local)) {
      if (origins.get(local) !== origin) throw new Error(`${origin} and ${origins.get(local)} are two components of one name`);
      return local;
    }
    const target = read(file).components?.[section]?.[name];
    if (target === undefined) throw new Error(`Unresolvable $ref ${origin}`);
    const own = spec.components?.[section]?.[name];
    // A component of the same name that only refers to this one (`RequestId: {$ref: ...}`) is replaced by it.
    const alias = typeof own?.$ref === 'string' && resolve(dirname(root), own.$ref.split('#')[0]) === file && own.$ref.split('#')[1] === pointer;
    if (own !== undefined && !alias && !isDeepStrictEqual(own, target)) throw new Error(`${origin} and ${local} of ${path} are two components of one name`);
    origins.set(local, origin);
    (pulled[section] ??= {})[name] = inline(target, file);
    return local;
  }

  function inline(node, file) {
    if (Array.isArray(node)) return node.map((item) => inline(item, file));
    if (typeof node !== 'object' || node === null) return node;
    const out = {};
    for (const [key, value] of Object.entries(node)) {
      if (key === '$ref' && typeof value === 'string') {
        const [target, pointer = ''] = value.split('#');
        out.$ref = pull(target ? resolve(dirname(file), target) : file, pointer);
      } else {
        out[key] = inline(value, file);
      }
    }
    return out;
  }

  const bundled = inline(spec, root);
  for (const [section, named] of Object.entries(pulled)) {
    bundled.components[section] = { ...bundled.components[section], ...named };
  }
  return bundled;
}

/**
 * The description with every local `$ref` replaced by what it points to (a reference inside
 * itself stays a reference), and every `allOf` of one schema merged into the schema that holds
 * it, so that two descriptions saying the same thing in different shapes compare equal.
 */
export function inlineReferences(spec) {
  const at = (pointer) => pointer.replace(/^#\//, '').split('/').reduce((node, key) => node?.[key], spec);
  const walk = (node, seen) => {
    if (Array.isArray(node)) return node.map((item) => walk(item, seen));
    if (typeof node !== 'object' || node === null) return node;
    if (typeof node.$ref === 'string' && node.$ref.startsWith('#/') && !seen.includes(node.$ref)) {
      const { $ref, ...siblings } = node;
      return walk({ ...at($ref), ...siblings }, [...seen, $ref]);
    }
    const out = Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, seen)]));
    if (Array.isArray(out.allOf) && out.allOf.length === 1) {
      const { allOf: [only], ...rest } = out;
      return { ...only, ...rest };
    }
    return out;
  };
  return walk(spec, []);
}
