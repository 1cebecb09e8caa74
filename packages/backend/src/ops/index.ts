// The op builders, one module per family; each family file also holds inference, lowering, kernel and VJP.
export { add, sub, mul, div, pow, sqrt, exp, log, neg, tanh, erf, sigmoid, mod, equal, less, where, cast } from "./elementwise.js";
export { matMul, gemm, transposeLast } from "./linalg.js";
export { reduceSum, reduceMean, reduceMax, softmax, logSoftmax } from "./reduce.js";
export { transpose, shapeOf, reshape, reshapeLike, expand, expandLike, unsqueeze, squeeze, concat, slice, pad, TO_END } from "./movement.js";
export { gather, scatterAdd, range, trilu } from "./indexing.js";
