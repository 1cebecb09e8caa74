import { describe, expect, it } from "vitest";
import { buildProgram } from "./program.js";
import { runLitee } from "./testing/run-litee.js";

const commands = buildProgram().commands.map((c) => c.name());

describe("litee --help", () => {
  it("lists every command", async () => {
    const { code, stdout } = await runLitee("--help");
    expect(code).toBe(0);
    for (const name of commands) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, "m"));
  });

  it.each(commands)("litee %s --help exits 0 and describes the command", async (name) => {
    const { code, stdout } = await runLitee(name, "--help");
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: litee ${name}`);
    expect(stdout).toContain(buildProgram().commands.find((c) => c.name() === name)!.description().slice(0, 30));
  });
});

describe("exit codes", () => {
  it("an unknown command is a usage error (2)", async () => {
    const { code, stderr } = await runLitee("no-such-command");
    expect(code).toBe(2);
    expect(stderr).toMatch(/unknown command/);
  });
  it("a failing command prints one line and exits 1", async () => {
    const { code, stderr } = await runLitee("data", "inspect", "/no/such/file.csv");
    expect(code).toBe(1);
    expect(stderr.trim().split("\n")).toHaveLength(1);
    expect(stderr).toContain("/no/such/file.csv");
  });
  it("--verbose adds the stack trace", async () => {
    const { code, stderr } = await runLitee("--verbose", "data", "inspect", "/no/such/file.csv");
    expect(code).toBe(1);
    expect(stderr.trim().split("\n").length).toBeGreaterThan(1);
  });
});
