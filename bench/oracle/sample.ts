// The fixed sample of the differential check: every k-th entry of the sorted list, from the first.

/** Every k-th entry of the sorted list, k = floor(count / n), starting with the first: a fixed, spread-out sample. */
export function sampleOf<T>(entries: readonly T[], n: number): T[] {
  if (n >= entries.length) return [...entries];
  const k = Math.floor(entries.length / n);
  const out: T[] = [];
  for (let i = 0; out.length < n; i += k) out.push(entries[i]);
  return out;
}
