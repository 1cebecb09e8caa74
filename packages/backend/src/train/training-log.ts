/**
 * Where a run reports its progress: JSON lines (one object per event, for pipes, files and CI) or a progress line
 * redrawn in place on a terminal. The trainer picks with `createTrainingLog`, from `stream.isTTY`.
 */

/** One thing that happened in a run. */
export type TrainingEvent =
  | { readonly event: "start"; readonly step: number; readonly totalSteps: number; readonly [field: string]: unknown }
  | {
      readonly event: "step";
      readonly step: number;
      readonly loss: number;
      readonly lr: number;
      readonly gradNorm?: number;
      readonly tokensPerSecond?: number;
    }
  | { readonly event: "eval"; readonly step: number; readonly logLoss: number; readonly accuracy: number; readonly rows: number }
  | { readonly event: "checkpoint"; readonly step: number; readonly path: string }
  | { readonly event: "end"; readonly step: number; readonly [field: string]: unknown };

/** Receives a run's events. */
export interface TrainingLog {
  /** Records one event. */
  write(event: TrainingEvent): void;
  /** Ends the output (a progress line gets its final newline). */
  close(): void;
}

/** What a log writes to: `process.stderr` or any object with `write`. */
export interface LogStream {
  /** Appends text. */
  write(text: string): unknown;
  /** Whether the stream is a terminal. Defaults to `false`. */
  readonly isTTY?: boolean;
  /** Terminal width in columns. Defaults to `80`. */
  readonly columns?: number;
}

/** Options of the logs. */
export interface TrainingLogOptions {
  /** Clock for timestamps and the ETA; injectable so tests see fixed times. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/** A progress line on a terminal, JSON lines otherwise. */
export function createTrainingLog(stream: LogStream, options: TrainingLogOptions = {}): TrainingLog {
  return stream.isTTY ? new ProgressLineLog(stream, options) : new JsonLinesLog(stream, options);
}

/** One JSON object per line: `{"time":"…","event":"step","step":3,"loss":0.69,"lr":0.0001}`. */
export class JsonLinesLog implements TrainingLog {
  private readonly now: () => number;
  constructor(
    private readonly stream: LogStream,
    options: TrainingLogOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  write(event: TrainingEvent): void {
    // JSON has no NaN/Infinity: write them as strings so a diverged loss stays visible in the log.
    const line = JSON.stringify({ time: new Date(this.now()).toISOString(), ...event }, (_key, value: unknown) =>
      typeof value === "number" && !Number.isFinite(value) ? String(value) : value,
    );
    this.stream.write(`${line}\n`);
  }

  close(): void {}
}

/** `step 120/400 [######......] loss 0.6812 lr 1.2e-4 · 350 tok/s · eta 4m10s`, redrawn in place. */
export class ProgressLineLog implements TrainingLog {
  private readonly now: () => number;
  private totalSteps = 0;
  private startStep = 0;
  private startTime = 0;
  private drawn = false;

  constructor(
    private readonly stream: LogStream,
    options: TrainingLogOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  write(event: TrainingEvent): void {
    switch (event.event) {
      case "start":
        this.totalSteps = event.totalSteps;
        this.startStep = event.step;
        this.startTime = this.now();
        this.printLine(`training from step ${event.step} of ${event.totalSteps}`);
        return;
      case "step":
        this.redraw(event);
        return;
      case "eval":
        this.printLine(`eval @ ${event.step}: log loss ${event.logLoss.toFixed(4)}, accuracy ${(100 * event.accuracy).toFixed(1)}% (${event.rows} rows)`);
        return;
      case "checkpoint":
        this.printLine(`checkpoint @ ${event.step}: ${event.path}`);
        return;
      case "end":
        this.printLine(`done at step ${event.step}`);
        return;
    }
  }

  close(): void {
    if (this.drawn) this.stream.write("\n");
    this.drawn = false;
  }

  private redraw(event: Extract<TrainingEvent, { event: "step" }>): void {
    const done = event.step + 1;
    const total = Math.max(this.totalSteps, done);
    const width = 20;
    const filled = Math.round((width * done) / total);
    const elapsed = (this.now() - this.startTime) / 1000;
    const perStep = elapsed / Math.max(1, done - this.startStep);
    const parts = [
      `step ${done}/${total} [${"#".repeat(filled)}${".".repeat(width - filled)}]`,
      `loss ${event.loss.toFixed(4)} lr ${event.lr.toExponential(1)}`,
    ];
    if (event.tokensPerSecond !== undefined) parts.push(`${Math.round(event.tokensPerSecond)} tok/s`);
    if (done > this.startStep) parts.push(`eta ${formatSeconds(perStep * (total - done))}`);
    const columns = this.stream.columns ?? 80;
    this.stream.write(`\r${parts.join(" · ").slice(0, columns - 1).padEnd(columns - 1)}`);
    this.drawn = true;
  }

  private printLine(text: string): void {
    this.stream.write(this.drawn ? `\r\x1b[2K${text}\n` : `${text}\n`);
    this.drawn = false;
  }
}

function formatSeconds(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}
