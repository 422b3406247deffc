import { h } from './dom.js';

/**
 * A JSON value as a tree of native `<details>`: keyboard-operable (Enter or Space on a key
 * opens or closes it) with no script of its own. Objects and arrays of the first two levels start open.
 */
export function jsonTree(value: unknown, label = 'context', depth = 0): HTMLElement {
  if (value === null || typeof value !== 'object') {
    return h('div', { class: 'json-leaf' }, h('span', { class: 'json-key' }, `${label}: `), h('span', { class: `json-${value === null ? 'null' : typeof value}` }, JSON.stringify(value)));
  }
  const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
  const shape = Array.isArray(value) ? `[${entries.length}]` : `{${entries.length}}`;
  const node = h('details', { class: 'json-node', open: depth < 2 }, h('summary', {}, h('span', { class: 'json-key' }, label), ` ${shape}`));
  if (entries.length === 0) node.append(h('div', { class: 'json-empty' }, Array.isArray(value) ? 'empty array' : 'empty object'));
  for (const [key, item] of entries) node.append(jsonTree(item, key, depth + 1));
  return node;
}
