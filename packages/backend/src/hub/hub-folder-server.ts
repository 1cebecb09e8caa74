import { createHash } from "node:crypto";
import { readFile, readdir, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";

/**
 * Serves a local model folder in the Hugging Face Hub's URL layout (`/api/models/{repo}/tree/{rev}`,
 * `/api/models/{repo}/revision/{rev}`, `/{repo}/resolve/{rev}/{file}` with Range requests), so hub code runs
 * offline: tests, and air-gapped machines pointing `HF_ENDPOINT` at a mirror. `*.safetensors` are listed as LFS
 * files with their SHA-256, as the hub lists them.
 */

/** Options of `serveHubFolder`. */
export interface HubFolderServerOptions {
  /** The repo id the folder is served as. */
  readonly repo: string;
  /** The one revision served (also under its commit sha); others answer 404 as the hub does. Defaults to `"main"`. */
  readonly revision?: string;
  /** Cut the connection after this many body bytes of the first full download of each LFS file (to test resuming). Defaults to `null`. */
  readonly cutAfterBytes?: number | null;
}

/** A running server. */
export interface HubFolderServer {
  /** Base URL to pass as the hub endpoint. */
  readonly url: string;
  /** `METHOD path [range]` of every request, in order. */
  readonly requests: readonly string[];
  /** The commit sha the revision resolves to. */
  readonly commit: string;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Starts serving `dir` on 127.0.0.1 at a free port. */
export async function serveHubFolder(dir: string, options: HubFolderServerOptions): Promise<HubFolderServer> {
  const revision = options.revision ?? "main";
  const requests: string[] = [];
  const cut = new Set<string>();
  const commit = createHash("sha1").update(`${options.repo}@${revision}`).digest("hex");

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = decodeURIComponent(url.pathname);
    requests.push(`${req.method} ${path}${req.headers.range ? ` ${req.headers.range}` : ""}`);
    const api = `/api/models/${options.repo}/`;
    if (path.startsWith(api)) {
      const [kind, rev] = path.slice(api.length).split("/");
      if (rev !== revision && rev !== commit) return notFound(res, "RevisionNotFound");
      const files = await listing(dir);
      if (kind === "tree") return json(res, files);
      if (kind === "revision") return json(res, { id: options.repo, sha: commit, siblings: files.map((f) => ({ rfilename: f.path })) });
      return notFound(res, "RepoNotFound");
    }
    const resolve = `/${options.repo}/resolve/`;
    if (!path.startsWith(resolve)) return notFound(res, "RepoNotFound");
    const [rev, ...rest] = path.slice(resolve.length).split("/");
    if (rev !== revision && rev !== commit) return notFound(res, "RevisionNotFound");
    const file = rest.join("/");
    if (file.includes("..")) return notFound(res, "EntryNotFound");
    const data = await readFile(join(dir, file)).catch(() => null);
    if (!data) return notFound(res, "EntryNotFound");
    const range = /^bytes=(\d+)-(\d*)$/.exec(String(req.headers.range ?? ""));
    const start = range ? Number(range[1]) : 0;
    const end = range && range[2] !== "" ? Math.min(Number(range[2]), data.length - 1) : data.length - 1;
    const body = data.subarray(start, end + 1);
    res.writeHead(range ? 206 : 200, {
      "Content-Type": "application/octet-stream",
      "Content-Length": String(body.length),
      ETag: `"${createHash("sha256").update(data).digest("hex")}"`,
      "Accept-Ranges": "bytes",
      ...(range ? { "Content-Range": `bytes ${start}-${end}/${data.length}` } : {}),
    });
    const cutAt = options.cutAfterBytes;
    if (cutAt !== null && cutAt !== undefined && file.endsWith(".safetensors") && start === 0 && body.length > cutAt && !cut.has(file)) {
      cut.add(file);
      res.write(body.subarray(0, cutAt), () => res.destroy());
      return;
    }
    res.end(req.method === "HEAD" ? undefined : body);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: Error) => {
      res.writeHead(500);
      res.end(error.message);
    });
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    commit,
    close: () => new Promise<void>((ok, fail) => server.close((error) => (error ? fail(error) : ok()))),
  };
}

/** The hub's tree entries for the folder's top-level files. */
async function listing(dir: string) {
  const entries = [];
  for (const name of (await readdir(dir)).sort()) {
    if (!(await stat(join(dir, name))).isFile()) continue;
    const data = await readFile(join(dir, name));
    const oid = createHash("sha1").update(`blob ${data.length}\0`).update(data).digest("hex");
    const lfs = name.endsWith(".safetensors") ? { oid: createHash("sha256").update(data).digest("hex"), size: data.length, pointerSize: 134 } : undefined;
    entries.push({ type: "file", path: name, size: data.length, oid, ...(lfs ? { lfs } : {}) });
  }
  return entries;
}

function json(res: ServerResponse, value: unknown): void {
  res.writeHead(200, { "Content-Type": "application/json" });
  res.end(JSON.stringify(value));
}

function notFound(res: ServerResponse, code: string): void {
  res.writeHead(404, { "X-Error-Code": code, "Content-Type": "application/json" });
  res.end(JSON.stringify({ error: code }));
}
