// @lora-litee/data in the browser: parse a two-row Kaggle arena CSV from a string.
import { loadArena } from "@lora-litee/data";

const CSV = [
  "id,model_a,model_b,prompt,response_a,response_b,winner_model_a,winner_model_b,winner_tie",
  '1,gpt-4,llama,"[""Hi?""]","[""Hello!""]","[""Hey.""]",1,0,0',
  '2,gpt-4,llama,"[""2+2?""]","[""4""]","[""four""]",0,0,1',
].join("\n");

export async function smoke(): Promise<string> {
  const { table, problems } = await loadArena(CSV, { fileName: "inline.csv" });
  if (table.numRows() !== 2) throw new Error(`loadArena: expected 2 rows, got ${table.numRows()}`);
  return `loadArena: ${table.numRows()} rows, problems ${JSON.stringify(problems).length} bytes of report`;
}
