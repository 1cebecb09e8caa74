// Node-only parts of @lora-litee/ensemble (file system, processes); everything browser-safe is in index.ts.

// LLM judge: answers cached as one file per request
export { FileJudgeCache } from "./judge/file-cache.js";
