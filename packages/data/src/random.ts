/** A seeded generator of floats in [0, 1). */
export interface Random {
  next(): number;
}

/**
 * xoshiro128** seeded through splitmix32, so small integer seeds (0, 1, 2…) still start from well-mixed
 * states. Deterministic across platforms: only 32-bit integer arithmetic.
 */
export function createRandom(seed: number): Random {
  let s = seed >>> 0;
  const splitmix = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = splitmix();
  let b = splitmix();
  let c = splitmix();
  let d = splitmix();
  return {
    next() {
      const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
      const t = b << 9;
      c ^= a;
      d ^= b;
      b ^= c;
      a ^= d;
      c ^= t;
      d = rotl(d, 11);
      return result / 4294967296;
    },
  };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Shuffles `indices` in place (Fisher–Yates). */
export function shuffle(indices: Int32Array, random: Random): Int32Array {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random.next() * (i + 1));
    const tmp = indices[i];
    indices[i] = indices[j];
    indices[j] = tmp;
  }
  return indices;
}
