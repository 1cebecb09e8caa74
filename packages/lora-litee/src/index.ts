// The meta-package: every @lora-litee package under its own namespace (their names overlap, e.g. `ShapeError`).
// Import a package directly (`@lora-litee/data`, …) to take only what you use.
export * as data from "@lora-litee/data";
export * as lora from "@lora-litee/lora";
export * as backend from "@lora-litee/backend";
export * as ensemble from "@lora-litee/ensemble";
export * as bench from "@lora-litee/bench";
