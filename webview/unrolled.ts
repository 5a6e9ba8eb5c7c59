// The unrolled layer as SVG: one keyed d3 join per kind of mark, so a new scene moves, adds and
// removes boxes with transitions instead of redrawing.
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import type { Layout, LayoutEdge, LayoutNode } from './layout';

const DURATION = 350;

export function createUnrolled(container: HTMLElement): (layout: Layout, describe: string) => SVGSVGElement {
  const svg = select(container)
    .append('svg')
    .attr('class', 'unrolled')
    .attr('role', 'img')
    .attr('xmlns', 'http://www.w3.org/2000/svg');
  svg.append('title');
  const defs = svg.append('defs');
  defs
    .append('marker')
    .attr('id', 'arrow')
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 7)
    .attr('markerHeight', 7)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('class', 'arrowhead')
    .attr('d', 'M0,0 L10,5 L0,10 z');
  const edgeLayer = svg.append('g').attr('class', 'edges');
  const nodeLayer = svg.append('g').attr('class', 'nodes');

  return (layout, describe) => {
    svg.attr('viewBox', `0 0 ${layout.width} ${layout.height}`).attr('width', layout.width).attr('height', layout.height).attr('aria-label', describe);
    svg.select('title').text(describe);
    drawEdges(edgeLayer, layout.edges);
    drawNodes(nodeLayer, layout.nodes);
    return svg.node()!;
  };
}

function drawEdges(layer: Selection<SVGGElement, unknown, null, undefined>, edges: LayoutEdge[]): void {
  const path = (e: LayoutEdge) => `M${e.from.x},${e.from.y} L${e.to.x - 1},${e.to.y}`;
  layer
    .selectAll<SVGGElement, LayoutEdge>('g.edge')
    .data(edges, (e) => e.key)
    .join(
      (enter) => {
        const g = enter.append('g').attr('class', (e) => `edge ${e.role}`);
        g.append('path').attr('marker-end', 'url(#arrow)').attr('d', path).attr('opacity', 0).transition().duration(DURATION).attr('opacity', 1);
        g.append('text').attr('class', 'edge-label').attr('text-anchor', 'middle');
        return g;
      },
      (update) => {
        update.attr('class', (e) => `edge ${e.role}`).select('path').transition().duration(DURATION).attr('d', path);
        return update;
      },
      (exit) => exit.transition().duration(DURATION / 2).attr('opacity', 0).remove(),
    )
    .select('text')
    .attr('x', (e) => (e.from.x + e.to.x) / 2)
    .attr('y', (e) => (e.from.y + e.to.y) / 2 - 6)
    .text((e) => e.label);
}

function drawNodes(layer: Selection<SVGGElement, unknown, null, undefined>, nodes: LayoutNode[]): void {
  const joined = layer
    .selectAll<SVGGElement, LayoutNode>('g.node')
    .data(nodes, (n) => n.key)
    .join(
      (enter) => {
        const g = enter.append('g').attr('transform', (n) => `translate(${n.x},${n.y})`).attr('opacity', 0);
        g.append('rect').attr('rx', 5);
        g.append('text').attr('class', 'label').attr('text-anchor', 'middle');
        g.append('text').attr('class', 'sub').attr('text-anchor', 'middle');
        g.transition().duration(DURATION).attr('opacity', 1);
        return g;
      },
      (update) => {
        update.transition().duration(DURATION).attr('transform', (n) => `translate(${n.x},${n.y})`).attr('opacity', 1);
        return update;
      },
      (exit) => exit.transition().duration(DURATION / 2).attr('opacity', 0).remove(),
    )
    .attr('class', (n) => `node ${n.role}`)
    .attr('data-step', (n) => n.step ?? '');
  joined.select('rect').attr('width', (n) => n.w).attr('height', (n) => n.h);
  joined
    .select('text.label')
    .attr('x', (n) => n.w / 2)
    .attr('y', (n) => (n.role === 'cell' ? n.h / 2 - 4 : n.h / 2 - 2))
    .text((n) => n.label);
  joined
    .select('text.sub')
    .attr('x', (n) => n.w / 2)
    .attr('y', (n) => (n.role === 'cell' ? n.h / 2 + 14 : n.h / 2 + 11))
    .text((n) => n.sub);
}
