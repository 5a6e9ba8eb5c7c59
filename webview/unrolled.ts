// The unrolled layer as SVG: one keyed d3 join per kind of mark, so a new scene moves, adds and
// removes boxes with transitions instead of redrawing.
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import type { Layout, LayoutEdge, LayoutNode } from './layout';

const DURATION = 350;
const SCALE = 0.8;

export interface DrawOptions {
  /**
   * Move, fade in and fade out boxes from the picture on screen. Default: when there is one. The
   * first picture appears at once: the first frame with it is then complete, not mid-fade.
   */
  animate?: boolean;
}

export interface Unrolled {
  draw(layout: Layout, describe: string, options?: DrawOptions): SVGSVGElement;
  /**
   * Marks the active cell of each direction (input time step, or null) and, during BPTT, sets the
   * width of each recurrent arrow from the gradient it carries back (null: not reached yet).
   */
  highlight(activeStep: (number | null)[], gradientWidth: ((direction: number, step: number) => number | null) | null): void;
  /** Called when the user clicks a cell (or presses Enter on it): its input step and direction. */
  onCellClick(listener: (step: number, direction: number) => void): void;
}

export function createUnrolled(container: HTMLElement): Unrolled {
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
    // Fixed size: a gradient-wide arrow must not grow its head with it.
    .attr('markerUnits', 'userSpaceOnUse')
    .attr('markerWidth', 9)
    .attr('markerHeight', 9)
    .attr('orient', 'auto-start-reverse')
    .append('path')
    .attr('class', 'arrowhead')
    .attr('d', 'M0,0 L10,5 L0,10 z');
  const edgeLayer = svg.append('g').attr('class', 'edges');
  const nodeLayer = svg.append('g').attr('class', 'nodes');

  const shared = svg.append('text').attr('class', 'shared-head');
  let cellListener: ((step: number, direction: number) => void) | null = null;
  const activate = (n: LayoutNode) => {
    if (n.role === 'cell' && n.step !== null) cellListener?.(n.step, n.direction);
  };
  nodeLayer
    .on('click', (event: MouseEvent) => {
      const g = (event.target as Element).closest<SVGGElement>('g.node.cell');
      if (g) activate(select<SVGGElement, LayoutNode>(g).datum());
    })
    .on('keydown', (event: KeyboardEvent) => {
      const g = (event.target as Element).closest<SVGGElement>('g.node.cell');
      if (g && (event.key === 'Enter' || event.key === ' ')) {
        event.preventDefault();
        activate(select<SVGGElement, LayoutNode>(g).datum());
      }
    });
  return {
    draw(layout, describe, options = {}) {
      const animate = options.animate ?? !nodeLayer.select('g.node').empty();
      // Slightly smaller than 1:1 so more steps fit a side panel; the container scrolls the rest.
      svg
        .attr('viewBox', `0 0 ${layout.width} ${layout.height}`)
        .attr('width', Math.round(layout.width * SCALE))
        .attr('height', Math.round(layout.height * SCALE))
        .attr('aria-label', describe);
      svg.select('title').text(describe);
      drawEdges(edgeLayer, layout.edges, animate);
      drawNodes(nodeLayer, layout.nodes, animate);
      const heads = layout.nodes.filter((n) => n.role === 'head');
      shared
        .attr('x', heads.length ? heads[heads.length - 1].x + heads[heads.length - 1].w + 6 : 0)
        .attr('y', heads.length ? heads[0].y + heads[0].h / 2 + 4 : 0)
        .text(layout.sharedHead ? `⟷ ${layout.sharedHead}` : '');
      return svg.node()!;
    },
    onCellClick(listener) {
      cellListener = listener;
    },
    highlight(activeStep, gradientWidth) {
      nodeLayer
        .selectAll<SVGGElement, LayoutNode>('g.node')
        .classed('active', (n) => n.role === 'cell' && n.step !== null && activeStep[n.direction] === n.step);
      // Keep the active cell in view while playing through a picture wider than the panel.
      const active = nodeLayer.select<SVGGElement>('g.node.cell.active').node();
      if (active) active.scrollIntoView({ block: 'nearest', inline: 'nearest' });
      edgeLayer.selectAll<SVGGElement, LayoutEdge>('g.edge.recurrent, g.edge.cell-state').each(function (e) {
        const w = gradientWidth && e.step !== null ? gradientWidth(e.direction, e.step) : null;
        const g = select(this).classed('gradient', w !== null);
        const path = g.select<SVGPathElement>('path');
        if (w === null) path.style('stroke-width', null);
        else path.style('stroke-width', `${w}px`);
      });
    },
  };
}

