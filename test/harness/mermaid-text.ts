// What the Markdown report's Mermaid charts may contain, checked without a browser: the line grammar the chart
// writer keeps to (node declarations with quoted labels, edges, classDef and linkStyle), label bodies with nothing
// Mermaid reads as syntax, and the decoding Mermaid applies to entity codes (#35;, #quot;), so a test can say what
// text a label shows. Test-only code.

/** The four colour classes the chart uses (api/formatters/mermaid.ts). */
export const PAINTS = ['det', 'nondet', 'unk', 'none'] as const;

/**
 * What a label body may hold as it is: not `"`, `#`, `&`, `<`, `>`, `%`, `$`, backtick, backslash, control characters
 * or line separators; a colon only before a space; Mermaid's entity markers (ﬂ° and ¶ß) only kept apart.
 */
const BODY = String.raw`(?:[^"#&<>%$\x60\\\u0000-\u001f\u007f-\u009f\u2028\u2029\uFB02\u00B6:]|:(?= )|\uFB02(?!\u00B0)|\u00B6(?!\u00DF)|#(?:\d+|quot|lt|gt|amp);)+`;
const LABEL_BODY = new RegExp(`^${BODY}$`);
const ID = '[a-z][a-z0-9_]*';
const SHAPES = [String.raw`\["(${BODY})"\]`, String.raw`\("(${BODY})"\)`, String.raw`\{\{"(${BODY})"\}\}`, String.raw`\(\["(${BODY})"\]\)`, String.raw`\(\("(${BODY})"\)\)`];
const NODE = new RegExp(`^ {2}(${ID})(?:${SHAPES.join('|')})(?::::(${PAINTS.join('|')}))?$`);
const EDGE = new RegExp(`^ {2}(${ID}) (-->|-\\.->)(?:\\|"(${BODY})"\\|)? (${ID})$`);
const CLASSDEF = new RegExp(`^ {2}classDef (${PAINTS.join('|')}) [^;\\s]+(?: [^;\\s]+)*$`);
const LINKSTYLE = /^ {2}linkStyle (\d+(?:,\d+)*) [^;\s]+$/;
const KEYWORDS = new Set(['end', 'graph', 'flowchart', 'subgraph', 'style', 'class', 'classdef', 'click', 'linkstyle', 'default', 'direction', 'call', 'href']);

/** The text Mermaid shows for a label body: its entity codes decoded. */
export function decodeLabel(body: string): string {
  const named: Record<string, string> = { quot: '"', lt: '<', gt: '>', amp: '&' };
  return body.replace(/#(\d+);|#(quot|lt|gt|amp);/g, (_m, n: string | undefined, name: string | undefined) => (n !== undefined ? String.fromCodePoint(Number(n)) : named[name ?? '']));
}

export function isLabelBody(body: string): boolean {
  return LABEL_BODY.test(body) && body.trim() !== '';
}

/** The ```mermaid blocks of a Markdown report, without their fences. */
export function chartsOf(markdown: string): string[] {
  return [...markdown.matchAll(/^```mermaid\n([\s\S]*?)^```$/gm)].map((m) => m[1]);
}

export interface ChartNodeInfo {
  readonly id: string;
  readonly text: string;
  readonly paint: string;
}

export interface ChartEdgeInfo {
  readonly from: string;
  readonly to: string;
  readonly text: string | undefined;
  /** The class whose linkStyle lists this edge ('' if none). */
  readonly paint: string;
}

export interface ChartInfo {
  readonly nodes: readonly ChartNodeInfo[];
  readonly edges: readonly ChartEdgeInfo[];
  /** Each class's style as written by classDef. */
  readonly classDefs: Readonly<Record<string, string>>;
  /** Each class's linkStyle (stroke and width). */
  readonly linkStyles: Readonly<Record<string, string>>;
  /** What breaks the grammar, with the line. */
  readonly problems: readonly string[];
}

/** Reads a chart (the text between the fences) line by line, and lists every line outside the grammar. */
export function readChart(chart: string): ChartInfo {
  const lines = chart.replace(/\n$/, '').split('\n');
  const problems: string[] = [];
  const nodes: ChartNodeInfo[] = [];
  const edges: { from: string; to: string; text: string | undefined }[] = [];
  const classDefs: Record<string, string> = {};
  const linkStyles: Record<string, string> = {};
  const edgePaint = new Map<number, string>();
  const ids = new Set<string>();
  if (lines[0] !== 'flowchart LR') problems.push(`first line: ${lines[0]}`);
  for (const line of lines.slice(1)) {
    const node = NODE.exec(line);
    if (node) {
      const id = node[1];
      const body = node.slice(2, 7).find((b) => b !== undefined) ?? '';
      if (ids.has(id)) problems.push(`declared twice: ${line}`);
      if (KEYWORDS.has(id.toLowerCase())) problems.push(`a Mermaid keyword as id: ${line}`);
      if (!isLabelBody(body)) problems.push(`an empty label: ${line}`);
      ids.add(id);
      nodes.push({ id, text: decodeLabel(body), paint: node[7] ?? '' });
      continue;
    }
    const edge = EDGE.exec(line);
    if (edge) {
      if (!ids.has(edge[1]) || !ids.has(edge[4])) problems.push(`an edge before its nodes: ${line}`);
      if (edge[3] !== undefined && !isLabelBody(edge[3])) problems.push(`an empty edge label: ${line}`);
      edges.push({ from: edge[1], to: edge[4], text: edge[3] === undefined ? undefined : decodeLabel(edge[3]) });
      continue;
    }
    const def = CLASSDEF.exec(line);
    if (def) {
      if (classDefs[def[1]] !== undefined) problems.push(`classDef twice: ${line}`);
      classDefs[def[1]] = line.trim().slice(`classDef ${def[1]} `.length);
      continue;
    }
    const style = LINKSTYLE.exec(line);
    if (style) {
      const css = line.trim().slice(`linkStyle ${style[1]} `.length);
      const stroke = /stroke:(#[0-9a-f]{6})/.exec(css)?.[1] ?? '';
      for (const n of style[1].split(',').map(Number)) {
        if (n >= edges.length) problems.push(`linkStyle past the last edge (${n}): ${line}`);
        if (edgePaint.has(n)) problems.push(`edge ${n} styled twice: ${line}`);
        edgePaint.set(n, stroke);
      }
      linkStyles[stroke] = css;
      continue;
    }
    problems.push(`outside the grammar: ${line}`);
  }
  // Each class is defined where it is used, and only there; linkStyle colours are the classes' strokes.
  const strokeOf: Record<string, string> = {};
  for (const [paint, css] of Object.entries(classDefs)) strokeOf[/stroke:(#[0-9a-f]{6})/.exec(css)?.[1] ?? ''] = paint;
  for (const n of nodes) if (n.paint && classDefs[n.paint] === undefined) problems.push(`class ${n.paint} used but not defined`);
  const strokes = new Set(edgePaint.values());
  for (const [stroke, paint] of Object.entries(strokeOf)) if (!nodes.some((n) => n.paint === paint) && !strokes.has(stroke)) problems.push(`classDef ${paint} unused`);
  const outEdges = edges.map((e, i) => {
    const stroke = edgePaint.get(i) ?? '';
    const paint = stroke === '' ? '' : (strokeOf[stroke] ?? '');
    if (stroke !== '' && paint === '') problems.push(`edge ${i} stroke ${stroke} is no class's colour`);
    return { ...e, paint };
  });
  return { nodes, edges: outEdges, classDefs, linkStyles, problems };
}
