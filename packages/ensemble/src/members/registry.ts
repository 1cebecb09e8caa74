import type { PairText } from "../features/pair-text.js";
import { ModelFormatError } from "../errors.js";
import type { GbdtOptions } from "../gbdt/options.js";
import type { FeatureImportance } from "./feature-importance.js";
import { GbdtMember, type GbdtMemberJson } from "./gbdt-member.js";
import { LengthMember, type LengthMemberJson, type LengthMemberOptions } from "./length-member.js";
import type { PairRow } from "./pair-row.js";
import { RichLrMember, type RichLrMemberJson, type RichLrOptions } from "./rich-lr-member.js";
import { TfidfMember, type TfidfMemberJson, type TfidfMemberOptions } from "./tfidf-member.js";

/** The classical members, by the name `litee baseline --kind` uses. */
export type MemberKind = "length" | "tfidf" | "gbdt" | "rich-lr";

/** Each member's training options, by kind. */
export interface MemberOptions {
  /** Options of {@link LengthMember.fit}. */
  length: LengthMemberOptions;
  /** Options of {@link TfidfMember.fit}: vocabulary and L2 penalty. */
  tfidf: TfidfMemberOptions;
  /** Booster hyperparameters of {@link GbdtMember.fit}. */
  gbdt: GbdtOptions;
  /** Options of {@link RichLrMember.fit}. */
  "rich-lr": RichLrOptions;
}

/** Any saved classical member. */
export type MemberJson = LengthMemberJson | TfidfMemberJson | GbdtMemberJson | RichLrMemberJson;

/** A trained member: predicts `[A, B, tie]` probabilities per pair and saves itself. */
export interface ClassicalMember {
  /** Which kind of member this is (the {@link MEMBERS} key that trains it). */
  readonly kind: MemberKind;
  /** Probabilities `[A, B, tie]` per row, row-major `rows × 3`. */
  predict(rows: readonly PairText[]): Float64Array;
  /** The trained member as plain JSON, loadable with {@link loadMember}. */
  toJSON(): MemberJson;
  /** Fitted feature importances, largest first, for members built on named features (gbdt, rich-lr). */
  importances?(): FeatureImportance[];
}

/** Kind → trainer, exhaustive over {@link MemberKind}. */
export const MEMBERS = {
  length: (rows: readonly PairRow[], options?: LengthMemberOptions) => LengthMember.fit(rows, options),
  tfidf: (rows: readonly PairRow[], options?: TfidfMemberOptions) => TfidfMember.fit(rows, options),
  gbdt: (rows: readonly PairRow[], options?: GbdtOptions) => GbdtMember.fit(rows, options),
  "rich-lr": (rows: readonly PairRow[], options?: RichLrOptions) => RichLrMember.fit(rows, options),
} as const satisfies { [K in MemberKind]: (rows: readonly PairRow[], options?: MemberOptions[K]) => ClassicalMember };

/** The member kinds, in the order the CLI lists them. */
export const MEMBER_KINDS = Object.keys(MEMBERS) as MemberKind[];

/** Trains a member of `kind` on labelled rows. */
export function trainMember<K extends MemberKind>(kind: K, rows: readonly PairRow[], options?: MemberOptions[K]): ClassicalMember {
  const train = MEMBERS[kind] as (rows: readonly PairRow[], options?: MemberOptions[K]) => ClassicalMember;
  return train(rows, options);
}

/** Rebuilds a member saved with `toJSON()`. */
export function loadMember(json: unknown): ClassicalMember {
  const kind = (json as { kind?: unknown } | null)?.kind;
  if (kind === "length-member") return LengthMember.fromJSON(json as LengthMemberJson);
  if (kind === "tfidf-member") return TfidfMember.fromJSON(json as TfidfMemberJson);
  if (kind === "gbdt-member") return GbdtMember.fromJSON(json as GbdtMemberJson);
  if (kind === "rich-lr-member") return RichLrMember.fromJSON(json as RichLrMemberJson);
  throw new ModelFormatError("member JSON", `kind is ${JSON.stringify(kind)}, expected "length-member", "tfidf-member", "gbdt-member" or "rich-lr-member"`);
}
