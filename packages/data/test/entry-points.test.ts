import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { rowAt } from "../src/schema.js";
import { loadArena } from "../src/arena-csv.js";

const src = resolve(dirname(fileURLToPath(import.meta.url)), "../src");

/** Every module reachable from `entry` through relative imports, with its bare (package) imports. */
function importGraph(entry: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const visit = (file: string) => {
    if (graph.has(file)) return;
    const text = readFileSync(file, "utf8");
    const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]);
    graph.set(file, specifiers.filter((s) => !s.startsWith(".")));
    for (const s of specifiers.filter((s) => s.startsWith("."))) visit(join(dirname(file), s.replace(/\.js$/, ".ts")));
  };
  visit(entry);
  return graph;
}

describe("entry points", () => {
  it("the main entry reaches no Node built-in (browser-capable); the node entry does", () => {
    const main = importGraph(join(src, "index.ts"));
    const builtins = [...main].flatMap(([file, imports]) => imports.filter((s) => s.startsWith("node:")).map((s) => `${file}: ${s}`));
    expect(builtins).toEqual([]);
    expect(main.size).toBeGreaterThan(10);
    const node = importGraph(join(src, "node.ts"));
    expect([...node.values()].flat()).toContain("node:fs");
  });

  it("rowAt returns a typed row", async () => {
    const { table } = await loadArena('id,prompt,response_a,response_b\n7,"[""q""]","[""a""]","[""b""]"\n');
    expect(rowAt(table, 0)).toEqual({ id: "7", modelA: null, modelB: null, prompt: ["q"], responseA: ["a"], responseB: ["b"], label: -1 });
  });
});
