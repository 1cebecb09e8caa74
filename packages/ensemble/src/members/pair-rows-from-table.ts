import type { PreferenceTable } from "@lora-litee/data";
import type { PairRow, PreferenceLabel } from "./pair-row.js";

/** The rows of a `@lora-litee/data` preference table as members read them; unlabelled rows get no label. */
export function pairRowsFromTable(table: PreferenceTable): PairRow[] {
  const ids = table.array("id") as ArrayLike<string>;
  const prompts = table.array("prompt") as ArrayLike<string[]>;
  const responsesA = table.array("responseA") as ArrayLike<string[]>;
  const responsesB = table.array("responseB") as ArrayLike<string[]>;
  const labels = table.array("label") as ArrayLike<number>;
  return Array.from({ length: table.numRows() }, (_, i) => {
    const label = labels[i];
    return {
      id: ids[i],
      prompt: prompts[i],
      responseA: responsesA[i],
      responseB: responsesB[i],
      ...(label >= 0 ? { label: label as PreferenceLabel } : {}),
    };
  });
}
