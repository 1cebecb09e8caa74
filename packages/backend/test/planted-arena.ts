/**
 * Arena CSV rows with a planted rule a classifier can learn from text alone: the last word of response A says the
 * label (alpha → A wins, beta → B wins, gamma → tie); everything else is random words.
 */
const WORDS = ["river", "stone", "cloud", "paper", "green", "table", "music", "light", "north", "sugar", "glass", "horse"];
const MARKERS = ["alpha", "beta", "gamma"];

/** `rows` planted rows from a seeded LCG, as Kaggle's arena CSV. */
export function plantedCsv(rows: number, seed: number): string {
  let state = seed;
  const next = (n: number) => ((state = (state * 1103515245 + 12345) % 2147483648), state % n);
  const words = (count: number) => Array.from({ length: count }, () => WORDS[next(WORDS.length)]).join(" ");
  const cell = (text: string) => `"${JSON.stringify([text]).replaceAll('"', '""')}"`;
  const lines = ["id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie"];
  for (let i = 0; i < rows; i++) {
    const label = next(3);
    const flags = [0, 0, 0];
    flags[label] = 1;
    lines.push([i, "m1", "m2", cell(words(3)), cell(`${words(4)} ${MARKERS[label]}`), cell(words(5)), ...flags].join(","));
  }
  return lines.join("\n");
}
