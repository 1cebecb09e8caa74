import js from "@eslint/js";
import tseslint from "typescript-eslint";
import boundaries from "./tools/boundaries/rule.js";

export default tseslint.config(
  { ignores: ["**/dist/**", "**/node_modules/**", "**/.tools/**", "**/coverage/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": ["error", { selector: "TSAsExpression > TSAsExpression", message: "double casts hide type errors" }],
    },
  },
  {
    // Package dependency direction (data ← lora ← backend ← {ensemble, bench} ← lora-litee) and public entries only;
    // the table is tools/boundaries/constraints.json. See docs/architecture.md.
    files: ["packages/*/src/**/*.ts", "packages/*/test/**/*.ts"],
    plugins: { boundaries },
    rules: { "boundaries/enforce": "error" },
  },
);
