import { describe, expect, it } from "vitest";
import { NonFiniteLossError, assertFiniteLoss } from "./loss-guard.js";

describe("assertFiniteLoss", () => {
  it("passes finite losses and stops on NaN and ±Inf naming the step and the checkpoint kept", () => {
    expect(() => assertFiniteLoss(0.7, 3, null)).not.toThrow();
    for (const loss of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      let caught: unknown;
      try {
        assertFiniteLoss(loss, 42, "/runs/a/checkpoints/step-000040");
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(NonFiniteLossError);
      const error = caught as NonFiniteLossError;
      expect([error.step, error.lastCheckpoint]).toEqual([42, "/runs/a/checkpoints/step-000040"]);
      expect(error.message).toContain(`loss is ${loss} at step 42`);
      expect(error.message).toContain("/runs/a/checkpoints/step-000040");
    }
    expect(() => assertFiniteLoss(Number.NaN, 0, null)).toThrow(/No checkpoint was written yet/);
  });
});
