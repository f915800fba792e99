// Azure-exact hashes behind uniqueString() and guid(): a two-lane 64-bit Murmur variant and a UUID v5.
// Pure: node:crypto is used only for SHA-1, which does no I/O; it is loaded on the first guid() (start-up time).
import { createRequire } from 'node:module';
import type * as NodeCrypto from 'node:crypto';

let crypto: typeof NodeCrypto | undefined;

/*
 * uniqueString(a, b, …) joins its arguments with '-', UTF-8 encodes them and hashes the bytes with the
 * "MurmurHash64" of Microsoft.WindowsAzure.ResourceStack (Azure.Deployments.Expression's UniqueStringFunction):
 * two MurmurHash3-x86-style 32-bit lanes, seed 0, returned as (h2 << 32) | h1. The 13 output characters take 5
 * bits at a time from the top of that 64-bit value. Public ports read: Azure/terraform-provider-azapi
 * (internal/services/functions/unique_string_function.go) and philsphicas/aztunnel (e2e/infra/uniquestring.sh);
 * values observed from Azure: see fixtures/expressions/hash.json.
 *
 * Tail of 5–7 bytes (length mod 8): the second lane's tail word is multiplied by 0xAB0E9789, written in the C#
 * original as `(uint)(k * -1425107063)`, an unchecked int multiplication whose bits are then reinterpreted as
 * uint. azapi's Go port instead takes the absolute value of a negative product (`safeInt32ToUint32`), which
 * changes the hash whenever the product is negative; aztunnel's port, a C# port that states it is derived from
 * Microsoft's MIT-licensed source, and the Logic Apps StoragePrefixGenerator copy of the same routine all do
 * plain 32-bit wrap-around, so this file does that. Every known-good Azure vector agrees with both readings
 * (none of them hits a negative product), so the choice rests on the C# semantics, not on a golden value.
 */

const C1 = 0x239b961b; // 597399067
const C2 = 0xab0e9789; // 2869860233 (= -1425107063 as int32)
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const encoder = new TextEncoder();

function rotl(x: number, r: number): number {
  return (x << r) | (x >>> (32 - r));
}

function fmix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** Little-endian word of `n` (1–4) bytes starting at `at`. */
function word(data: Uint8Array, at: number, n: number): number {
  let v = 0;
  for (let j = 0; j < n; j++) v |= data[at + j] << (8 * j);
  return v;
}

/** The 64-bit hash as [high, low] unsigned 32-bit halves. */
export function murmurHash64(data: Uint8Array): [number, number] {
  const length = data.length;
  let h1 = 0;
  let h2 = 0;
  let i = 0;
  for (; i + 7 < length; i += 8) {
    let k1 = word(data, i, 4);
    let k2 = word(data, i + 4, 4);
    k1 = Math.imul(rotl(Math.imul(k1, C1), 15), C2);
    h1 ^= k1;
    h1 = rotl(h1, 19);
    h1 = (h1 + h2) | 0;
    h1 = (Math.imul(h1, 5) + 1444728091) | 0;
    k2 = Math.imul(rotl(Math.imul(k2, C2), 17), C1);
    h2 ^= k2;
    h2 = rotl(h2, 13);
    h2 = (h2 + h1) | 0;
    h2 = (Math.imul(h2, 5) + 197830471) | 0;
  }
  const tail = length - i;
  if (tail > 0) {
    const k1 = Math.imul(rotl(Math.imul(word(data, i, Math.min(tail, 4)), C1), 15), C2);
    h1 ^= k1;
    if (tail > 4) {
      // Wrap-around multiplication (bits reinterpreted), not azapi's absolute value: see the note above.
      const k2 = Math.imul(rotl(Math.imul(word(data, i + 4, tail - 4), C2), 17), C1);
      h2 ^= k2;
    }
  }
  h1 ^= length;
  h2 ^= length;
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 = (h1 + h2) | 0;
  h2 = (h2 + h1) | 0;
  return [h2 >>> 0, h1 >>> 0];
}

/** ARM uniqueString(...) of already-checked string arguments. */
export function uniqueString(parts: readonly string[]): string {
  const [hi, lo] = murmurHash64(encoder.encode(parts.join('-')));
  let value = (BigInt(hi) << 32n) | BigInt(lo);
  let out = '';
  for (let j = 0; j < 13; j++) {
    out += ALPHABET[Number(value >> 59n)];
    value = (value << 5n) & 0xffffffffffffffffn;
  }
  return out;
}

/**
 * ARM guid(...): an RFC 4122 §4.3 name-based UUID, version 5 (SHA-1), in the namespace
 * 11fb06fb-712d-4ddd-98c7-e71bbd588830 over the arguments joined with '-'. Learn's guid remarks name RFC 4122 §4.3
 * and LogosBible's GuidUtility; the namespace and the '-' join come from public ports (not confirmed by Microsoft).
 */
const ARM_NAMESPACE = Buffer.from('11fb06fb712d4ddd98c7e71bbd588830', 'hex');

export function armGuid(parts: readonly string[]): string {
  crypto ??= createRequire(import.meta.url)('node:crypto') as typeof NodeCrypto;
  const digest = crypto.createHash('sha1').update(ARM_NAMESPACE).update(encoder.encode(parts.join('-'))).digest();
  const b = digest.subarray(0, 16);
  b[6] = (b[6] & 0x0f) | 0x50;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
