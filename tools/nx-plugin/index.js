// Local Nx plugin: gives every published package (packages/*/package.json) its boundary tags and the
// publishing targets — check-package, api-report, docs — so no package.json has to repeat them.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const constraints = JSON.parse(readFileSync(join(here, "../boundaries/constraints.json"), "utf8"));
const checksInput = "{workspaceRoot}/tools/package-checks/**/*";

/** The targets one package gets; every one checks the built dist, so each depends on `build`. */
function packageTargets() {
  return {
    "check-package": {
      command: "node tools/package-checks/check-package.js {projectRoot}",
      dependsOn: ["build"],
      inputs: ["production", checksInput],
      cache: true,
      metadata: { description: "publint --strict, attw and the packed file allow-list on the package's tarball" },
    },
    "api-report": {
      command: "node tools/package-checks/api-report.js {projectRoot}",
      dependsOn: ["build"],
      inputs: ["production", checksInput],
      cache: true,
      configurations: { update: { command: "node tools/package-checks/api-report.js {projectRoot} --update" } },
      metadata: { description: "api-extractor report per entry point; fails when it differs from the committed one (-c update rewrites it)" },
    },
    docs: {
      command: "node tools/package-checks/docs.js {projectRoot}",
      dependsOn: ["^build"],
      inputs: ["production", "^production", checksInput],
      outputs: ["{workspaceRoot}/docs/api/{projectName}"],
      cache: true,
      metadata: { description: "typedoc into docs/api/<project>; fails on any undocumented export" },
    },
  };
}

export const createNodesV2 = [
  "packages/*/package.json",
  (files) =>
    files.map((file) => {
      const root = dirname(file);
      const pkg = JSON.parse(readFileSync(file, "utf8"));
      const tags = constraints.projects[pkg.name];
      if (!tags) throw new Error(`${file}: package ${pkg.name} has no entry in tools/boundaries/constraints.json; add its tags there`);
      return [file, { projects: { [root]: { tags, targets: packageTargets() } } }];
    }),
];
