import { InvalidArgumentError } from "commander";

/** Commander parser for an integer ≥ `min`; a bad value becomes a usage error naming it. */
export function intAtLeast(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^-?\d+$/.test(value.trim()) || n < min) throw new InvalidArgumentError(`expected an integer ≥ ${min}, got "${value}"`);
    return n;
  };
}

/** Commander parser for a finite number. */
export function float(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
}

/** `all-linear` or comma-separated module names, as PEFT's `target_modules` takes them. */
export function targetModules(value: string): string | string[] {
  const names = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError(`expected module names or all-linear, got "${value}"`);
  return names.length === 1 && names[0] === "all-linear" ? "all-linear" : names;
}
