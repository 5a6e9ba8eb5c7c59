// The unrolled picture as a standalone SVG document, built as text: no DOM and no d3, so the CLI
// (`rnn-unroll render`) draws the same picture in Node that the panel draws with d3. The marks,
// classes and coordinates follow webview/unrolled.ts; the colours follow media/panel.css with the
// theme variables replaced by literal colours, because a file has no VS Code theme around it.
import type { Layout, LayoutEdge, LayoutNode } from './layout';

export type SvgTheme = 'light' | 'dark';

export interface SvgOptions {
  title: string;
  subtitle: string;
  theme: SvgTheme;
}

/** The `--vscode-*` colours panel.css uses, as VS Code's default Light/Dark Modern themes define them. */
interface Palette {
  background: string;
  foreground: string;
  description: string;
  border: string;
  widget: string;
  button: string;
  buttonForeground: string;
  focus: string;
  green: string;
  blue: string;
  purple: string;
}

const PALETTES: Record<SvgTheme, Palette> = {
  light: {
    background: '#f8f8f8',
    foreground: '#3b3b3b',
    description: '#717171',
    // The theme's panel border (#e5e5e5) nearly vanishes on white paper or a slide; a file needs more.
    border: '#b4b4b4',
    widget: '#ffffff',
    button: '#005fb8',
    buttonForeground: '#ffffff',
    focus: '#005fb8',
    green: '#388a34',
    blue: '#1a85ff',
    purple: '#652d90',
  },
  dark: {
    background: '#181818',
    foreground: '#cccccc',
    description: '#9d9d9d',
    border: '#555555',
    widget: '#202020',
    button: '#0078d4',
    buttonForeground: '#ffffff',
    focus: '#0078d4',
    green: '#89d185',
    blue: '#3794ff',
    purple: '#b180d7',
  },
};

const FONT = "ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace";
const TITLE_SIZE = 15;
const SUBTITLE_SIZE = 11;
const PAD = 16;
/** Height of the title block above the graph. */
const HEADER = PAD + TITLE_SIZE + 8 + SUBTITLE_SIZE + 10;
/** Monospace advance per em, to make room for a title wider than the graph. */
const ADVANCE = 0.62;

/** panel.css with the theme variables resolved; selectors kept so the file reads like the panel. */
function styleSheet(p: Palette): string {
  return `
svg.unrolled { font-family: ${FONT}; font-size: 12px; }
.background { fill: ${p.background}; }
text { fill: ${p.foreground}; }
text.title { font-size: ${TITLE_SIZE}px; font-weight: 600; }
text.subtitle { fill: ${p.description}; font-size: ${SUBTITLE_SIZE}px; }
.node rect { stroke-width: 1.2; stroke: ${p.border}; fill: ${p.widget}; }
.node.cell rect { fill: ${p.button}; stroke: ${p.focus}; }
.node.cell text { fill: ${p.buttonForeground}; }
.node.output rect, .node.state rect { stroke: ${p.green}; stroke-width: 2; }
.node.state rect { stroke-dasharray: 4 2; }
.node.elision rect { fill: none; stroke-dasharray: 3 3; }
.node.head rect { stroke-dasharray: 2 2; }
.node.merge rect { fill: none; }
text.label { font-weight: 600; }
/* State boxes are 8 units narrower than the others; "h (state)" in bold 12px touches their border. */
.node.state text.label { font-size: 11px; }
text.sub, text.edge-label, text.shared-head { fill: ${p.description}; font-size: 10px; }
.node.cell text.sub { fill: ${p.buttonForeground}; }
.edge path { fill: none; stroke: ${p.foreground}; stroke-opacity: 0.7; stroke-width: 1.4; }
.edge.recurrent path { stroke: ${p.blue}; stroke-opacity: 1; stroke-width: 2; }
.edge.cell-state path { stroke: ${p.purple}; stroke-width: 2; }
.arrowhead { fill: ${p.foreground}; }
`;
}

