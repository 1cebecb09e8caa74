import { existsSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** Workspace packages resolve to their sources in tests, so a test never runs against a stale dist. */
function sourceAliases(): Record<string, string> {
  const aliases: Record<string, string> = {};
  for (const dir of readdirSync(join(root, "packages"))) {
    const name = dir === "lora-litee" ? "lora-litee" : `@lora-litee/${dir}`;
    // The `/node` entry first: an alias also matches `<name>/…`, so the bare name would swallow it.
    const nodeEntry = join(root, "packages", dir, "src", "node.ts");
    if (existsSync(nodeEntry)) aliases[`${name}/node`] = nodeEntry;
    aliases[name] = join(root, "packages", dir, "src", "index.ts");
  }
  return aliases;
}

export function packageTests(name: string, options: { timeoutMs?: number } = {}) {
  return defineConfig({
    resolve: { alias: sourceAliases() },
    test: {
      name,
      include: ["src/**/*.test.ts", "test/**/*.test.ts"],
      testTimeout: options.timeoutMs ?? 30_000,
      pool: "forks",
    },
  });
}
