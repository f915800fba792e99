// The Markdown report within a size budget: a pull-request comment takes 65,536 characters and a job summary
// 1 MiB, and GitHub rejects the whole text past that. The report is laid out from whole blocks (a heading, a
// table, a chart, a <details> element), most important first; a block that does not fit is left out or, for a
// table, cut between two rows, so no code fence or <details> is ever cut in half. A last line says what was left
// out. Sizes are UTF-8 bytes, never fewer than the characters GitHub counts. Knows nothing of lint results.

/** The default budget: under a job summary's 1 MiB ($GITHUB_STEP_SUMMARY), with room to spare. */
export const MARKDOWN_MAX_BYTES = 1_000_000;

/** The smallest budget the CLI accepts: the title, summary line and closing line always fit in it. */
export const MARKDOWN_MIN_BYTES = 4_096;

/** UTF-8 length of a string, without encoding it. */
export function utf8Bytes(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** A Markdown table: header lines, then rows that can be cut between. */
export interface Table {
  readonly head: readonly string[];
  readonly rows: readonly string[];
}

/** One template's part of the report. */
export interface Section {
  readonly heading: string;
  /** One row per VM, most important first. */
  readonly vms?: Table;
  /** The chart's lines (a fenced block, or a note saying why there is none): the first thing left out. */
  readonly chart?: readonly string[];
  /** One row per finding, most severe first, shown in a <details> element with this summary. */
  readonly findings?: { readonly summary: string; readonly table: Table };
}

export interface Layout {
  /** The title and summary line: always shown. */
  readonly head: readonly string[];
  /** The egress changes: a heading and intro, then one line per VM. */
  readonly changes?: { readonly head: readonly string[]; readonly items: readonly string[] };
  /** Most important first. */
  readonly sections: readonly Section[];
  /** Blocks at the very end (link reference definitions): always shown. */
  readonly tail: readonly string[];
  /** Bytes, or Infinity. */
  readonly maxBytes: number;
}

interface Left {
  /** Lines of the egress changes. */
  changes: number;
  /** Templates left out whole, and their VMs and findings. */
  templates: number;
  vms: number;
  findings: number;
  /** Rows of the one template cut short. */
  cutVms: number;
  cutFindings: number;
  /** Templates shown without their chart. */
  charts: number;
}

const none = (): Left => ({ changes: 0, templates: 0, vms: 0, findings: 0, cutVms: 0, cutFindings: 0, charts: 0 });

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

/** The closing line: what was left out and where it is. */
function leftOutLine(left: Left, maxBytes: number): string {
  const parts: string[] = [];
  if (left.changes) parts.push(plural(left.changes, 'egress change'));
  if (left.templates) parts.push(`${plural(left.templates, 'template')} (${plural(left.vms, 'VM')}, ${plural(left.findings, 'finding')})`);
  const cut = [...(left.cutVms ? [plural(left.cutVms, 'VM')] : []), ...(left.cutFindings ? [plural(left.cutFindings, 'finding')] : [])];
  if (cut.length) parts.push(`${cut.join(' and ')} of the last template shown`);
  if (left.charts) parts.push(`the ${left.charts === 1 ? 'diagram' : 'diagrams'} of ${plural(left.charts, 'template')} shown`);
  return `**Left out to keep this report under ${maxBytes.toLocaleString('en-US')} bytes:** ${parts.join('; ')}. The JSON and SARIF reports (\`--format json\`, \`--format sarif\`) have every VM and finding.`;
}

/** The blocks of a report, joined by blank lines, within a number of bytes. */
class Blocks {
  readonly out: string[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}

  /** Whether blocks of these sizes fit after the ones added. */
  fits(...sizes: number[]): boolean {
    let n = this.size;
    for (const b of sizes) n += b + 2;
    return n <= this.limit;
  }

  add(block: string, bytes = utf8Bytes(block)): void {
    this.out.push(block);
    this.size += bytes + 2;
  }

  snapshot(): number {
    return this.size;
  }

  /** Drops the blocks added since `mark` (the number of blocks then) and `size` (the snapshot then). */
  restore(mark: number, size: number): void {
    this.out.length = mark;
    this.size = size;
  }

  /** Adds the head of a table and as many of its rows as fit, wrapped; returns how many rows (none: nothing added). */
  addRows(table: Table, wrap: (text: string) => string = (t) => t): number {
    let bytes = utf8Bytes(wrap(table.head.join('\n'))) + (table.head.length ? 1 : 0);
    let n = 0;
    for (const row of table.rows) {
      const b = utf8Bytes(row) + (n > 0 || table.head.length ? 1 : 0);
      if (!this.fits(bytes + b)) break;
      bytes += b;
      n++;
    }
    if (n > 0) this.add(wrap([...table.head, ...table.rows.slice(0, n)].join('\n')), bytes);
    return n;
  }
}

const tableText = (t: Table): string => [...t.head, ...t.rows].join('\n');
const details = (summary: string) => (table: string) => `<details><summary>${summary}</summary>\n\n${table}\n\n</details>`;

/** A section's blocks in full (the chart, when it has one, third). */
function sectionBlocks(s: Section, chart: string): string[] {
  const out = [s.heading];
  if (s.vms) out.push(tableText(s.vms));
  if (chart) out.push(chart);
  if (s.findings) out.push(details(s.findings.summary)(tableText(s.findings.table)));
  return out;
}

/** The report as text: every block that fits, in order, then the closing line when something was left out. */
export function layOut(layout: Layout): string {
  const charts = layout.sections.map((s) => (s.chart ? s.chart.join('\n') : ''));
  const tail = layout.tail.join('\n\n');
  const full = [...layout.head];
  if (layout.changes) full.push(...layout.changes.head, ...(layout.changes.items.length ? [layout.changes.items.join('\n')] : []));
  layout.sections.forEach((s, i) => full.push(...sectionBlocks(s, charts[i])));
  if (tail) full.push(tail);
  const whole = full.join('\n\n') + '\n';
  if (utf8Bytes(whole) <= layout.maxBytes) return whole;
  return cut(layout, charts, tail);
}

function cut(layout: Layout, charts: readonly string[], tail: string): string {
  // Room for the closing line at its longest (every count at its total), the tail and the final newline.
  const total = none();
  total.changes = layout.changes?.items.length ?? 0;
  total.templates = total.charts = layout.sections.length;
  for (const s of layout.sections) {
    total.vms += s.vms?.rows.length ?? 0;
    total.findings += s.findings?.table.rows.length ?? 0;
  }
  total.cutVms = total.vms;
  total.cutFindings = total.findings;
  const reserve = 2 + utf8Bytes(leftOutLine(total, layout.maxBytes)) + (tail ? 2 + utf8Bytes(tail) : 0) + 1;
  const blocks = new Blocks(layout.maxBytes - reserve);
  const left = none();
  for (const h of layout.head) blocks.add(h);

  if (layout.changes) {
    const { head, items } = layout.changes;
    if (blocks.fits(...head.map(utf8Bytes))) {
      for (const h of head) blocks.add(h);
      left.changes = items.length - blocks.addRows({ head: [], rows: items });
    } else left.changes = items.length;
  }

  let stopped = false;
  layout.sections.forEach((s, i) => {
    const vmRows = s.vms?.rows.length ?? 0;
    const findingRows = s.findings?.table.rows.length ?? 0;
    if (!stopped) {
      const withChart = sectionBlocks(s, charts[i]);
      if (blocks.fits(...withChart.map(utf8Bytes))) {
        for (const b of withChart) blocks.add(b);
        return;
      }
      const bare = sectionBlocks(s, '');
      if (blocks.fits(...bare.map(utf8Bytes))) {
        for (const b of bare) blocks.add(b);
        if (charts[i]) left.charts++;
        return;
      }
      // The first section that does not fit: as many of its rows as fit (the most important come first), then stop.
      stopped = true;
      if (blocks.fits(utf8Bytes(s.heading))) {
        const mark = blocks.out.length;
        const saved = blocks.snapshot();
        blocks.add(s.heading);
        const shownVms = s.vms ? blocks.addRows(s.vms) : 0;
        const shownFindings = s.findings ? blocks.addRows(s.findings.table, details(s.findings.summary)) : 0;
        if (shownVms + shownFindings > 0) {
          left.cutVms += vmRows - shownVms;
          left.cutFindings += findingRows - shownFindings;
          if (charts[i]) left.charts++;
          return;
        }
        blocks.restore(mark, saved);
      }
    }
    left.templates++;
    left.vms += vmRows;
    left.findings += findingRows;
  });

  const out = blocks.out;
  if (left.changes + left.templates + left.cutVms + left.cutFindings + left.charts > 0) out.push(leftOutLine(left, layout.maxBytes));
  if (tail) out.push(tail);
  return out.join('\n\n') + '\n';
}
