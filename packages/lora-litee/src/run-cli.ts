import { CommanderError, type Command } from "commander";

/** Exit codes: 0 ok, 1 failure, 2 usage error. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

/**
 * Runs the program and turns every error into one clear line on stderr (a stack trace only with --verbose). The
 * program must call `exitOverride()` before adding subcommands (see `buildProgram`).
 */
export async function runCli(program: Command, argv: readonly string[]): Promise<number> {
  try {
    await program.parseAsync(argv as string[]);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // help and version are CommanderErrors too, with exit code 0
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    const verbose = argv.includes("--verbose");
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    process.stderr.write(`litee: ${message}\n`);
    if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
    return EXIT.failure;
  }
}
