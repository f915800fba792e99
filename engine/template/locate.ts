// Finds the source range of a JSON pointer in strict JSON text without building a syntax tree: it descends
// along the pointer, scanning only the containers on the way, and remembers them. jsonc-parser's parseTree does
// the same job for JSONC input but allocates a node per value, which costs about five times JSON.parse.
import type { SourceRange } from './template.js';

const STRUCTURAL = /["{}[\]]/g;

interface Child {
  readonly keyOffset: number;
  readonly start: number;
  /** The end of the value, or -1 until something needs it (descending into a member needs only its start). */
  end: number;
}

/** A lazy pointer index over strict JSON text (the text JSON.parse accepted). */
export class StrictJsonLocator {
  private readonly containers = new Map<number, { members: Map<string, Child>; next: number; index: number; done: boolean; pending: Child | undefined }>();
  private readonly ends = new Map<number, number>();
  private rootStart = -1;
  private rootEnd = -1;

  constructor(private readonly text: string) {}

  private ws(i: number): number {
    const t = this.text;
    for (;;) {
      const c = t.charCodeAt(i);
      if (c === 32 || c === 10 || c === 13 || c === 9) i++;
      else return i;
    }
  }

  /** End (exclusive) of the string starting at the quote at i. */
  private stringEnd(i: number): number {
    const t = this.text;
    let j = i + 1;
    for (;;) {
      const q = t.indexOf('"', j);
      if (q < 0) return t.length;
      let k = q - 1;
      let slashes = 0;
      while (t.charCodeAt(k) === 92) {
        slashes++;
        k--;
      }
      if (slashes % 2 === 0) return q + 1;
      j = q + 1;
    }
  }

  /** End (exclusive) of the value starting at i. */
  private valueEnd(i: number): number {
    const t = this.text;
    const c = t.charCodeAt(i);
    if (c === 34) return this.stringEnd(i);
    if (c === 123 || c === 91) {
      const known = this.ends.get(i);
      if (known !== undefined) return known;
      // One native regex scan from structural character to structural character; the ends of the container's own
      // members are remembered, so descending into it later skips them at no cost. (Remembering every nested
      // container's end too made the scan a quarter slower, for descents that are rare.)
      // test() rather than exec(): no match array is allocated per structural character.
      const re = STRUCTURAL;
      re.lastIndex = i;
      const stack: number[] = [];
      while (re.test(t)) {
        const at = re.lastIndex - 1;
        const d = t.charCodeAt(at);
        if (d === 34) re.lastIndex = this.stringEnd(at);
        else if (d === 123 || d === 91) stack.push(at);
        else {
          const start = stack.pop()!;
          if (stack.length <= 1) this.ends.set(start, at + 1);
          if (stack.length === 0) return at + 1;
        }
      }
      return t.length;
    }
    let j = i;
    while (j < t.length) {
      const d = t.charCodeAt(j);
      if (d === 44 || d === 125 || d === 93 || d === 32 || d === 10 || d === 13 || d === 9) break;
      j++;
    }
    return j;
  }

  /** The end of a member's value, scanned on first need. */
  private endOf(c: Child): number {
    if (c.end < 0) c.end = this.valueEnd(c.start);
    return c.end;
  }

  /**
   * The child `seg` of the container at `start`. Members are scanned incrementally and only as far as needed:
   * reaching resources[5] skips resources 0-4 and never scans what follows, not even the rest of resources[5]
   * (descending into it needs only where it starts).
   */
  private child(start: number, seg: string): Child | undefined {
    let state = this.containers.get(start);
    if (!state) {
      state = { members: new Map(), next: this.ws(start + 1), index: 0, done: false, pending: undefined };
      this.containers.set(start, state);
    }
    const hit = state.members.get(seg);
    if (hit) return hit;
    const t = this.text;
    const isObject = t.charCodeAt(start) === 123;
    let i = state.next;
    if (state.pending) {
      // The member the last search stopped at: continue after it.
      i = this.ws(this.endOf(state.pending));
      if (t.charCodeAt(i) === 44) i = this.ws(i + 1);
      state.next = i;
      state.pending = undefined;
    }
    while (!state.done) {
      if (i >= t.length || t.charCodeAt(i) === 125 || t.charCodeAt(i) === 93) {
        state.done = true;
        break;
      }
      let key = String(state.index);
      const keyOffset = i;
      if (isObject) {
        const kend = this.stringEnd(i);
        const raw = t.slice(i + 1, kend - 1);
        key = raw.indexOf('\\') < 0 ? raw : (JSON.parse(t.slice(i, kend)) as string);
        i = this.ws(kend);
        i = this.ws(i + 1); // the colon
      }
      const found: Child = { keyOffset, start: i, end: -1 };
      // A duplicate key points at its first occurrence here, while JSON.parse keeps the last value: rare
      // enough in templates that scanning every member of every object to the end is not worth it.
      if (!state.members.has(key)) state.members.set(key, found);
      state.index++;
      if (key === seg) {
        state.pending = found;
        return found;
      }
      i = this.ws(this.endOf(found));
      if (t.charCodeAt(i) === 44) i = this.ws(i + 1);
      state.next = i;
    }
    return state.members.get(seg);
  }

  /** The deepest member along the pointer segments that exists (undefined: not even the first). */
  private descend(segments: readonly string[]): Child | undefined {
    if (this.rootStart < 0) this.rootStart = this.ws(0);
    let found: Child | undefined;
    let start = this.rootStart;
    for (const seg of segments) {
      const c = this.text.charCodeAt(start);
      if (c !== 123 && c !== 91) break;
      const child = this.child(start, seg);
      if (!child) break;
      found = child;
      start = child.start;
    }
    return found;
  }

  /** The range of the value at the pointer segments (for object members: from the key to the end of the value). */
  find(segments: readonly string[]): SourceRange {
    const found = this.descend(segments);
    if (found) return { offset: found.keyOffset, length: this.endOf(found) - found.keyOffset };
    // The whole document: its end is scanned only when asked for.
    if (this.rootEnd < 0) this.rootEnd = this.valueEnd(this.rootStart);
    return { offset: this.rootStart, length: this.rootEnd - this.rootStart };
  }

  /** Where find()'s range starts, without scanning to the end of the value (a VM's position needs no end). */
  start(segments: readonly string[]): number {
    const found = this.descend(segments);
    return found ? found.keyOffset : this.rootStart;
  }
}
