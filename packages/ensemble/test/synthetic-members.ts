/** Deterministic synthetic members for strategy tests: noisy views of a hidden 3-class truth. */
export interface SyntheticSet {
  readonly labels: Uint8Array;
  /** Row-major `rows × 3` per member. */
  readonly members: Float64Array[];
}

/** A small linear congruential generator: tests need repeatable numbers, not good randomness. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state + 0.5) / 4294967296;
  };
}

function softmax(z: number[]): number[] {
  const m = Math.max(...z);
  const e = z.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

/**
 * `rows` rows whose labels are drawn from softmax(true logits); member `m` sees the logits plus noise of scale
 * `noise[m]`, sharpened by `sharpness[m]` (1 = calibrated-ish, 2 = overconfident).
 */
export function syntheticMembers(rows: number, noise: number[], sharpness: number[], seed = 7): SyntheticSet {
  const next = lcg(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(next())) * Math.cos(2 * Math.PI * next());
  const labels = new Uint8Array(rows);
  const members = noise.map(() => new Float64Array(rows * 3));
  for (let i = 0; i < rows; i++) {
    const z = [gauss() * 1.2, gauss() * 1.2, gauss() * 0.5];
    const p = softmax(z);
    const u = next();
    labels[i] = u < p[0] ? 0 : u < p[0] + p[1] ? 1 : 2;
    noise.forEach((scale, m) => {
      members[m].set(softmax(z.map((v) => (v + scale * gauss()) * sharpness[m])), i * 3);
    });
  }
  return { labels, members };
}
