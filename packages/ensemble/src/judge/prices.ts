import { JudgeCalibrationError } from "./errors.js";

/** What an endpoint charges, in US dollars per million tokens. */
export interface JudgePrices {
  /** Price of a million prompt tokens. */
  readonly inputPerMillion: number;
  /** Price of a million completion tokens. */
  readonly outputPerMillion: number;
}

/**
 * Reads a price table: `{ "<model>": { "inputPerMillion": 10, "outputPerMillion": 30 }, … }`. Prices change, so
 * the project ships none; the user keeps a table beside their runs.
 */
export function parseJudgePriceTable(text: string, source: string): Record<string, JudgePrices> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new JudgeCalibrationError(source, `not valid JSON (${(error as Error).message})`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new JudgeCalibrationError(source, "expected an object of model name → { inputPerMillion, outputPerMillion }");
  }
  const table: Record<string, JudgePrices> = {};
  for (const [model, entry] of Object.entries(value)) {
    const e = entry as Partial<Record<keyof JudgePrices, unknown>> | null;
    for (const field of ["inputPerMillion", "outputPerMillion"] as const) {
      const price = e?.[field];
      if (typeof price !== "number" || !Number.isFinite(price) || price < 0) {
        throw new JudgeCalibrationError(source, `"${model}".${field} must be a non-negative number, got ${JSON.stringify(price)}`);
      }
    }
    table[model] = e as JudgePrices;
  }
  return table;
}

/** Dollars for the given token counts. */
export function estimateJudgeCost(promptTokens: number, completionTokens: number, prices: JudgePrices): number {
  return (promptTokens * prices.inputPerMillion + completionTokens * prices.outputPerMillion) / 1e6;
}
