// ESLint rule `boundaries/enforce`: the dependency direction between workspace packages, and public entries only.
// It does what @nx/enforce-module-boundaries does for this workspace. That plugin is not used because the registry's
// newest @nx/eslint-plugin (23.2.1) depends on @nx/devkit and @nx/js 23.2.1, which would install a second nx beside
// the workspace's pinned 23.3.1. The allowed edges live in constraints.json (also read by tools/nx-plugin for tags).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const workspaceRoot = resolve(here, "../..");
const constraints = JSON.parse(readFileSync(join(here, "constraints.json"), "utf8"));
const workspaces = new Map();

/** Every package's manifest under `packagesDir`, keyed by folder; read once per lint run. */
function manifestsOf(packagesDir) {
  if (!workspaces.has(packagesDir)) {
    const manifests = new Map(
      readdirSync(packagesDir)
        .filter((dir) => existsSync(join(packagesDir, dir, "package.json")))
        .map((dir) => [join(packagesDir, dir), { dir: join(packagesDir, dir), ...JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8")) }]),
    );
    workspaces.set(packagesDir, manifests);
  }
  return workspaces.get(packagesDir);
}

/** The manifest of the package whose folder holds `absolutePath`, or undefined outside `packagesDir`. */
function packageOfPath(manifests, packagesDir, absolutePath) {
  const parts = relative(packagesDir, absolutePath).split(sep);
  return parts.length >= 2 && parts[0] !== ".." ? manifests.get(join(packagesDir, parts[0])) : undefined;
}

/** Splits `@scope/name/sub/path` or `name/sub` into the package name and the `./sub/path` subpath. */
function splitSpecifier(specifier) {
  const parts = specifier.split("/");
  const nameLength = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, nameLength).join("/");
  const rest = parts.slice(nameLength).join("/");
  return { name, subpath: rest ? `./${rest}` : "." };
}

/** For each constraint on `sourceName`'s tags, the tags a dependency may carry; undefined when unconstrained. */
function allowedTags(sourceName) {
  const sourceTags = constraints.projects[sourceName] ?? [];
  const rules = constraints.depConstraints.filter((c) => sourceTags.includes(c.sourceTag));
  return rules.length === 0 ? undefined : rules.map((r) => r.onlyDependOnLibsWithTags);
}

/** The subpaths a package's exports map makes public (`.`, `./node`, …). */
function publicSubpaths(manifests, targetName) {
  const pkg = [...manifests.values()].find((m) => m.name === targetName);
  const exportsMap = pkg?.exports;
  return exportsMap && typeof exportsMap === "object" && !Array.isArray(exportsMap) ? Object.keys(exportsMap) : ["."];
}

const rule = {
  meta: {
    type: "problem",
    docs: { description: "Enforce the workspace's package dependency direction and public entry points" },
    // packagesDir: the folder holding the workspace packages, relative to the workspace root (tests point it at
    // a fixture workspace). Defaults to "packages".
    schema: [{ type: "object", properties: { packagesDir: { type: "string" } }, additionalProperties: false }],
    messages: {
      forbiddenEdge: "{{source}} must not import {{target}}: the dependency direction allows {{source}} to import {{allowed}} (tools/boundaries/constraints.json).",
      deepImport: "'{{specifier}}' reaches into {{target}}'s files; import one of its public entries instead: {{entries}}.",
      relativeIntoPackage: "'{{specifier}}' is a relative path into another package ({{target}}); import it by its package name.",
      undeclared: "{{source}} imports {{target}} but its package.json does not list it in {{fields}}; a consumer installing {{source}} from npm would not get it.",
    },
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const packagesDir = resolve(workspaceRoot, context.options[0]?.packagesDir ?? "packages");
    const manifests = manifestsOf(packagesDir);
    const source = packageOfPath(manifests, packagesDir, resolve(filename));
    if (!source || !constraints.projects[source.name]) return {};

    function check(node, specifier) {
      if (typeof specifier !== "string") return;
      if (specifier.startsWith(".")) {
        const target = packageOfPath(manifests, packagesDir, resolve(dirname(filename), specifier));
        if (target && target.dir !== source.dir) context.report({ node, messageId: "relativeIntoPackage", data: { specifier, target: target.name } });
        return;
      }
      const { name, subpath } = splitSpecifier(specifier);
      if (!constraints.projects[name] || name === source.name) return;
      const allowed = allowedTags(source.name);
      const targetTags = constraints.projects[name];
      if (allowed && !allowed.every((tags) => tags.some((t) => targetTags.includes(t)))) {
        const names = Object.entries(constraints.projects)
          .filter(([, tags]) => allowed.every((a) => a.some((t) => tags.includes(t))))
          .map(([n]) => n);
        context.report({ node, messageId: "forbiddenEdge", data: { source: source.name, target: name, allowed: names.length ? `only ${names.join(", ")}` : "no workspace package" } });
        return;
      }
      const isTest = /[\\/](test|tests|__tests__)[\\/]|\.test\.[cm]?tsx?$/.test(filename);
      const fields = isTest ? ["dependencies", "peerDependencies", "devDependencies"] : ["dependencies", "peerDependencies"];
      if (!fields.some((f) => source[f]?.[name])) {
        context.report({ node, messageId: "undeclared", data: { source: source.name, target: name, fields: fields.join(" or ") } });
        return;
      }
      const entries = publicSubpaths(manifests, name);
      if (!entries.includes(subpath)) {
        context.report({ node, messageId: "deepImport", data: { specifier, target: name, entries: entries.filter((e) => e !== "./package.json").map((e) => (e === "." ? name : `${name}/${e.slice(2)}`)).join(", ") } });
      }
    }

    const literal = (node) => (node && node.type === "Literal" ? node.value : undefined);
    return {
      ImportDeclaration: (node) => check(node.source, literal(node.source)),
      ExportNamedDeclaration: (node) => node.source && check(node.source, literal(node.source)),
      ExportAllDeclaration: (node) => check(node.source, literal(node.source)),
      ImportExpression: (node) => check(node.source, literal(node.source)),
      TSImportEqualsDeclaration: (node) => node.moduleReference.type === "TSExternalModuleReference" && check(node.moduleReference.expression, literal(node.moduleReference.expression)),
      CallExpression: (node) => {
        if (node.callee.type === "Identifier" && node.callee.name === "require" && node.arguments.length === 1) check(node.arguments[0], literal(node.arguments[0]));
      },
    };
  },
};

export default { meta: { name: "lora-litee-boundaries" }, rules: { enforce: rule } };
