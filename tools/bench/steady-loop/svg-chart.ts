/** One bar: a label under it, its value, and the text written above it. */
export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly text: string;
  /** Drawn in the reference colour (BullMQ) instead of ours. */
  readonly reference?: boolean;
}

export interface Panel {
  readonly title: string;
  readonly bars: readonly Bar[];
  /** Log scale, for figures that span orders of magnitude (ours next to BullMQ's). */
  readonly logScale?: boolean;
}

const WIDTH = 900;
const PANEL_HEIGHT = 300;
const MARGIN = { top: 40, right: 20, bottom: 60, left: 20 };
const OURS = '#3b6ea5';
const REFERENCE = '#c8553d';

function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function panelSvg(panel: Panel, top: number): string {
  const plotHeight = PANEL_HEIGHT - MARGIN.top - MARGIN.bottom;
  const plotWidth = WIDTH - MARGIN.left - MARGIN.right;
  const slot = plotWidth / Math.max(1, panel.bars.length);
  const barWidth = Math.min(80, slot * 0.6);
  const scaled = (value: number) => (panel.logScale ? Math.log10(1 + Math.max(0, value)) : Math.max(0, value));
  const highest = Math.max(1e-9, ...panel.bars.map((bar) => scaled(bar.value)));
  const baseline = top + MARGIN.top + plotHeight;
  const parts = [
    `<text x="${MARGIN.left}" y="${top + 24}" font-size="16" font-weight="bold">${escape(panel.title)}${panel.logScale ? ' (log scale)' : ''}</text>`,
    `<line x1="${MARGIN.left}" y1="${baseline}" x2="${WIDTH - MARGIN.right}" y2="${baseline}" stroke="#444"/>`,
  ];
  panel.bars.forEach((bar, i) => {
    const height = (scaled(bar.value) / highest) * plotHeight;
    const x = MARGIN.left + slot * i + (slot - barWidth) / 2;
    const centre = x + barWidth / 2;
    parts.push(
      `<rect x="${x.toFixed(1)}" y="${(baseline - height).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${bar.reference ? REFERENCE : OURS}"/>`,
      `<text x="${centre.toFixed(1)}" y="${(baseline - height - 6).toFixed(1)}" font-size="12" text-anchor="middle">${escape(bar.text)}</text>`,
      `<text x="${centre.toFixed(1)}" y="${baseline + 18}" font-size="12" text-anchor="middle">${escape(bar.label)}</text>`,
    );
  });
  return parts.join('\n');
}

/** A plain SVG bar chart, one panel under the other; no library. `legend` names the two colours. */
export function barChartSvg(title: string, subtitle: string, panels: readonly Panel[], legend = { ours: 'open-taskrouter', reference: 'BullMQ' }): string {
  const top = 70;
  const height = top + panels.length * PANEL_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="sans-serif">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="18" font-weight="bold">${escape(title)}</text>`,
    `<text x="${MARGIN.left}" y="42" font-size="12" fill="#555">${escape(subtitle)}</text>`,
    `<rect x="${MARGIN.left}" y="52" width="12" height="12" fill="${OURS}"/><text x="${MARGIN.left + 18}" y="62" font-size="12">${escape(legend.ours)}</text>`,
    `<rect x="${MARGIN.left + 140}" y="52" width="12" height="12" fill="${REFERENCE}"/><text x="${MARGIN.left + 158}" y="62" font-size="12">${escape(legend.reference)}</text>`,
    ...panels.map((panel, i) => panelSvg(panel, top + i * PANEL_HEIGHT)),
    '</svg>',
    '',
  ].join('\n');
}