/** Enter, update and exit a keyed join with transitions, or at once (cancelling any still running). */
function joinMarks<D>(
  selection: Selection<SVGGElement, D, SVGGElement, unknown>,
  animate: boolean,
  enter: (g: Selection<SVGGElement, D, SVGGElement, unknown>) => void,
  place: (g: Selection<SVGGElement, D, SVGGElement, unknown>, animate: boolean) => void,
): Selection<SVGGElement, D, SVGGElement, unknown> {
  return selection.join(
    (e) => {
      const g = e.append('g');
      enter(g);
      place(g, false);
      if (animate) g.attr('opacity', 0).transition().duration(DURATION).attr('opacity', 1);
      return g;
    },
    (update) => {
      place(update.interrupt().attr('opacity', 1), animate);
      return update;
    },
    (exit) => (animate ? exit.transition().duration(DURATION / 2).attr('opacity', 0).remove() : exit.interrupt().remove()),
  );
}

function drawEdges(layer: Selection<SVGGElement, unknown, null, undefined>, edges: LayoutEdge[], animate: boolean): void {
  const path = (e: LayoutEdge) => `M${e.from.x},${e.from.y} L${e.to.x - 1},${e.to.y}`;
  joinMarks(
    layer.selectAll<SVGGElement, LayoutEdge>('g.edge').data(edges, (e) => e.key),
    animate,
    (g) => {
      g.append('path').attr('marker-end', 'url(#arrow)');
      g.append('text').attr('class', 'edge-label').attr('text-anchor', 'middle');
    },
    (g, moving) => {
      const p = g.select<SVGPathElement>('path').interrupt();
      (moving ? p.transition().duration(DURATION) : p).attr('d', path);
    },
  )
    .attr('class', (e) => `edge ${e.role}`)
    .select('text')
    .attr('x', (e) => (e.from.x + e.to.x) / 2)
    .attr('y', (e) => (e.from.y + e.to.y) / 2 - 6)
    .text((e) => e.label);
}

function drawNodes(layer: Selection<SVGGElement, unknown, null, undefined>, nodes: LayoutNode[], animate: boolean): void {
  const joined = joinMarks(
    layer.selectAll<SVGGElement, LayoutNode>('g.node').data(nodes, (n) => n.key),
    animate,
    (g) => {
      g.append('rect').attr('rx', 5);
      g.append('text').attr('class', 'label').attr('text-anchor', 'middle');
      g.append('text').attr('class', 'sub').attr('text-anchor', 'middle');
    },
    (g, moving) => (moving ? g.transition().duration(DURATION) : g).attr('transform', (n) => `translate(${n.x},${n.y})`),
  )
    .attr('class', (n) => `node ${n.role}`)
    .attr('data-step', (n) => n.step ?? '')
    .attr('data-direction', (n) => n.direction)
    // Cells open the cell zoom: reachable by keyboard, named for screen readers.
    .attr('tabindex', (n) => (n.role === 'cell' ? 0 : null))
    .attr('role', (n) => (n.role === 'cell' ? 'button' : null))
    .attr('aria-label', (n) => (n.role === 'cell' && n.step !== null ? `${n.label} ${n.sub}` : null));
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
