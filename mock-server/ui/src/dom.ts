/** A tiny element builder: the inspector needs no framework. */

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | ((event: Event) => void)>;

/**
 * `h('button', { class: 'x', onclick: go }, 'Go')`. Attributes that are `false`, null or
 * undefined are left out; `on*` functions become listeners. Text children are never parsed as HTML.
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Attributes = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  append(element, ...children);
  return element;
}

export function append(parent: Node, ...children: Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
}

/** Replaces the children of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
  while (parent.firstChild) parent.removeChild(parent.firstChild);
  append(parent, ...children);
}

/**
 * Runs `render`, which rebuilds part of `root`, and gives the focus back to the rebuilt element
 * with the same `data-focus` key: a keyboard user keeps their place while the data refreshes.
 */
export function keepFocus(root: HTMLElement, render: () => void): void {
  const focused = document.activeElement instanceof HTMLElement && root.contains(document.activeElement) ? document.activeElement.dataset.focus : undefined;
  render();
  if (focused === undefined || (document.activeElement instanceof HTMLElement && root.contains(document.activeElement) && document.activeElement.isConnected)) return;
  root.querySelector<HTMLElement>(`[data-focus="${CSS.escape(focused)}"]`)?.focus();
}
