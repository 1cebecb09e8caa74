// docs <packageDir>: typedoc for one package's public entries into docs/api/<project>. Fails on any warning —
// an undocumented export, option field or class member, a broken {@link} — and on an optional field of an
// `…Options` type whose comment does not state its default ("Defaults to `x`." or an @defaultValue tag).
import { join, relative, resolve } from "node:path";
import { Application, Comment, ReflectionKind } from "typedoc";
import { publicEntries } from "./entries.js";

const workspaceRoot = resolve(import.meta.dirname, "../..");
const packageDir = resolve(process.argv[2] ?? ".");
const { pkg, entries } = publicEntries(packageDir);
const project = pkg.nx?.name ?? pkg.name.replace(/^@[^/]+\//, "");
const out = join(workspaceRoot, "docs/api", project);

const app = await Application.bootstrapWithPlugins({
  name: pkg.name,
  entryPoints: entries.map((e) => join(packageDir, e.source)),
  entryPointStrategy: "resolve",
  tsconfig: join(packageDir, "tsconfig.json"),
  readme: "none",
  out,
  skipErrorChecking: true, // the typecheck target owns type errors
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true, rewrittenLink: true, unusedMergeModuleWith: true },
  requiredToBeDocumented: ["Enum", "EnumMember", "Variable", "Function", "Class", "Interface", "Property", "Method", "Accessor", "TypeAlias"],
  disableSources: true, // source links need a git remote; the pages stand on their own
  logLevel: "Warn",
});

const reflections = await app.convert();
if (!reflections) {
  console.error(`docs ${pkg.name}: typedoc could not convert the entry points`);
  process.exit(1);
}
// Two kinds of member document themselves and are let through: an error class's `name` (set so that `err.name`
// is the class name), and the members of an inline object type (`__type`: a const's inferred shape, an inline
// return type or a nested field), whose enclosing declaration carries the comment. Everything else must.
const errorClasses = new Set(
  reflections.getReflectionsByKind(ReflectionKind.Class).filter((c) => extendsError(c)).map((c) => c.getFullName()),
);
const warn = app.logger.warn.bind(app.logger);
app.logger.warn = (message, ...rest) => {
  if (/\.__type\.[^ ]+ \(Property\), defined in .* does not have any documentation/.test(String(message))) return;
  const owner = /^(.+)\.name \(Property\), defined in/.exec(String(message))?.[1];
  if (owner && [...errorClasses].some((c) => c === owner || c.endsWith(`.${owner}`) || owner.endsWith(`.${c}`) || owner === c.split(".").at(-1))) return;
  warn(message, ...rest);
};
app.validate(reflections);
const { missing: missingDefaults, checked: optionFields } = optionsWithoutDefaults(reflections);
for (const name of missingDefaults) console.error(`docs ${pkg.name}: ${name} is optional but its comment does not say "Defaults to \`…\`." (or carry @defaultValue)`);
if (app.logger.hasErrors() || app.logger.hasWarnings() || missingDefaults.length) {
  console.error(`docs ${pkg.name}: failed (${app.logger.errorCount} errors, ${app.logger.warningCount} warnings, ${missingDefaults.length} options without a default)`);
  process.exit(1);
}
await app.generateDocs(reflections, out);
console.log(`docs ${pkg.name}: ${relative(workspaceRoot, out)} (${entries.map((e) => e.source).join(", ")}; ${optionFields} optional option fields state their default)`);

/** Whether a class extends Error, directly or through other classes of the package. */
function extendsError(reflection, seen = new Set()) {
  if (seen.has(reflection)) return false;
  seen.add(reflection);
  return (reflection.extendedTypes ?? []).some((t) => t.name === "Error" || /Error$/.test(t.name ?? "") || (t.reflection && extendsError(t.reflection, seen)));
}

/** Optional properties of interfaces / type aliases named `…Options` whose doc comment states no default, and how many were looked at. */
function optionsWithoutDefaults(projectReflection) {
  const missing = [];
  let checked = 0;
  for (const property of projectReflection.getReflectionsByKind(ReflectionKind.Property)) {
    const owner = property.parent;
    if (!owner || !/Options$/.test(owner.name) || !property.flags.isOptional) continue;
    checked++;
    const comment = property.comment;
    const text = comment ? Comment.combineDisplayParts(comment.summary) : "";
    const tagged = comment?.blockTags.some((t) => t.tag === "@defaultValue" || t.tag === "@default");
    if (!tagged && !/Defaults? to\b/i.test(text)) missing.push(`${owner.name}.${property.name}`);
  }
  return { missing, checked };
}

