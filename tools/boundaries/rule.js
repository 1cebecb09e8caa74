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
const packagesDir = join(workspaceRoot, "packages");
/** Every workspace package's manifest, keyed by its folder. Read once per lint run. */
const manifests = new Map(
  readdirSync(packagesDir)
    .filter((dir) => existsSync(join(packagesDir, dir, "package.json")))
    .map((dir) => [join(packagesDir, dir), { dir: join(packagesDir, dir), ...JSON.parse(readFileSync(join(packagesDir, dir, "package.json"), "utf8")) }]),
);

/** The manifest of the package whose folder holds `absolutePath`, or undefined outside packages/. */
function packageOfPath(absolutePath) {
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
function publicSubpaths(targetName) {
  const pkg = [...manifests.values()].find((m) => m.name === targetName);
  const exportsMap = pkg?.exports;
  return exportsMap && typeof exportsMap === "object" && !Array.isArray(exportsMap) ? Object.keys(exportsMap) : ["."];
}

const rule = {
  meta: {
    type: "problem",
    docs: { description: "Enforce the workspace's package dependency direction and public entry points" },
    schema: [],
    messages: {
      forbiddenEdge: "{{source}} must not import {{target}}: the dependency direction allows {{source}} to import {{allowed}} (tools/boundaries/constraints.json).",
      deepImport: "'{{specifier}}' reaches into {{target}}'s files; import one of its public entries instead: {{entries}}.",
      relativeIntoPackage: "'{{specifier}}' is a relative path into another package ({{target}}); import it by its package name.",
    },
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const source = packageOfPath(resolve(filename));
    if (!source || !constraints.projects[source.name]) return {};

    function check(node, specifier) {
      if (typeof specifier !== "string") return;
      if (specifier.startsWith(".")) {
        const target = packageOfPath(resolve(dirname(filename), specifier));
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
      const entries = publicSubpaths(name);
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
