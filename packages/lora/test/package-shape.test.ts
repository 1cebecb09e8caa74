import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import wabtInit from "wabt";
import { GEMM_WASM_BASE64 } from "../src/kernels/gemm-wasm.js";

const src = join(dirname(fileURLToPath(import.meta.url)), "..", "src");

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith(".ts") ? [path] : [];
  });
}

describe("package shape", () => {
  it("the main entry's modules import no Node built-ins (node: imports live under src/node only)", () => {
    const builtin = /from\s+["'](node:[^"']+|fs|path|os|crypto)(\/[^"']*)?["']/;
    const all = sources(src);
    const nodeOnly = (p: string) => relative(src, p).startsWith("node");
    expect(all.filter((p) => !nodeOnly(p) && builtin.test(readFileSync(p, "utf8")))).toEqual([]);
    // The pattern does catch real imports: the Node entry's files have them.
    expect(all.filter((p) => nodeOnly(p) && builtin.test(readFileSync(p, "utf8"))).length).toBeGreaterThan(2);
  });

  it("the compiled kernel matches gemm.wat (run `pnpm build:wasm` after editing the .wat)", async () => {
    const wabt = await wabtInit();
    const module = wabt.parseWat("gemm.wat", readFileSync(join(src, "kernels", "gemm.wat"), "utf8"), { simd: true });
    expect(Buffer.from(module.toBinary({}).buffer).toString("base64")).toBe(GEMM_WASM_BASE64);
  });
});
