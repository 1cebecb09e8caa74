// A judge run in its own process, for the test that kills it midway: `judge-child-run.ts <baseUrl> <cacheDir> <rows>`.
import { createChatClient } from "../src/judge/client.js";
import { FileJudgeCache } from "../src/judge/file-cache.js";
import { collectJudgeAnswers } from "../src/judge/judge-member.js";
import { scoredPairs } from "./score-rule-judge.js";

const [baseUrl, cacheDir, rows] = process.argv.slice(2);
const client = createChatClient({ baseUrl: baseUrl!, model: "rule-judge" });
await collectJudgeAnswers(scoredPairs(Number(rows)).pairs, { client, cache: new FileJudgeCache(cacheDir!), concurrency: 2 });
process.stdout.write("finished\n");
