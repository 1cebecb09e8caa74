#!/usr/bin/env node
import { buildProgram } from "./program.js";
import { runCli } from "./run-cli.js";

void runCli(buildProgram(), process.argv).then((code) => {
  process.exitCode = code;
});
