import { h } from './dom.js';

/**
 * Asks once before a destructive action, in a modal `<dialog>` (focus moves into it and Escape
 * cancels). Resolves true when confirmed.
 */
export function confirmAction(question: string, action: string): Promise<boolean> {
  return new Promise((resolve) => {
    const close = (answer: boolean) => {
      dialog.close();
      dialog.remove();
      resolve(answer);
    };
    const cancel = h('button', { type: 'button', onclick: () => close(false) }, 'Cancel');
    const dialog = h(
      'dialog',
      { class: 'confirm', 'aria-labelledby': 'confirm-question' },
      h('p', { id: 'confirm-question' }, question),
      h('div', { class: 'actions' }, h('button', { type: 'button', class: 'danger', onclick: () => close(true) }, action), cancel),
    );
    dialog.addEventListener('cancel', (event) => {
      event.preventDefault();
      close(false);
    });
    document.body.append(dialog);
    dialog.showModal();
    cancel.focus();
  });
}
