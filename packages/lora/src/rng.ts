/**
 * xoshiro128** (Blackman & Vigna) seeded through splitmix32, so small integer seeds still give well-mixed states.
 * The 128-bit state can be exported and restored for an exact resume.
 */
export class Rng {
  #s = new Uint32Array(4);
  #spare = NaN;

  /** Seeds from a 32-bit integer seed (any number; it is truncated to uint32). */
  constructor(seed: number) {
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.#s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.#s[0] | this.#s[1] | this.#s[2] | this.#s[3]) === 0) this.#s[0] = 1;
  }

  /** Restores a generator from `state()`; the next draws equal those the original would have made. */
  static fromState(state: readonly number[]): Rng {
    if (state.length !== 5 || state.slice(0, 4).some((v) => !Number.isInteger(v) || v < 0 || v > 0xffffffff)) {
      throw new RangeError(`Rng.fromState: expected 4 uint32 words and a spare normal, got ${JSON.stringify(state)}`);
    }
    const rng = new Rng(0);
    rng.#s.set(state.slice(0, 4));
    rng.#spare = state[4] ?? NaN;
    return rng;
  }

  /** The exact state: 4 uint32 words plus the cached second Box–Muller normal (NaN when none; JSON's null is accepted back). */
  state(): number[] {
    return [...this.#s, this.#spare];
  }

  /** Next uint32. */
  nextUint32(): number {
    const s = this.#s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 random bits. */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** Standard normal (Box–Muller; the second value of each pair is kept for the next call). */
  nextNormal(): number {
    if (!Number.isNaN(this.#spare)) {
      const v = this.#spare;
      this.#spare = NaN;
      return v;
    }
    const u = 1 - this.nextFloat();
    const v = this.nextFloat();
    const radius = Math.sqrt(-2 * Math.log(u));
    this.#spare = radius * Math.sin(2 * Math.PI * v);
    return radius * Math.cos(2 * Math.PI * v);
  }

  /** Fills `out` with U(low, high). */
  fillUniform(out: Float32Array, low: number, high: number): Float32Array {
    const span = high - low;
    for (let i = 0; i < out.length; i++) out[i] = low + span * this.nextFloat();
    return out;
  }

  /** Fills `out` with N(0, std²). */
  fillNormal<T extends Float32Array | Float64Array>(out: T, std: number): T {
    for (let i = 0; i < out.length; i++) out[i] = std * this.nextNormal();
    return out;
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}
