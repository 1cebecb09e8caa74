// Packing a workspace package exactly as it would be published, and reading a tarball's file list.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * `pnpm pack` (not `npm pack`): pnpm rewrites `workspace:^` ranges to real versions, as `pnpm publish` does.
 * Returns the tarball's absolute path inside `destination` (a fresh temp folder when omitted).
 */
export function packPackage(packageDir, destination = mkdtempSync(join(tmpdir(), "litee-pack-"))) {
  const before = new Set(readdirSync(destination));
  execFileSync("pnpm", ["pack", "--pack-destination", destination], {
    cwd: resolve(packageDir),
    stdio: ["ignore", "ignore", "inherit"],
    shell: process.platform === "win32",
  });
  const created = readdirSync(destination).filter((f) => f.endsWith(".tgz") && !before.has(f));
  if (created.length !== 1) throw new Error(`pnpm pack in ${packageDir} produced ${created.length} tarballs in ${destination}, expected 1`);
  return join(destination, created[0]);
}

/** Paths of the regular files in a .tgz, relative to its top folder (`package/`). */
export function tarballFiles(tarballPath) {
  const tar = gunzipSync(readFileSync(tarballPath));
  const files = [];
  let offset = 0;
  while (offset + 512 <= tar.length) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    const field = (start, length) => header.subarray(start, start + length).toString("utf8").replace(/\0.*$/s, "");
    const name = field(0, 100);
    const prefix = field(345, 155);
    const size = parseInt(field(124, 12).trim() || "0", 8);
    const type = field(156, 1);
    if (type === "0" || type === "") {
      const full = prefix ? `${prefix}/${name}` : name;
      files.push(full.replace(/^[^/]+\//, ""));
    }
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files.sort();
}
