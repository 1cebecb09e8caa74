import { trainMember, type MemberKind, type PairRow } from "@lora-litee/ensemble";
import type { LossPoint } from "@lora-litee/bench";

/** A member as the demo runs it: trained on some labelled rows, it predicts `[A, B, tie]` for others. */
export interface DemoMember {
  readonly name: string;
  readonly kind: "classical" | "lora";
  /** Shown beside the member in the report. */
  readonly caveat?: string;
  /** Trains on `train` and returns row-major `test.length × 3` probabilities; `fold` names the run in logs. */
  fitPredict(train: readonly PairRow[], test: readonly PairRow[], fold: string): Promise<Float64Array>;
  /** Training-loss points recorded so far (LoRA members). */
  lossCurve?(): LossPoint[];
}

/** A classical member of `@lora-litee/ensemble` (no GPU, no pretrained weights). */
export function classicalMember(kind: MemberKind): DemoMember {
  return {
    name: kind,
    kind: "classical",
    fitPredict: async (train, test) => trainMember(kind, train).predict(test),
  };
}