/** Characters XML 1.0 forbids even when escaped (control characters, lone surrogates) are dropped. */
// eslint-disable-next-line no-control-regex -- finding control characters is this pattern's job
const INVALID_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Text safe inside an element or a double- or single-quoted attribute. */
export function escapeXml(text: string): string {
  return text
    .replace(INVALID_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Coordinates with at most two decimals: exact enough, and the file stays small and diffable. */
const n = (v: number): string => String(Math.round(v * 100) / 100);

function attrs(values: Record<string, string | number>): string {
  return Object.entries(values)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? n(v) : escapeXml(v)}"`)
    .join('');
}

function edgeMarkup(e: LayoutEdge): string {
  // Stop one unit short of the target along the edge (the panel pulls its tips back the same way).
  const dx = e.to.x - e.from.x;
  const dy = e.to.y - e.from.y;
  const len = Math.hypot(dx, dy) || 1;
  const tip = { x: e.to.x - dx / len, y: e.to.y - dy / len };
  const path = `<path${attrs({ d: `M${n(e.from.x)},${n(e.from.y)} L${n(tip.x)},${n(tip.y)}` })} marker-end="url(#arrow)"/>`;
  const label = e.label
    ? `<text class="edge-label" text-anchor="middle"${attrs({ x: (e.from.x + e.to.x) / 2, y: (e.from.y + e.to.y) / 2 - 6 })}>${escapeXml(e.label)}</text>`
    : '';
  return `<g${attrs({ class: `edge ${e.role}`, 'data-key': e.key })}>${path}${label}</g>`;
}

function nodeMarkup(node: LayoutNode): string {
  const cell = node.role === 'cell';
  const open = `<g${attrs({ class: `node ${node.role}`, 'data-key': node.key, 'data-step': node.step ?? '', 'data-direction': node.direction, transform: `translate(${n(node.x)},${n(node.y)})` })}>`;
  const rect = `<rect rx="5"${attrs({ width: node.w, height: node.h })}/>`;
  const label = `<text class="label" text-anchor="middle"${attrs({ x: node.w / 2, y: cell ? node.h / 2 - 4 : node.h / 2 - 2 })}>${escapeXml(node.label)}</text>`;
  const sub = node.sub ? `<text class="sub" text-anchor="middle"${attrs({ x: node.w / 2, y: cell ? node.h / 2 + 14 : node.h / 2 + 11 })}>${escapeXml(node.sub)}</text>` : '';
  return `${open}${rect}${label}${sub}</g>`;
}

function sharedHeadMarkup(layout: Layout): string {
  const heads = layout.nodes.filter((x) => x.role === 'head');
  if (!layout.sharedHead || heads.length === 0) return '';
  const last = heads[heads.length - 1];
  return `<text class="shared-head"${attrs({ x: last.x + last.w + 6, y: heads[0].y + heads[0].h / 2 + 4 })}>${escapeXml(`⟷ ${layout.sharedHead}`)}</text>`;
}

/** Width the shared-weights note needs to the right of the last head box. */
function sharedHeadRight(layout: Layout): number {
  const heads = layout.nodes.filter((x) => x.role === 'head');
  if (!layout.sharedHead || heads.length === 0) return 0;
  const last = heads[heads.length - 1];
  return last.x + last.w + 6 + (layout.sharedHead.length + 2) * 10 * ADVANCE + PAD;
}

/** A standalone SVG document (UTF-8, XML declaration first) of the unrolled layer. */
export function renderSvg(layout: Layout, options: SvgOptions): string {
  const palette = PALETTES[options.theme];
  const textWidth = (text: string, size: number) => PAD * 2 + [...text].length * size * ADVANCE;
  const width = Math.ceil(Math.max(layout.width, textWidth(options.title, TITLE_SIZE), textWidth(options.subtitle, SUBTITLE_SIZE), sharedHeadRight(layout)));
  const height = Math.ceil(layout.height + HEADER);
  const description = options.subtitle ? `${options.title}: ${options.subtitle}` : options.title;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<svg xmlns="http://www.w3.org/2000/svg" class="unrolled" role="img" aria-labelledby="rnn-title rnn-desc"${attrs({ width, height, viewBox: `0 0 ${width} ${height}`, 'data-theme': options.theme })}>`,
    `<title id="rnn-title">${escapeXml(options.title)}</title>`,
    `<desc id="rnn-desc">${escapeXml(`RNN Unroll — ${description}`)}</desc>`,
    `<style>${styleSheet(palette)}</style>`,
    '<defs>',
    // Fixed size in user units, as in the panel: heads do not grow with the stroke width.
    '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse">',
    '<path class="arrowhead" d="M0,0 L10,5 L0,10 z"/>',
    '</marker>',
    '</defs>',
    `<rect class="background"${attrs({ width, height })}/>`,
    `<text class="title"${attrs({ x: PAD, y: PAD + TITLE_SIZE })}>${escapeXml(options.title)}</text>`,
    `<text class="subtitle"${attrs({ x: PAD, y: PAD + TITLE_SIZE + 8 + SUBTITLE_SIZE })}>${escapeXml(options.subtitle)}</text>`,
    `<g class="graph" transform="translate(0,${HEADER})">`,
    `<g class="edges">${layout.edges.map(edgeMarkup).join('')}</g>`,
    `<g class="nodes">${layout.nodes.map(nodeMarkup).join('')}</g>`,
    sharedHeadMarkup(layout),
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
