#!/usr/bin/env node
import { Command } from "commander";

const program = new Command("litee").description("LoRA-LiteE preference models: data, training, ensembles, benchmarks.");
program.parse();
