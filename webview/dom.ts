// Small DOM helpers the panel's forms share: an element with attributes, and a labelled field.
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function labelled(label: string, control: HTMLElement, id: string): HTMLElement {
  control.id = id;
  const wrap = el('div', { class: 'field' });
  wrap.append(el('label', { for: id }, label), control);
  return wrap;
}
