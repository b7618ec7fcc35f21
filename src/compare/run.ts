/**
 * The library API behind `kansli compare`: two charter versions → a comparison document and one
 * amendment proposal per current member, each as PDF and DOCX, written all or nothing like a
 * build (src/pipeline/output.ts).
 */
import { useFaces } from '../content/coverage.js';
import { ProblemsError } from '../content/problems.js';
import { DEFAULT_TYPOGRAPHY, type ResolvedStyle } from '../project/style.js';
import type { Content, DocumentSpec, Member } from '../content/types.js';
import { buildTimestamp, GENERATOR } from '../pipeline/build.js';
import { serializeManifest, sha256, type Manifest, type ManifestEntry } from '../pipeline/manifest.js';
import { assertReplaceable, commitOutput, MANIFEST, type OutputFile } from '../pipeline/output.js';
import { rescueSigned, type Rescued } from '../sign/rescue.js';
import { signedDirFor } from '../sign/place.js';
import { FORMATS, type Format } from '../pipeline/plan.js';
import type { CharterVersion, Document, DocumentMeta } from '../model.js';
import { charterVersion } from '../pipeline/meta.js';
import { loadTemplates, TEMPLATE_DIR, templateNames } from '../render/templates.js';
import { paperView, processView, sharedView, type FactView, type View } from '../render/view.js';
import { writeDocx } from '../write/docx.js';
import { loadFonts } from '../write/fonts.js';
import { writePdf } from '../write/pdf.js';
import { compare, type Comparison } from './compare.js';
import { comparisonView, type ComparisonView } from './view.js';

export { comparisonView, type ComparisonView };
import { loadSource, type Source } from './sources.js';
import { charterText } from './text.js';

/** Where the comparison goes: beside output/, which every full build replaces as a whole. */
export const COMPARISON_TEMPLATE = 'jamforelse';
export const PROPOSAL_TEMPLATE = 'andringsbeslut';
export const PROPOSAL_FOLDER = 'andringsbeslut';

export interface CompareOptions {
  readonly from: Source;
  readonly to: Source;
  readonly outDir: string;
  readonly templatesDir?: string;
  readonly formats?: readonly Format[];
  readonly timestamp?: Date;
  /** The project's fonts, colour, page and Word template (kansli.yaml's style); default kansli's own. */
  readonly typography?: ResolvedStyle;
}

export interface CompareResult {
  readonly comparison: Comparison;
  readonly manifest: Manifest;
  readonly written: readonly ManifestEntry[];
  /** Signed PDFs found in the output folder and moved to the signed folder first (see rescueSigned). */
  readonly rescued: readonly Rescued[];
}

/** `charter`: the version proposed, which both the comparison and the proposals print and concern. */
function meta(content: Content, documentId: string, title: string, subject: string, member: Member | null, charter: CharterVersion, timestamp: Date): DocumentMeta {
  return {
    title: member ? `${title} – ${member.name}` : title,
    author: content.issuer,
    subject,
    keywords: [content.body.name, content.county, ...(member ? [member.name] : [])],
    language: 'sv-SE',
    dnr: null,
    date: null,
    documentId,
    member: member ? { id: member.id, name: member.name } : null,
    charter,
    timestamp,
  };
}

/**
 * An amendment proposal is made here, not listed in documents.yaml: its registry number, date and
 * case officer are each member's to fill in, and the decision goes to the association whose
 * charter changes.
 */
function amendmentSpec(id: string, title: string, subject: string, content: Content): DocumentSpec {
  const unknown = (reason: string) => ({ known: false as const, reason });
  return {
    id,
    title,
    subject,
    template: PROPOSAL_TEMPLATE,
    per: 'member',
    for: 'every',
    date: unknown('Skrivelsens datum sätts av respektive medlem.'),
    asOf: null,
    dnr: unknown('Diarienummer sätts av respektive medlems registrator.'),
    signatories: null,
    signatures: [],
    caseOfficer: unknown('Handläggare utses av respektive medlem.'),
    perMember: new Map(),
    basis: [],
    sendTo: [content.body.name],
    merger: null,
    letterhead: 'issuer',
    glossary: false,
    sumsUp: null,
  };
}

