import type { Decisions, EarlierVersion } from '../decisions/types.js';

/**
 * The content as the rest of the pipeline sees it, once the schema and the rules have passed.
 * These types mirror the JSON Schemas in ./schemas; the schemas are the source of truth for
 * authors (and their editors), these types for the code.
 */

/** A fact that is either known (with its source) or explicitly unknown: never guessed. */
export type Fact<T> =
  | { readonly known: true; readonly value: T; readonly source?: string; readonly secondary: boolean }
  | { readonly known: false; readonly reason: string };

export type MemberKind = 'municipality' | 'region' | 'agency';

export interface Person {
  readonly name: string;
  readonly title?: string;
}

/** A body that a merger replaces: its members name it in member_of. */
export interface ReplacedBody {
  readonly id: string;
  readonly name: string;
  readonly seat: Fact<string>;
}

/**
 * The kind of joint body, which decides its legal basis and its membership rules: a
 * samordningsförbund under lag (2003:1210) om finansiell samordning av rehabiliteringsinsatser,
 * or a kommunalförbund under kommunallagen (2017:725) 9 kap.
 */
export type BodyKind = 'samordningsforbund' | 'kommunalforbund';

/**
 * When the body's name was chosen: a known day, or unknown with the latest day it can
 * have been (the first document that names it). Documents as of an earlier day do not print it.
 */
export type NameChosen =
  | { readonly known: true; readonly date: string; readonly source: string }
  | { readonly known: false; readonly noLaterThan: string; readonly reason: string; readonly source: string };

/** The joint body the documents are about: formed by the process, or changed by it. */
export interface Body {
  readonly id: string;
  readonly kind: BodyKind;
  readonly name: string;
  readonly nameChosen: NameChosen;
  /** The day it is formed; absent for a body that exists (an amendment, a member joining or leaving). */
  readonly formed?: string;
  readonly website?: string;
}

export interface Member {
  readonly id: string;
  readonly name: string;
  readonly shortName: string;
  readonly kind: MemberKind;
  readonly orgnr: Fact<string>;
  readonly population: Fact<number> & { readonly asOf?: string };
  readonly decisionBody: string;
  /** The bodies of `replaces` the member belongs to today (a merger); empty otherwise. */
  readonly memberOf: readonly string[];
  readonly signatory: Fact<Person>;
  /**
   * How the member's decision is proposed ("Kommunstyrelsen föreslår kommunfullmäktige
   * besluta"); null when not given, and then derived from the kind where the law gives it.
   */
  readonly decisionRoute: Fact<string> | null;
  /** The member's own logo, for documents with `letterhead: member`. */
  readonly logo: { readonly file: string; readonly alt: string } | null;
  /** The name in the header of the member's letterhead; null: its official name. */
  readonly nameLine: string | null;
}

/**
 * A point in the process, as exact as the sources allow: a day (yyyy-mm-dd), month (yyyy-mm) or
 * year (yyyy); `estimate` holds the basis when the point is inferred rather than read in a source.
 */
export interface AsOf {
  readonly date: string;
  readonly estimate: string | null;
}

/** Something that happened, with its outcome: "<what> <outcome>" reads as one sentence. */
export interface ProcessEvent {
  readonly id: string;
  readonly date: string;
  readonly until?: string;
  readonly what: string;
  readonly outcome: string;
  readonly source: string;
}

/** When a plan's entry is to happen: a date (or period, or deadline), or after the entry before it. */
export type EntryTime =
  | { readonly kind: 'date'; readonly date: string; readonly until?: string; readonly deadline: boolean }
  | { readonly kind: 'after-previous' };

export interface PlanEntry {
  readonly id: string;
  readonly time: EntryTime;
  /** In the plan's own words. */
  readonly text: string;
  readonly source?: string;
}

/** A timetable as it stood on the day it was made; a changed plan is a new Plan, never an edit. */
export interface Plan {
  readonly id: string;
  readonly made: AsOf;
  readonly source: string;
  readonly entries: readonly PlanEntry[];
}

/**
 * What the process does to the body, with what each kind needs: a merger replaces the bodies in
 * `replaces` by the body, a formation forms it from nothing, an amendment changes its charter,
 * and a join or leave changes its members (and so its charter). `effective` is the day a change
 * to an existing body takes effect; a merger or formation takes effect when the body is formed.
 */
export type ProcessKind =
  | { readonly kind: 'merger' }
  | { readonly kind: 'formation' }
  | { readonly kind: 'amendment'; readonly effective: Fact<string> }
  | { readonly kind: 'join'; readonly joining: readonly string[]; readonly effective: Fact<string> }
  | { readonly kind: 'leave'; readonly leaving: readonly string[]; readonly effective: Fact<string> };

/** The process: what it does, what happened, and every plan it has had, each in the order of its dates. */
export interface Process {
  readonly what: ProcessKind;
  readonly events: readonly ProcessEvent[];
  readonly plans: readonly Plan[];
}

export interface Perspective {
  readonly id: string;
  readonly title: string;
  readonly reasons: readonly string[];
}

export interface Principles {
  readonly introduction: readonly string[];
  readonly background: readonly string[];
  readonly reasons: { readonly intro: readonly string[]; readonly perspectives: readonly Perspective[] };
  readonly startingPoints: { readonly intro: readonly string[]; readonly principles: readonly string[] };
  readonly implementation: readonly string[];
}

export type CharterBlock =
  | { readonly kind: 'paragraph'; readonly text: string }
  | { readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly string[] }
  | { readonly kind: 'insert'; readonly what: 'members' | 'cost-shares' | 'board' };

export interface Article {
  readonly id: string;
  readonly heading: string;
  readonly body: readonly CharterBlock[];
}

