import type { LossPoint } from "@lora-litee/bench";
import type { PreferenceTable } from "@lora-litee/data";
import { pairRowsFromTable, trainMember, type MemberKind } from "@lora-litee/ensemble";

/** A member as the demo runs it: trained on some labelled rows, it predicts `[A, B, tie]` for others. */
export interface DemoMember {
  readonly name: string;
  readonly kind: "classical" | "lora";
  /** Shown beside the member in the report. */
  readonly caveat?: string;
  /** Trains on the labelled `train` rows and returns row-major `test rows × 3` probabilities; `run` names the fit in logs. */
  fitPredict(train: PreferenceTable, test: PreferenceTable, run: string): Promise<Float64Array>;
  /** Training-loss points recorded so far (LoRA members). */
  lossCurve?(): LossPoint[];
}

/** A classical member of `@lora-litee/ensemble` (no GPU, no pretrained weights). */
export function classicalMember(kind: MemberKind): DemoMember {
  return {
    name: kind,
    kind: "classical",
    fitPredict: async (train, test) => trainMember(kind, pairRowsFromTable(train)).predict(pairRowsFromTable(test)),
  };
}
