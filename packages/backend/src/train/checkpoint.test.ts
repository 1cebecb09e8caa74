import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { CheckpointError, checkpointDir, readCheckpoint, readLatestCheckpoint, writeCheckpoint } from "./checkpoint.js";

let runDir: string;
beforeEach(async () => {
  runDir = await mkdtemp(join(tmpdir(), "ckpt-"));
});
afterEach(() => rm(runDir, { recursive: true, force: true }));

const contents = (step: number) => ({
  step,
  state: { step, rng: [1, 2, 3, 4, Number.NaN].map(String), position: { epoch: 0, batch: step } },
  files: { "adapter_model.safetensors": Uint8Array.from([step, 1, 2, 3]), "notes.txt": `step ${step}` },
});

describe("writeCheckpoint / readLatestCheckpoint", () => {
  it("round-trips the state and the files and points latest.json at the new folder", async () => {
    const dir = await writeCheckpoint(runDir, contents(7));
    expect(dir).toBe(join(runDir, "checkpoints", "step-00000007"));
    expect(JSON.parse(await readFile(join(runDir, "latest.json"), "utf8"))).toEqual({ step: 7, dir: join("checkpoints", "step-00000007") });
    const loaded = await readLatestCheckpoint<ReturnType<typeof contents>["state"]>(runDir);
    expect(loaded?.step).toBe(7);
    expect(loaded?.state).toEqual(contents(7).state);
    expect(loaded?.files.get("adapter_model.safetensors")).toEqual(Uint8Array.from([7, 1, 2, 3]));
    expect(new TextDecoder().decode(loaded?.files.get("notes.txt"))).toBe("step 7");
  });

  it("returns null for a run with no checkpoint", async () => {
    expect(await readLatestCheckpoint(runDir)).toBeNull();
  });

  it("keeps only the newest `keep` checkpoints and removes temp folders of killed writers", async () => {
    await mkdir(join(runDir, "checkpoints", ".tmp-999-1-step-3"), { recursive: true });
    for (const step of [2, 4, 6]) await writeCheckpoint(runDir, contents(step), { keep: 2 });
    expect((await readdir(join(runDir, "checkpoints"))).sort()).toEqual(["step-00000004", "step-00000006"]);
  });

  it("falls back to the newest intact checkpoint when the latest one is damaged", async () => {
    await writeCheckpoint(runDir, contents(2));
    await writeCheckpoint(runDir, contents(4));
    await writeFile(join(checkpointDir(runDir, 4), "adapter_model.safetensors"), Uint8Array.from([9, 9, 9, 9]));
    await expect(readCheckpoint(checkpointDir(runDir, 4))).rejects.toThrow(/do not match the manifest/);
    expect((await readLatestCheckpoint(runDir))?.step).toBe(2);
    await rm(join(checkpointDir(runDir, 2), "checkpoint.json"));
    expect(await readLatestCheckpoint(runDir)).toBeNull();
  });

  it("ignores a half-written temp folder and a missing latest.json", async () => {
    await writeCheckpoint(runDir, contents(3));
    await mkdir(join(runDir, "checkpoints", ".tmp-1-2-step-5"));
    await writeFile(join(runDir, "checkpoints", ".tmp-1-2-step-5", "adapter_model.safetensors"), "partial");
    await rm(join(runDir, "latest.json"));
    expect((await readLatestCheckpoint(runDir))?.step).toBe(3);
  });

  it("replaces a step written again by a resumed run", async () => {
    await writeCheckpoint(runDir, contents(5));
    await writeCheckpoint(runDir, { ...contents(5), files: { "notes.txt": "again" } });
    const loaded = await readLatestCheckpoint(runDir);
    expect([...(loaded?.files.keys() ?? [])]).toEqual(["notes.txt"]);
    expect(new TextDecoder().decode(loaded?.files.get("notes.txt"))).toBe("again");
  });

  it("refuses reserved or path-like file names", async () => {
    for (const name of ["checkpoint.json", "../x", ".hidden"]) {
      await expect(writeCheckpoint(runDir, { step: 1, state: {}, files: { [name]: "x" } })).rejects.toThrow(CheckpointError);
    }
  });
});
