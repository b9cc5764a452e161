// Sorting of float64 values in O(n): an LSD radix sort over the IEEE-754 bits, mapped so that unsigned
// order equals numeric order (−0 sorts before +0; NaN must be filtered out by the caller).

const digitBits = 16;
const buckets = 1 << digitBits;
const digitMask = buckets - 1;

/** Sorts `values` ascending (no NaN) and returns a new array; the input is left untouched. */
export function sortFloat64(values: Float64Array): Float64Array {
  const n = values.length;
  const words = new Uint32Array(values.buffer.slice(values.byteOffset, values.byteOffset + n * 8));
  const lo = new Uint32Array(n);
  const hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const l = words[2 * i]!;
    const h = words[2 * i + 1]!;
    // Negative numbers: flip every bit; positive: flip the sign bit.
    if (h >>> 31 === 1) {
      lo[i] = ~l >>> 0;
      hi[i] = ~h >>> 0;
    } else {
      lo[i] = l;
      hi[i] = (h ^ 0x80000000) >>> 0;
    }
  }
  const lo2 = new Uint32Array(n);
  const hi2 = new Uint32Array(n);
  const count = new Uint32Array(buckets);
  // Four 16-bit digits, least significant first; each pass scatters (lo, hi) pairs into the other buffers.
  radixPass(lo, lo, hi, lo2, hi2, 0, count);
  radixPass(lo2, lo2, hi2, lo, hi, digitBits, count);
  radixPass(hi, lo, hi, lo2, hi2, 0, count);
  radixPass(hi2, lo2, hi2, lo, hi, digitBits, count);
  const out = new Float64Array(n);
  const outWords = new Uint32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const h = hi[i]!;
    if (h >>> 31 === 1) {
      outWords[2 * i] = lo[i]!;
      outWords[2 * i + 1] = (h ^ 0x80000000) >>> 0;
    } else {
      outWords[2 * i] = ~lo[i]! >>> 0;
      outWords[2 * i + 1] = ~h >>> 0;
    }
  }
  return out;
}

function radixPass(
  key: Uint32Array,
  lo: Uint32Array,
  hi: Uint32Array,
  loOut: Uint32Array,
  hiOut: Uint32Array,
  shift: number,
  count: Uint32Array,
): void {
  const n = key.length;
  count.fill(0);
  for (let i = 0; i < n; i++) {
    const d = (key[i]! >>> shift) & digitMask;
    count[d] = count[d]! + 1;
  }
  let total = 0;
  for (let b = 0; b < buckets; b++) {
    const c = count[b]!;
    count[b] = total;
    total += c;
  }
  for (let i = 0; i < n; i++) {
    const d = (key[i]! >>> shift) & digitMask;
    const at = count[d]!;
    count[d] = at + 1;
    loOut[at] = lo[i]!;
    hiOut[at] = hi[i]!;
  }
}