export interface CostShare {
  readonly label: string;
  readonly members: readonly string[];
  readonly percent: number;
  readonly split: Fact<string> | null;
}

/** When the charter takes effect: printed after the articles, as in a Swedish statute. */
export interface EntryIntoForce {
  /** The day it takes effect; unless the charter says otherwise, the body's formation day or the process's effective day. */
  readonly date: Fact<string>;
  readonly text: readonly string[];
}

export interface Charter {
  readonly title: string;
  /** `history`: earlier versions sent to the members, oldest first (empty when none is listed). */
  readonly version: { readonly label?: string; readonly adopted?: string; readonly history: readonly EarlierVersion[] };
  readonly association: string;
  readonly facts: ReadonlyMap<string, Fact<string | number>>;
  readonly preamble: readonly string[];
  readonly articles: readonly Article[];
  readonly entryIntoForce: EntryIntoForce | null;
  /** Transitional provisions (övergångsbestämmelser), one paragraph each. */
  readonly transitional: readonly string[];
  readonly costShares: readonly CostShare[];
  readonly board: { readonly membersPerParty: Fact<number>; readonly deputiesPerParty: Fact<number> };
}

export type DocumentScope = 'member' | 'once';

/**
 * Which members a per-member document is made for: every party in parties.yaml, those joining
 * or leaving, or those staying (the current members that neither join nor leave).
 */
export type MemberSelection = 'every' | 'joining' | 'leaving' | 'staying';

export type SigningMethod = 'ink' | 'electronic';

/** Who signed a document, when, where and how: what the YAML records once it has happened. */
export interface SignatureRecord {
  readonly party: string;
  readonly name?: string;
  readonly title?: string;
  readonly date: string;
  readonly place: string;
  readonly method: SigningMethod;
  /** Written by `kansli verify --record`: the signed PDF that proved this signature, and its SHA-256. */
  readonly verified?: { readonly file: string; readonly sha256: string };
}

/** The case officer (handläggare) who prepares a paper: never someone the sources do not name. */
export interface CaseOfficer {
  readonly name: string;
  readonly title?: string;
  readonly contact?: string;
}

/** A member's own registry number, date and case officer for a per-member paper. */
export interface PaperOverride {
  readonly dnr?: Fact<string>;
  readonly date?: Fact<string>;
  readonly caseOfficer?: Fact<CaseOfficer>;
}

/**
 * What becomes of the associations a merger replaces, and the interim board's legal basis: each
 * a statement with its source, or unknown (an open question the members must decide).
 */
export interface Merger {
  readonly dissolution: Fact<string>;
  readonly capital: Fact<string>;
  readonly archives: Fact<string>;
  readonly staff: Fact<string>;
  readonly interimBoard: Fact<string>;
}

export interface DocumentSpec {
  readonly id: string;
  readonly title: string;
  readonly subject: string;
  readonly template: string;
  readonly per: DocumentScope;
  /** For a per-member document, the members it is made for. */
  readonly for: MemberSelection;
  readonly date: Fact<string>;
  /** The point the document sees the process as of: its date when known, otherwise its as_of. */
  readonly asOf: AsOf | null;
  readonly dnr: Fact<string>;
  /** Who must sign: every member, or nobody (the document has no signature blocks). */
  readonly signatories: 'members' | null;
  readonly signatures: readonly SignatureRecord[];
  /** The case officer of a decision paper; unknown when documents.yaml does not say. */
  readonly caseOfficer: Fact<CaseOfficer>;
  /** Per member id: that member's own registry number, date and case officer. */
  readonly perMember: ReadonlyMap<string, PaperOverride>;
  /** Beslutsunderlag: ids of documents in documents.yaml. */
  readonly basis: readonly string[];
  /** Beslutet skickas till; "@{member_of}" stands for the member's current associations. */
  readonly sendTo: readonly string[];
  readonly merger: Merger | null;
  /** Whose letterhead the header shows: the issuer's (kansli.yaml's logo) or, per member, the member's. */
  readonly letterhead: 'issuer' | 'member';
  /** Whether the document ends with a word list (Ordlista) of the glossary terms it uses. */
  readonly glossary: boolean;
  /** For a summary of the members' decisions: the decision paper it sums up (decisions.yaml). */
  readonly sumsUp: string | null;
}

/** A term of content/glossary.yaml: what counts as a use of it, and its definition. */
export interface GlossaryTerm {
  readonly id: string;
  /** The base form, as the word list prints it. */
  readonly term: string;
  /** Inflected forms that count as a use, besides the term itself (whole words, any case). */
  readonly forms: readonly string[];
  /** A beginning that makes any word starting with it a use; null when only the forms count. */
  readonly stem: string | null;
  readonly definition: string;
  readonly source: string;
}

export interface Content {
  readonly county: string;
  /** The bodies a merger replaces; empty for every other process. */
  readonly replaces: readonly ReplacedBody[];
  readonly body: Body;
  readonly members: readonly Member[];
  readonly process: Process;
  /** The letter of intent's text (principles.yaml); null when the content has none. */
  readonly principles: Principles | null;
  /** The charter after the process (charter.yaml): the one the build writes and members adopt. */
  readonly charter: Charter;
  /**
   * The charter in force before the process (charter-current.yaml), which an amendment, a member
   * joining or leaving changes: the build compares it with `charter`. Null for a merger or formation.
   */
  readonly charterInForce: Charter | null;
  readonly issuer: string;
  readonly senders: { readonly onBehalfOf: string; readonly names: readonly string[] };
  readonly documents: readonly DocumentSpec[];
  /** content/glossary.yaml's terms; empty when the folder has no glossary. */
  readonly glossary: readonly GlossaryTerm[];
  /** The members' decisions (decisions.yaml, an optional file). */
  readonly decisions: Decisions;
}
