// The browser check: every package tagged platform:browser (tools/boundaries/constraints.json) must bundle for
// the browser from its main entry, and its smoke call (smoke/<package>.ts) must run in headless Chromium with no
// console error and no uncaught exception.
// - esbuild, platform "browser": an import of a Node built-in (node:fs, path, zlib …) anywhere in the main
//   entry's graph is a build error, so file I/O has to stay behind the package's "/node" entry.
// - Chromium: Debian's /usr/bin/chromium (or $CHROMIUM_PATH), driven by playwright-core; the page is served by
//   request interception from a made-up origin, so nothing leaves the machine.
// Usage: node tools/browser-check/run.js [--only data,lora] | [--smoke file.ts …]
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { chromium } from "playwright-core";

const here = import.meta.dirname;
const root = resolve(here, "../..");
const constraints = JSON.parse(readFileSync(join(root, "tools/boundaries/constraints.json"), "utf8"));
const argv = process.argv.slice(2);
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1].split(",") : undefined;
// --smoke <file…>: run these smoke files instead of the packages' (the check's own tests use fixtures).
const smokeFiles = argv.includes("--smoke") ? argv.slice(argv.indexOf("--smoke") + 1).map((f) => resolve(f)) : undefined;
const browserPackages = smokeFiles ?? Object.entries(constraints.projects)
  .filter(([, tags]) => tags.includes("platform:browser"))
  .map(([name]) => name)
  .filter((name) => !only || only.some((o) => name.endsWith(`/${o}`) || name === o));
// https, so the page is a secure context (WebCrypto, WebGPU); requests never leave the page (route interception).
const ORIGIN = "https://browser-check.invalid";
const CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];

/** Bundles smoke/<pkg>.ts (which imports the package by name, so its exports map decides the entry). */
async function bundle(name) {
  const smoke = smokeFiles ? name : join(here, "smoke", `${name.replace(/^@[^/]+\//, "")}.ts`);
  if (!existsSync(smoke)) throw new Error(`no smoke call for ${name}: add tools/browser-check/smoke/${name.replace(/^@[^/]+\//, "")}.ts`);
  const runner = `import { smoke } from ${JSON.stringify(smoke)};
smoke().then((detail) => { globalThis.__smoke = { ok: true, detail }; },
  (error) => { console.error(error?.stack ?? String(error)); globalThis.__smoke = { ok: false, detail: String(error?.message ?? error) }; });`;
  const result = await build({
    stdin: { contents: runner, resolveDir: here, sourcefile: "browser-check-runner.js", loader: "js" },
    bundle: true,
    platform: "browser",
    format: "esm",
    target: "es2022",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const inputs = Object.keys(result.metafile.inputs);
  return { code: result.outputFiles[0].text, inputs, bytes: result.outputFiles[0].contents.byteLength };
}

async function runInChromium(browser, code) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const problems = [];
  page.on("console", (message) => message.type() === "error" && problems.push(`console.error: ${message.text()}`));
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  await context.route("**/*", (route) => {
    const url = route.request().url();
    if (url === `${ORIGIN}/`) return route.fulfill({ contentType: "text/html", body: '<!doctype html><meta charset="utf-8"><script type="module" src="/smoke.js"></script>' });
    if (url === `${ORIGIN}/smoke.js`) return route.fulfill({ contentType: "text/javascript", body: code });
    problems.push(`request outside the page: ${url}`);
    return route.abort();
  });
  await page.goto(`${ORIGIN}/`);
  const result = await page.waitForFunction(() => globalThis.__smoke, null, { timeout: 60_000 }).then((h) => h.jsonValue());
  await context.close();
  return { result, problems };
}

const started = Date.now();
let failures = 0;
const executablePath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
if (!existsSync(executablePath)) {
  // CI must run it; on a developer machine without Chromium the check says so and steps aside.
  console.error(`browser-check: no Chromium at ${executablePath}; install Debian's chromium (scripts/install-system-deps.sh) or set CHROMIUM_PATH`);
  if (process.env.CI) process.exit(1);
  console.error("browser-check: SKIPPED (not CI)");
  process.exit(0);
}
const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
try {
  for (const name of browserPackages) {
    try {
      const { code, inputs, bytes } = await bundle(name);
      const { result, problems } = await runInChromium(browser, code);
      if (!result.ok || problems.length) {
        failures++;
        console.log(`FAIL ${name}: ${result.detail}${problems.length ? `\n  ${problems.join("\n  ")}` : ""}`);
      } else {
        console.log(`ok   ${name}: ${result.detail} (bundle ${(bytes / 1024).toFixed(0)} KiB from ${inputs.length} modules, no Node built-ins)`);
      }
    } catch (error) {
      failures++;
      const details = error.errors?.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ""}${e.text}`).join("\n  ");
      console.log(`FAIL ${name}: ${details ?? error.message}`);
    }
  }
} finally {
  await browser.close();
}
console.log(`browser-check: ${browserPackages.length} packages, ${failures} failed, ${((Date.now() - started) / 1000).toFixed(1)} s`);
if (failures) process.exitCode = 1;
