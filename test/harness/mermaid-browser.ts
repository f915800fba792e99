// Mermaid itself, in headless Chromium: the browser build of the pinned mermaid devDependency is loaded into an
// empty page from node_modules (every request the page would make is refused and recorded: nothing is fetched),
// then mermaid.parse and mermaid.render run there as GitHub runs them. Needs Debian's Chromium at /usr/bin/chromium
// and playwright-core (which downloads no browser); openMermaid says which one is missing instead. Test-only code.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type * as Playwright from 'playwright-core';
import { ROOT } from './package.js';

/** Debian's Chromium; CHROMIUM_PATH names another build of it (elsewhere, or to see the tests skip). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const BUNDLE = join(ROOT, 'node_modules/mermaid/dist/mermaid.min.js');

/** Chromium's flags for a closed network: no background traffic, no component or sync downloads. */
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

export interface ParseFailure {
  readonly index: number;
  readonly error: string;
}

export interface Rendered {
  /** The text of every node label and every non-empty edge label, in the SVG's order (nodes first). */
  readonly nodeTexts: readonly string[];
  readonly edgeTexts: readonly string[];
  /** Each edge path's stroke colour as linkStyle set it (`''` where none was set), in the order of the chart's edges. */
  readonly edgeStrokes: readonly string[];
  /** Each node's colour class (`''` where it has none), by node id. */
  readonly nodeClasses: Readonly<Record<string, string>>;
}

export interface MermaidBrowser {
  readonly version: string;
  /** Parses every chart; the failures, with Mermaid's message. */
  parse(charts: readonly string[]): Promise<ParseFailure[]>;
  /** Renders one chart to SVG and reads its labels and colours back; throws with Mermaid's message. */
  render(chart: string): Promise<Rendered>;
  /** Requests the page tried to make (none expected). */
  readonly requests: readonly string[];
  close(): Promise<void>;
}

interface MermaidApi {
  initialize(config: object): void;
  parse(text: string): Promise<unknown>;
  render(id: string, text: string): Promise<{ svg: string }>;
}

declare const mermaid: MermaidApi;

/** The little of the DOM the page functions use (the project's TypeScript has no DOM library). */
interface PageElement {
  innerHTML: string;
  readonly id: string;
  readonly textContent: string | null;
  readonly classList: Iterable<string>;
  getAttribute(name: string): string | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
}
declare const document: { createElement(tag: string): PageElement };

/** Opens Chromium with Mermaid loaded, or says why it cannot (the caller reports the test as skipped). */
export async function openMermaid(): Promise<MermaidBrowser | { skipped: string }> {
  if (!existsSync(CHROMIUM)) return { skipped: `${CHROMIUM} not found (Debian's chromium package)` };
  if (!existsSync(BUNDLE)) return { skipped: 'node_modules/mermaid not installed' };
  let pw: typeof Playwright;
  try {
    pw = await import('playwright-core');
  } catch {
    return { skipped: 'playwright-core not installed' };
  }
  const browser = await pw.chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = await browser.newPage();
    const requests: string[] = [];
    await page.route('**/*', (route) => {
      requests.push(route.request().url());
      return route.abort();
    });
    await page.setContent('<!doctype html><html><head><meta charset="utf-8"></head><body></body></html>');
    await page.addScriptTag({ path: BUNDLE });
    await page.evaluate(() => {
      // GitHub renders with Mermaid's defaults: strict security, HTML labels.
      mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });
    });
    const { version } = JSON.parse(readFileSync(join(ROOT, 'node_modules/mermaid/package.json'), 'utf8')) as { version: string };
    let renders = 0;
    return {
      version,
      requests,
      parse: (charts) =>
        page.evaluate(async (list: readonly string[]) => {
          const failures: { index: number; error: string }[] = [];
          for (let i = 0; i < list.length; i++) {
            try {
              await mermaid.parse(list[i]);
            } catch (e) {
              failures.push({ index: i, error: e instanceof Error ? e.message : String(e) });
            }
          }
          return failures;
        }, charts),
      render: (chart) =>
        page.evaluate(
          async ([text, id]: readonly [string, string]) => {
            const { svg } = await mermaid.render(id, text);
            const holder = document.createElement('div');
            holder.innerHTML = svg;
            const nodeTexts = [...holder.querySelectorAll('g.node span.nodeLabel')].map((e) => e.textContent ?? '');
            const edgeTexts = [...holder.querySelectorAll('g.edgeLabel span.edgeLabel')].map((e) => e.textContent ?? '').filter((t) => t !== '');
            const edgeStrokes = [...holder.querySelectorAll('g.edgePaths > path')].map((e) => /(?:^|;)\s*stroke:\s*([^;!]+?)\s*(?:!important)?\s*(?:;|$)/.exec(e.getAttribute('style') ?? '')?.[1] ?? '');
            const nodeClasses: Record<string, string> = {};
            for (const g of holder.querySelectorAll('g.node')) {
              // Mermaid's node element ids are `<render id>-flowchart-<node id>-<n>`.
              const m = /-flowchart-(.+)-\d+$/.exec(g.id);
              if (m) nodeClasses[m[1]] = [...g.classList].filter((c) => c !== 'node' && c !== 'default').join(' ');
            }
            return { nodeTexts, edgeTexts, edgeStrokes, nodeClasses };
          },
          [chart, `chart${renders++}`] as const,
        ),
      close: () => browser.close(),
    };
  } catch (e) {
    await browser.close();
    throw e;
  }
}
