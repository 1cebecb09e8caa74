import { arch, cpus, platform, release, totalmem } from "node:os";

/** Where a benchmark ran: enough to tell whether two results are comparable. */
export interface MachineInfo {
  platform: string;
  arch: string;
  osRelease: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** Versions of the packages whose speed is measured. */
  versions: Record<string, string>;
}

export function machineInfo(versions: Record<string, string> = {}): MachineInfo {
  const cpu = cpus();
  return {
    platform: platform(),
    arch: arch(),
    osRelease: release(),
    cpuModel: cpu[0]?.model ?? "unknown",
    cores: cpu.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.versions.node,
    versions,
  };
}

/** Peak resident set size of this process so far, in MiB (Linux and macOS report it; 0 elsewhere). */
export function peakRssMiB(): number {
  return Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;
}
