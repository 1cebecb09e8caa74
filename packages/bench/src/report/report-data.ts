/** One bin of a reliability diagram: predicted confidence against observed accuracy. */
export interface ReliabilityBin {
  /** Mean predicted probability of the chosen class in the bin. */
  confidence: number;
  /** Fraction of the bin's rows whose chosen class was right. */
  accuracy: number;
  /** Rows in the bin. */
  count: number;
}

/** Scores of one member (or of the ensemble) on one split. */
export interface MemberScores {
  /** Mean negative log-probability of the true label, clipped as Kaggle does (lower is better). */
  logLoss: number;
  /** Share of rows whose most probable class is the true one. */
  accuracy: number;
  /** Accuracy on rows whose true label is A or B, choosing the likelier of A and B. */
  accuracyNoTies: number;
  /** Expected calibration error of the top-class confidence (10 bins). */
  ece: number;
}

/** What the report shows of one member. */
export interface ReportMember {
  /** Name shown in tables and legends. */
  name: string;
  /** What sort of member it is; the charts colour by it. */
  kind: "prior" | "classical" | "lora" | "judge" | "ensemble";
  /** Out-of-fold scores on the training split, where the member was cross-validated. */
  oof?: MemberScores;
  /** Scores on the held-out split. */
  holdout: MemberScores;
  /** Rows = true label (A, B, tie), columns = predicted label, on the held-out split. */
  confusion: number[][];
  /** Reliability-diagram bins on the held-out split. */
  reliability: ReliabilityBin[];
  /** Wall time spent training and predicting this member. */
  seconds: number;
  /** Plain words a reader needs, e.g. that a member is a random-init fixture. */
  caveat?: string;
}

/** One point of a training-loss curve. */
export interface LossPoint {
  /** Optimizer step, from 1. */
  step: number;
  /** Mean training loss of that step. */
  loss: number;
  /** Which run the point belongs to (e.g. `fold 1/5`, `final`); one line per series. */
  series: string;
}

/** Everything `renderReport` needs; the demo writes the same object as metrics.json. */
export interface ReportData {
  /** Page title and heading. */
  title: string;
  /** ISO 8601 time the report was made. */
  createdAt: string;
  /** The data the run used, its split sizes, label counts and repaired problems (name → count). */
  dataset: { source: string; rows: number; trainRows: number; holdoutRows: number; labels: { a: number; b: number; tie: number }; problems: Record<string, number> };
  /** Every member, the prior and the ensemble, in table order. */
  members: ReportMember[];
  /** Ensemble weights or strategy parameters, shown as they were fitted. */
  ensemble: { strategy: string; weights?: Record<string, number> };
  /** Training-loss points of the LoRA members (empty without one). */
  lossCurve: LossPoint[];
  /** Stage name → seconds. */
  timings: Record<string, number>;
  /** Plain sentences at the top of the report: what was done and what the numbers mean. */
  notes: string[];
  /** Where it ran (Node version, platform, …). */
  environment: Record<string, string>;
}
