import { defineConfig, type Options } from "tsup";

/**
 * The one build configuration every package uses: ESM + CJS + .d.ts per entry, externals taken from the
 * package's own dependencies. Kept in one place so that moving to another bundler touches one file.
 */
export function packageBuild(entry: Record<string, string>, overrides: Partial<Options> = {}) {
  return defineConfig({
    entry,
    format: ["esm", "cjs"],
    dts: true,
    sourcemap: true,
    clean: true,
    target: "node22",
    splitting: false,
    treeshake: true,
    ...overrides,
  });
}
