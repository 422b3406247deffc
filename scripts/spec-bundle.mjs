// Reads an API description into one document: every component it `$ref`s from another file
// (control.yaml uses sessions.yaml's schemas) is copied under the same name into its own
// components, and the reference made local. Tools that follow only `#/...` references (the
// breaking-change diff) then see the whole description.
import { readFileSync } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { parse } from 'yaml';

export function loadBundledSpec(path) {
  const root = resolve(path);
  const documents = new Map([[root, parse(readFileSync(root, 'utf8'))]]);
  const spec = documents.get(root);
  const pulled = {};
  const read = (file) => {
    if (!documents.has(file)) documents.set(file, parse(readFileSync(file, 'utf8')));
    return documents.get(file);
  };

  // Where each pulled component went, by its origin (`file#pointer`); which origin each local name holds.
  const placed = new Map();
  const taken = new Map();

  function pull(file, pointer) {
    const parts = pointer.replace(/^\//, '').split('/');
    if (parts.length !== 3 || parts[0] !== 'components') throw new Error(`${file}#${pointer}: only components can be referenced from another file`);
    const [, section, name] = parts;
    if (file === root) return `#/components/${section}/${name}`;
    const origin = `${file}#${pointer}`;
    if (placed.has(origin)) return placed.get(origin);
    const target = read(file).components?.[section]?.[name];
    if (target === undefined) throw new Error(`Unresolvable $ref ${origin}`);
    // A component of this document that only refers to the pulled one (`RequestId: {$ref: ...}`)
    // is replaced by it. Any other of the same name keeps it, and the pulled one is named after
    // its file (`ErrorCode` of sessions.yaml becomes `SessionsErrorCode`), as hey-api names it.
    const own = spec.components?.[section]?.[name];
    const alias = typeof own?.$ref === 'string' && resolve(dirname(root), own.$ref.split('#')[0]) === file && own.$ref.split('#')[1] === pointer;
    const prefix = basename(file).replace(/\.[^.]*$/, '').replace(/^./, (c) => c.toUpperCase());
    const free = (candidate) => (alias && candidate === name) || ((own === undefined || candidate !== name) && !spec.components?.[section]?.[candidate] && !taken.has(`${section}/${candidate}`));
    const chosen = free(name) ? name : `${prefix}${name}`;
    if (!free(chosen)) throw new Error(`${origin}: no free name for it in ${path}`);
    const local = `#/components/${section}/${chosen}`;
    placed.set(origin, local);
    taken.set(`${section}/${chosen}`, origin);
    (pulled[section] ??= {})[chosen] = inline(target, file);
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
