import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));

/** `<repo root>/../shared`: real data and tokenizers that every checkout finds beside the project. */
export const SHARED = resolve(here, "../../../../shared");
export const ARENA_DEV = join(SHARED, "data/arena/train_dev.csv");
export const ARENA_TEST_SAMPLE = join(SHARED, "data/arena/test_sample.csv");
export const HH_RLHF = join(SHARED, "data/hh-rlhf-harmless/test.jsonl.gz");
export const TOKENIZERS = join(SHARED, "tokenizers");
export const FIXTURES = join(here, "fixtures");
