// The unrolled picture as a standalone file: the SVG with the theme's computed colours written
// into each element (CSS variables do not exist outside VS Code), or a PNG rendered from it.
import type { Scene } from '../src/protocol';

const STYLE_PROPS = ['fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity', 'font-family', 'font-size', 'font-weight'] as const;

/** A copy of `svg` that looks the same without our stylesheet, on the panel's background. */
export function standaloneSvg(svg: SVGSVGElement, scene: Scene): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = svg.querySelectorAll('*');
  const to = copy.querySelectorAll('*');
  from.forEach((node, i) => {
    const cs = getComputedStyle(node);
    const target = to[i] as SVGElement;
    for (const p of STYLE_PROPS) target.style.setProperty(p, cs.getPropertyValue(p));
  });
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.style.setProperty('fill', getComputedStyle(document.body).backgroundColor);
  copy.insertBefore(bg, copy.firstChild);
  const desc = document.createElementNS('http://www.w3.org/2000/svg', 'desc');
  desc.textContent = `RNN Unroll: ${scene.source}`;
  copy.insertBefore(desc, copy.firstChild);
  return new XMLSerializer().serializeToString(copy);
}

async function svgToPng(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  const img = new Image();
  img.src = `data:image/svg+xml;base64,${btoa(unescape(encodeURIComponent(svgText)))}`;
  await img.decode();
  const canvas = document.createElement('canvas');
  canvas.width = Math.ceil(width * scale);
  canvas.height = Math.ceil(height * scale);
  const ctx = canvas.getContext('2d')!;
  ctx.scale(scale, scale);
  ctx.drawImage(img, 0, 0, width, height);
  return canvas.toDataURL('image/png');
}

export async function exportPicture(svg: SVGSVGElement, format: 'svg' | 'png', scene: Scene): Promise<string> {
  const text = standaloneSvg(svg, scene);
  if (format === 'svg') return text;
  const box = svg.viewBox.baseVal;
  return svgToPng(text, box.width || svg.clientWidth, box.height || svg.clientHeight);
}
