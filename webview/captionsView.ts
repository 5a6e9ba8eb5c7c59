// The captions beside the unrolled graph: a polite live list (screen readers hear a caption when it
// changes, not the whole list again) and a "Show equations" checkbox. Formulas are plain Unicode in
// <code>, so no maths library — nothing that needs unsafe-eval under the webview CSP. Styling lives
// in media/captions.css: the CSP forbids inline styles.
import type { Caption } from './captions';
import { t } from './strings';

export interface CaptionsView {
  /** Shows `captions`; `showFormulas` also sets the checkbox, so the caller's state wins. */
  draw(captions: Caption[], showFormulas: boolean): void;
  /** Called with the new value whenever the user flips "Show equations". */
  onToggle(cb: (showFormulas: boolean) => void): void;
}

export interface CaptionsOptions {
  onToggle?: (showFormulas: boolean) => void;
}

let instances = 0;

export function createCaptions(container: HTMLElement, options: CaptionsOptions = {}): CaptionsView {
  // Unique ids: the label's `for` must point at this checkbox even if two views exist.
  const n = instances++;
  const root = document.createElement('div');
  root.className = 'captions';

  const bar = document.createElement('div');
  bar.className = 'captions-bar';
  const toggle = document.createElement('input');
  toggle.type = 'checkbox';
  toggle.id = `captions-formulas-${n}`;
  const label = document.createElement('label');
  label.htmlFor = toggle.id;
  label.textContent = t('Show equations');
  bar.append(toggle, label);

  const list = document.createElement('ul');
  list.className = 'captions-list';
  list.setAttribute('aria-live', 'polite');
  list.setAttribute('aria-label', t('What this configuration does'));
  root.append(bar, list);
  container.append(root);

  const listeners: ((v: boolean) => void)[] = options.onToggle ? [options.onToggle] : [];
  /** One <li> per caption id, so unchanged captions keep their nodes and are not re-announced. */
  const items = new Map<string, { li: HTMLLIElement; text: HTMLSpanElement; code: HTMLElement; caption: Caption }>();
  let last: Caption[] = [];
  let showing = false;

  function render(): void {
    const seen = new Set<string>();
    let prev: HTMLLIElement | null = null;
    for (const c of last) {
      seen.add(c.id);
      let item = items.get(c.id);
      if (!item) {
        const li = document.createElement('li');
        li.className = 'caption';
        li.dataset.id = c.id;
        const text = document.createElement('span');
        text.className = 'caption-text';
        const code = document.createElement('code');
        code.className = 'formula';
        li.append(text, code);
        item = { li, text, code, caption: { id: c.id, text: '', formula: null } };
        items.set(c.id, item);
      }
      // Touch the DOM only where something changed: every write re-triggers the live region.
      if (item.caption.text !== c.text) item.text.textContent = c.text;
      if (item.caption.formula !== c.formula) item.code.textContent = c.formula ?? '';
      item.code.hidden = !showing || c.formula === null;
      item.caption = c;
      // Keep list order equal to caption order, moving a node only when it is out of place.
      const want: ChildNode | null = prev ? prev.nextSibling : list.firstChild;
      if (want !== item.li) list.insertBefore(item.li, want);
      prev = item.li;
    }
    for (const [id, item] of items) {
      if (!seen.has(id)) {
        item.li.remove();
        items.delete(id);
      }
    }
  }

  toggle.addEventListener('change', () => {
    showing = toggle.checked;
    render();
    for (const cb of listeners) cb(showing);
  });

  return {
    draw(captions, showFormulas) {
      last = captions;
      showing = showFormulas;
      toggle.checked = showFormulas;
      render();
    },
    onToggle(cb) {
      listeners.push(cb);
    },
  };
}
