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
  logLoss: number;
  accuracy: number;
  accuracyNoTies: number;
  ece: number;
}

/** What the report shows of one member. */
export interface ReportMember {
  name: string;
  kind: "prior" | "classical" | "lora" | "judge" | "ensemble";
  /** Out-of-fold scores on the training split, where the member was cross-validated. */
  oof?: MemberScores;
  /** Scores on the held-out split. */
  holdout: MemberScores;
  /** Rows = true label (A, B, tie), columns = predicted label, on the held-out split. */
  confusion: number[][];
  reliability: ReliabilityBin[];
  /** Wall time spent training and predicting this member. */
  seconds: number;
  /** Plain words a reader needs, e.g. that a member is a random-init fixture. */
  caveat?: string;
}

/** One point of a training-loss curve. */
export interface LossPoint {
  step: number;
  loss: number;
  series: string;
}

/** Everything `renderReport` needs; the demo writes the same object as metrics.json. */
export interface ReportData {
  title: string;
  createdAt: string;
  dataset: { source: string; rows: number; trainRows: number; holdoutRows: number; labels: { a: number; b: number; tie: number }; problems: Record<string, number> };
  members: ReportMember[];
  /** Ensemble weights or strategy parameters, shown as they were fitted. */
  ensemble: { strategy: string; weights?: Record<string, number> };
  lossCurve: LossPoint[];
  /** Stage name → seconds. */
  timings: Record<string, number>;
  notes: string[];
  environment: Record<string, string>;
}
