// @lora-litee/ensemble in the browser: Kaggle log loss of two rows, against the hand-computed value.
import { logLoss } from "@lora-litee/ensemble";

export async function smoke(): Promise<string> {
  const loss = logLoss([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6]], [0, 2]);
  const expected = -(Math.log(0.7) + Math.log(0.6)) / 2;
  if (Math.abs(loss - expected) > 1e-12) throw new Error(`logLoss: expected ${expected}, got ${loss}`);
  return `logLoss: ${loss.toFixed(6)}`;
}
