import { elementwiseDefs, elementwiseVjp } from "./elementwise.js";
import { indexingDefs, indexingVjp } from "./indexing.js";
import { linalgDefs, linalgVjp } from "./linalg.js";
import { movementDefs, movementVjp } from "./movement.js";
import { reduceDefs, reduceVjp } from "./reduce.js";
import type { OpDefs, OpType, VjpRules } from "./types.js";

/** Every op's inference, lowering and kernel; the mapped type makes a missing op a compile error. */
export const opDefs: OpDefs<OpType> = { ...elementwiseDefs, ...linalgDefs, ...reduceDefs, ...movementDefs, ...indexingDefs };

/** Every op's gradient rule; a new op without one fails `tsc`. */
export const vjp: VjpRules<OpType> = { ...elementwiseVjp, ...linalgVjp, ...reduceVjp, ...movementVjp, ...indexingVjp };