export async function compareVersions(options: CompareOptions): Promise<CompareResult> {
  const templatesDir = options.templatesDir ?? TEMPLATE_DIR;
  const timestamp = options.timestamp ?? buildTimestamp();
  const formats = options.formats ?? FORMATS;
  // A member may have signed a proposal in place: it goes to the signed folder before anything is replaced.
  const rescued = rescueSigned(options.outDir, signedDirFor(options.outDir));
  assertReplaceable(options.outDir);
  const names = templateNames(templatesDir);
  const typography = options.typography ?? DEFAULT_TYPOGRAPHY;
  const fontProblems = useFaces(typography.look.faces, typography.origins);
  if (fontProblems.length > 0) throw new ProblemsError(fontProblems);
  const before = loadSource(options.from, names, { inForce: true });
  const after = loadSource(options.to, names);
  const templates = loadTemplates(templatesDir);
  const comparison = compare(charterText(before, templates), charterText(after, templates));

  // The current members decide on an amendment: the proposals go to the members of --from.
  const shared = sharedView(before);
  const cv = comparisonView(comparison);
  const view = (id: string, title: string, subject: string, member: Member | null): View & { comparison: ComparisonView } => ({
    ...shared,
    // An amendment stands outside the process the documents of documents.yaml belong to.
    ...processView(shared, null),
    document: { id, title, subject, date: null, dnr: null, glossary: false, signatures: [] },
    summary: null,
    member: member ? shared.members.find((m) => m.id === member.id)! : null,
    paper: member ? paperView(shared, amendmentSpec(id, title, subject, before), shared.members.find((m) => m.id === member.id)!) : null,
    comparison: cv,
  });

  const units: { stem: string; document: string; member: Member | null; model: Document }[] = [];
  const title = `Jämförelse mellan nuvarande och föreslagen lydelse av ${comparison.to.title}`;
  const subject = `Version ${comparison.from.hash} och version ${comparison.to.hash}`;
  units.push({
    stem: COMPARISON_TEMPLATE,
    document: COMPARISON_TEMPLATE,
    member: null,
    model: { meta: meta(after, COMPARISON_TEMPLATE, title, subject, null, charterVersion(after), timestamp), blocks: templates.render(COMPARISON_TEMPLATE, view(COMPARISON_TEMPLATE, title, subject, null)) },
  });
  // Nothing to decide when nothing changed: then the comparison says so, and no proposals are made.
  if (comparison.summary !== null) {
    const proposalTitle = `Beslut om ändring av förbundsordningen för ${before.body.name}`;
    const proposalSubject = `Förslag till beslut om ändring av ${comparison.to.title}`;
    for (const member of before.members) {
      units.push({
        stem: `${PROPOSAL_FOLDER}/${member.id}`,
        document: PROPOSAL_FOLDER,
        member,
        model: {
          meta: meta(before, PROPOSAL_FOLDER, proposalTitle, proposalSubject, member, charterVersion(after), timestamp),
          blocks: templates.render(PROPOSAL_TEMPLATE, view(PROPOSAL_FOLDER, proposalTitle, proposalSubject, member)),
        },
      });
    }
  }

  const { look } = typography;
  const fonts = loadFonts(look.faces);
  const files: OutputFile[] = [];
  const written: ManifestEntry[] = [];
  for (const unit of units) {
    for (const format of formats) {
      const bytes = format === 'pdf' ? await writePdf(unit.model, fonts, look) : await writeDocx(unit.model, { fonts, look });
      const path = `${unit.stem}.${format}`;
      files.push({ path, bytes });
      // A comparison is made anew each time: its inputs are the two versions it compares.
      written.push({ document: unit.document, party: unit.member?.id ?? null, format, path, sha256: sha256(bytes), bytes: bytes.length, inputs: `${comparison.from.hash}..${comparison.to.hash}` });
    }
  }
  const version = (c: Comparison['from']): { version: string; label: string | null } => ({ version: c.hash, label: c.label });
  const manifest: Manifest = {
    generator: GENERATOR,
    sources: null,
    timestamp: timestamp.toISOString(),
    charter: version(comparison.to),
    comparison: { from: version(comparison.from), to: version(comparison.to) },
    files: written,
    units: {},
    reads: {},
  };
  files.push({ path: MANIFEST, bytes: serializeManifest(manifest) });
  await commitOutput(options.outDir, files);
  return { comparison, manifest, written, rescued };
}
