import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { once } from "node:events";
import { loadArena } from "./arena-csv.js";
import { readCsv } from "./csv-reader.js";
import { openFile } from "./file-source.js";
import { textChunks } from "./text-source.js";

/** Speed and memory of one arena load. */
export interface LoadBenchmark {
  /** Path of the CSV file that was loaded. */
  file: string;
  /** File size in bytes. */
  bytes: number;
  /** Number of rows loaded. */
  rows: number;
  /** Wall-clock load time in seconds. */
  seconds: number;
  /** Rows loaded per second of wall-clock time. */
  rowsPerSecond: number;
  /** Throughput in megabytes (10^6 bytes) of file per second. */
  megabytesPerSecond: number;
  /** Peak resident set size of the whole process so far: run in a fresh process for a clean number. */
  peakRssBytes: number;
}

/** Loads an arena CSV once and reports rows/s and the process's peak RSS. */
export async function measureArenaLoad(path: string): Promise<LoadBenchmark> {
  const { size } = await stat(path);
  const start = performance.now();
  const { table } = await loadArena(await openFile(path), { fileName: path });
  const seconds = (performance.now() - start) / 1000;
  return {
    file: path,
    bytes: size,
    rows: table.numRows(),
    seconds,
    rowsPerSecond: table.numRows() / seconds,
    megabytesPerSecond: size / 1e6 / seconds,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

/**
 * Writes an arena CSV of `rows` records by cycling through the records of `source` (header kept, ids renumbered
 * 0…rows-1 so that ids stay unique; the content repeats, so `duplicateRows` counts the repeats).
 */
export async function writeRepeatedArena(source: string, target: string, rows: number): Promise<void> {
  const records: string[][] = [];
  for await (const item of readCsv(textChunks(await openFile(source)), { bom: false, crlfLines: 0 })) {
    if (item.kind === "record") records.push(item.fields);
  }
  const [header, ...body] = records;
  const idColumn = header.indexOf("id");
  const out = createWriteStream(target);
  const write = async (fields: string[]) => {
    if (!out.write(`${fields.map(quoteCsv).join(",")}\n`)) await once(out, "drain");
  };
  await write(header);
  for (let i = 0; i < rows; i++) {
    const fields = [...body[i % body.length]];
    fields[idColumn] = String(i);
    await write(fields);
  }
  out.end();
  await once(out, "finish");
}

function quoteCsv(field: string): string {
  return /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
}
