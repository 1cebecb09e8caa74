import { vi } from "vitest";
import { buildProgram } from "../program.js";
import { runCli } from "../run-cli.js";

/** Output of one in-process `litee` run. */
export interface LiteeRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `litee <args>` in this process through the real program and exit-code mapping, capturing its output. */
export async function runLitee(...args: string[]): Promise<LiteeRun> {
  let stdout = "";
  let stderr = "";
  const out = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => ((stderr += String(chunk)), true));
  try {
    const code = await runCli(buildProgram(), ["node", "litee", ...args]);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}
