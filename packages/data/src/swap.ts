import { table } from "arquero";
import type { PreferenceTable } from "./schema.js";

/**
 * The same pairs with responses (and models) A and B exchanged and labels mapped A ↔ B; ties and unlabelled rows
 * keep their label. Row `i` of the result is row `i` of the input seen from the other side, for augmentation
 * and for test-time averaging (average p(A) on the original with p(B) on the swap).
 */
export function swapAB(input: PreferenceTable): PreferenceTable {
  const labels = input.array("label", Int8Array) as Int8Array;
  const swapped = new Int8Array(labels.length);
  for (let i = 0; i < labels.length; i++) {
    const label = labels[i];
    swapped[i] = label === 0 ? 1 : label === 1 ? 0 : label;
  }
  return table({
    id: input.array("id"),
    modelA: input.array("modelB"),
    modelB: input.array("modelA"),
    prompt: input.array("prompt"),
    responseA: input.array("responseB"),
    responseB: input.array("responseA"),
    label: swapped,
  });
}
