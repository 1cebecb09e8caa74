import { arch, cpus, platform, release, totalmem } from "node:os";

/** Where a benchmark ran: enough to tell whether two results are comparable. */
export interface MachineInfo {
  /** `process.platform`, e.g. `linux`. */
  platform: string;
  /** CPU architecture, e.g. `x64`. */
  arch: string;
  /** Kernel release string. */
  osRelease: string;
  /** Model name of the first logical CPU. */
  cpuModel: string;
  /** Logical CPUs the process can see. */
  cores: number;
  /** Total memory in GiB, one decimal. */
  memoryGiB: number;
  /** Node.js version that ran the benchmark. */
  node: string;
  /** Versions of the packages whose speed is measured. */
  versions: Record<string, string>;
}

/** Describes this machine; `versions` adds the versions of whatever the caller measured. */
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
