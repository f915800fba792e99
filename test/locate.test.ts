// The lean pointer locator must agree with jsonc-parser's syntax tree on every pointer of strict JSON.
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import type { Node } from 'jsonc-parser';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { StrictJsonLocator } from '../engine/template/locate.js';

/** A deterministic pseudo-random generator (no Math.random in tests that must repeat). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function gen(r: () => number, depth: number): unknown {
  const k = r();
  if (depth > 4 || k < 0.3) {
    const pick = Math.floor(r() * 6);
    return [1.5e3, -2, true, null, 'a "quoted" \\ back\\slash', 'plain [text] {x}, y'][pick];
  }
  if (k < 0.6) return Array.from({ length: Math.floor(r() * 4) }, () => gen(r, depth + 1));
  const o: Record<string, unknown> = {};
  for (let i = 0; i < Math.floor(r() * 4); i++) o[['a', 'b/c', 'd~e', 'x"y', 'ü'][Math.floor(r() * 5)] + i] = gen(r, depth + 1);
  return o;
}

function pointers(v: unknown, path: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(path);
  if (Array.isArray(v)) v.forEach((x, i) => pointers(x, [...path, i], out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) pointers(x, [...path, k], out);
  return out;
}

function expected(root: Node, path: (string | number)[]): { offset: number; length: number } {
  const node = findNodeAtLocation(root, path)!;
  const key = node.parent?.type === 'property' ? node.parent.children![0] : undefined;
  return key ? { offset: key.offset, length: node.offset + node.length - key.offset } : { offset: node.offset, length: node.length };
}

test('agrees with jsonc-parser on 200 generated documents in three layouts', () => {
  const r = rng(42);
  for (let n = 0; n < 200; n++) {
    const value = { root: gen(r, 0), list: [gen(r, 1), gen(r, 1)] };
    for (const text of [JSON.stringify(value), JSON.stringify(value, null, 2), JSON.stringify(value, null, '\t').replace(/\n/g, '\r\n')]) {
      const tree = parseTree(text)!;
      const loc = new StrictJsonLocator(text);
      for (const p of pointers(value)) assert.equal(loc.find(p.map(String)), expected(tree, p), `${JSON.stringify(p)} in ${text.slice(0, 80)}`);
    }
  }
});

/** 200 generated documents (indented JSON) with jsonc-parser's tree, and every pointer in document and in random order. */
function* documents(seed: number): Generator<{ text: string; tree: Node; all: (string | number)[][]; shuffled: (string | number)[][] }> {
  const r = rng(seed);
  for (let n = 0; n < 200; n++) {
    const value = { root: gen(r, 0), list: [gen(r, 1), gen(r, 1), gen(r, 1)], tail: gen(r, 1) };
    const text = JSON.stringify(value, null, 2);
    const all = pointers(value);
    yield { text, tree: parseTree(text)!, all, shuffled: all.map((p) => ({ p, k: r() })).sort((a, b) => a.k - b.k).map((x) => x.p) };
  }
}

test('agrees with jsonc-parser whatever order the pointers are asked in (deep first, later siblings, earlier ones)', () => {
  for (const { text, tree, all, shuffled } of documents(7)) {
    // A fresh locator per order: what an earlier query scanned (and where it stopped) must not change an answer.
    for (const order of [shuffled, [...all].reverse(), [...all.filter((p) => p.length > 2), ...all]]) {
      const loc = new StrictJsonLocator(text);
      for (const p of order) assert.equal(loc.find(p.map(String)), expected(tree, p), `${JSON.stringify(p)} in ${text.slice(0, 80)}`);
    }
  }
});

test('start() is where find() starts, asked alone or mixed with find() in any order, and scans no value to its end', () => {
  for (const { text, tree, shuffled } of documents(11)) {
    const alone = new StrictJsonLocator(text);
    const mixed = new StrictJsonLocator(text);
    shuffled.forEach((p, i) => {
      const want = expected(tree, p).offset;
      assert.is(alone.start(p.map(String)), want, `${JSON.stringify(p)} in ${text.slice(0, 80)}`);
      assert.is(i % 2 ? mixed.start(p.map(String)) : mixed.find(p.map(String)).offset, want, `${JSON.stringify(p)} (mixed)`);
    });
  }
  // start() of the last member scans none of its containers to their ends; find() must.
  const text = '{"a": 1, "b": {"c": [1, {"d": 2}], "e": {}}}';
  const ends = (loc: StrictJsonLocator) => (loc as unknown as { ends: Map<number, number> }).ends.size;
  const loc = new StrictJsonLocator(text);
  assert.is(loc.start(['b']), 9);
  assert.is(ends(loc), 0);
  loc.find(['b']);
  assert.ok(ends(loc) > 0);
});

test('a pointer that does not exist lands on its nearest existing ancestor', () => {
  const text = '{"a": {"b": [1, 2]}}';
  const loc = new StrictJsonLocator(text);
  assert.equal(loc.find(['a', 'b', '7']), { offset: 7, length: 11 });
  assert.equal(loc.find(['zzz']), { offset: 0, length: text.length });
});

test('keys written with escapes are found by their value; a duplicate key finds its first occurrence; array indexes are digits without leading zeros', () => {
  const text = '{"\\u0061": 1, "b": {"c\\/d": 2, "e": [10, 20]}, "a": 3}';
  const loc = new StrictJsonLocator(text);
  assert.equal(loc.find(['a']), { offset: 1, length: text.indexOf(', "b"') - 1 });
  const cd = text.indexOf('"c');
  assert.equal(loc.find(['b', 'c/d']), { offset: cd, length: text.indexOf(', "e"') - cd });
  assert.is(loc.start(['b', 'e', '1']), text.indexOf('20'));
  const e = text.indexOf('"e"');
  assert.equal(loc.find(['b', 'e', '01']), { offset: e, length: text.indexOf(']') + 1 - e }, "'01' is no index: the array itself");
  assert.equal(loc.find(['b', 'e', '-1']), { offset: e, length: text.indexOf(']') + 1 - e });
});

test('a 120-key object agrees with jsonc-parser in document and random order, escaped and duplicate keys included', () => {
  const members: string[] = [];
  for (let i = 0; i < 120; i++) members.push(`${JSON.stringify(i % 7 === 0 ? `k/${i}"q` : `k${i}`)}: {"v": [${i}, {"w": ${i}}]}`);
  // 'k5' written with an escape, and again plainly further on.
  members[5] = '"\\u006b5": {"v": [5, {"w": 5}]}';
  members.splice(60, 0, '"k5": "second"');
  const text = `{"top": {${members.join(',\n ')}}}`;
  const tree = parseTree(text)!;
  const r = rng(7);
  for (const order of [0, 1]) {
    const loc = new StrictJsonLocator(text);
    const keys = Array.from({ length: 120 }, (_, i) => (i % 7 === 0 ? `k/${i}"q` : `k${i}`));
    if (order === 1) keys.sort(() => r() - 0.5);
    for (const k of keys) {
      if (k === 'k5') continue;
      assert.equal(loc.find(['top', k, 'v', '1', 'w']), expected(tree, ['top', k, 'v', 1, 'w']), k);
      assert.equal(loc.find(['top', k]), expected(tree, ['top', k]), k);
    }
    // The first occurrence of 'k5' is the escaped one.
    assert.is(loc.start(['top', 'k5']), text.indexOf('"\\u006b5"'));
  }
});

test.run();
