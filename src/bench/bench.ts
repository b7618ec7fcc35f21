/**
 * `npm run bench`: how fast kansli builds, at county and national scale, per format, and beside
 * pandoc and LibreOffice doing comparable work on the same documents. Figures are printed, never
 * asserted: a benchmark that fails on a slow day teaches nothing.
 *
 * Every kansli figure is a cold run of the CLI in its own process (node start-up included),
 * the way CI runs it, after one untimed run, repeated BENCH_RUNS times (default 3): the median,
 * with the range.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check } from '../pipeline/build.js';
import { plan } from '../pipeline/plan.js';
import { renderUnit } from '../pipeline/render.js';
import { inlineText, type Block, type Document } from '../model.js';
import { loadTemplates } from '../render/templates.js';
import { sharedView } from '../render/view.js';
import { signRefusals } from './sign.js';
import { syntheticContent } from './synthetic.js';

const ROOT = resolve(fileURLToPath(new URL('../../', import.meta.url)));
const CLI = join(ROOT, 'dist', 'bundle', 'cli.js');
const CONTENT = join(ROOT, 'content');
const work = mkdtempSync(join(tmpdir(), 'kansli-bench-'));

interface Report {
  milliseconds: number;
  peakRssMb: number;
  written: { path: string }[];
  durations: Record<string, number>;
}

interface Run {
  /** Median wall time of the repetitions, with the fastest and slowest. */
  readonly wallMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly files: number;
  readonly documents: number;
  readonly medianMs: number;
  /** The highest peak of the repetitions. */
  readonly peakRssMb: number;
}

/**
 * How many times each build is repeated (BENCH_RUNS, default 3). Shared machines are noisy: a
 * single run can be off by a fifth, so the tables show the median and the range.
 */
const RUNS = Math.max(1, Number(process.env.BENCH_RUNS ?? 3) || 3);

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? 0 : sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function kansliOnce(content: string, extra: string[]): Omit<Run, 'minMs' | 'maxMs'> {
  const out = join(work, `out-${Math.random().toString(36).slice(2)}`);
  const started = performance.now();
  const r = spawnSync(process.execPath, [CLI, 'build', '--json', '--force', '--content', content, '--out', out, ...extra], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const wallMs = performance.now() - started;
  if (r.status !== 0) throw new Error(`kansli build failed: ${r.stderr}\n${r.stdout.slice(0, 2000)}`);
  const report = JSON.parse(r.stdout) as Report;
  rmSync(out, { recursive: true, force: true });
  const durations = Object.values(report.durations);
  return { wallMs, files: report.written.length, documents: durations.length, medianMs: median(durations), peakRssMb: report.peakRssMb };
}

function kansliBuild(content: string, extra: string[] = [], runs = RUNS): Run {
  // One untimed run first, as hyperfine's --warmup does: it reads the files from disk into the
  // operating system's cache, which every later run (and every build but a machine's first) finds.
  kansliOnce(content, extra);
  const all = Array.from({ length: runs }, () => kansliOnce(content, extra));
  const walls = all.map((r) => r.wallMs);
  return {
    ...all[0]!,
    wallMs: median(walls),
    minMs: Math.min(...walls),
    maxMs: Math.max(...walls),
    medianMs: median(all.map((r) => r.medianMs)),
    peakRssMb: Math.max(...all.map((r) => r.peakRssMb)),
  };
}

const fmt = (n: number, digits = 0): string => n.toFixed(digits).padStart(8);
const has = (program: string): boolean => spawnSync('sh', ['-c', `command -v ${program}`]).status === 0;

function table(title: string, rows: [string, Run][]): void {
  console.log(`\n${title}`);
  console.log(`  run                              files   wall ms  (min–max of ${RUNS})   files/s  median ms/doc  peak RSS MB`);
  for (const [name, r] of rows) {
    const range = `(${r.minMs.toFixed(0)}–${r.maxMs.toFixed(0)})`.padStart(17);
    console.log(`  ${name.padEnd(30)} ${fmt(r.files)} ${fmt(r.wallMs)} ${range} ${fmt((r.files / r.wallMs) * 1000, 1)} ${fmt(r.medianMs, 1).padStart(14)} ${fmt(r.peakRssMb).padStart(12)}`);
  }
}

/** The model as Markdown, so pandoc is timed making DOCX from the same documents. */
function markdown(doc: Document): string {
  const out: string[] = [];
  const line = (b: Block): void => {
    switch (b.type) {
      case 'heading':
        out.push(`${'#'.repeat(b.level)} ${inlineText(b.children)}`);
        break;
      case 'paragraph':
        out.push(inlineText(b.children));
        break;
      case 'list':
        out.push(b.items.map((item, i) => `${b.ordered ? `${i + 1}.` : '-'} ${inlineText(item.children)}`).join('\n'));
        break;
      case 'table': {
        const rows = [...b.header, ...b.body].map((r) => `| ${r.map((c) => inlineText(c.children).replace(/\|/g, '\\|')).join(' | ')} |`);
        rows.splice(1, 0, `|${b.widths.map(() => ' --- ').join('|')}|`);
        out.push(rows.join('\n'));
        break;
      }
      case 'signatures':
        out.push(b.signatures.map((s) => `För ${s.party}\n\nOrt och datum\n\nUnderskrift\n\nNamnförtydligande`).join('\n\n'));
        break;
      case 'pageBreak':
        break;
    }
  };
  doc.blocks.forEach(line);
  return out.join('\n\n') + '\n';
}

function comparisons(realDocx: Run, realPdf: Run): void {
  console.log('\nThe same 28 documents, made by other tools (per document, wall time):');
  const { content } = check({ contentDir: CONTENT });
  const shared = sharedView(content);
  const templates = loadTemplates();
  const dir = join(work, 'compare');
  mkdirSync(dir, { recursive: true });
  const docs = plan(content).map((unit) => {
    const name = unit.stem.replace('/', '--');
    writeFileSync(join(dir, `${name}.md`), markdown(renderUnit(content, shared, templates, unit, new Date())));
    return name;
  });
  const kansliDocx = realDocx.wallMs / realDocx.documents;
  const kansliPdf = realPdf.wallMs / realPdf.documents;
  if (has('pandoc')) {
    const started = performance.now();
    for (const name of docs) spawnSync('pandoc', ['-f', 'markdown', '-t', 'docx', '-o', join(dir, `${name}.docx`), join(dir, `${name}.md`)]);
    const perDoc = (performance.now() - started) / docs.length;
    console.log(`  pandoc Markdown → DOCX, one process per document:     ${fmt(perDoc, 1)} ms/doc`);
    console.log(`  kansli YAML → DOCX (whole cold build / documents):    ${fmt(kansliDocx, 1)} ms/doc   ratio pandoc/kansli ${(perDoc / kansliDocx).toFixed(2)}`);
  } else console.log('  pandoc is not installed: skipped (apt-get install pandoc)');
  if (has('soffice')) {
    // Our own DOCX files, converted many per call with a warm profile: LibreOffice's fastest mode.
    const out = join(work, 'lo-source');
    spawnSync(process.execPath, [CLI, 'build', '--format', 'docx', '--content', CONTENT, '--out', out]);
    const files = readdirSync(out, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.docx')).map((f) => join(out, f));
    const profile = `-env:UserInstallation=file://${join(work, 'lo-profile')}`;
    const convert = (target: string): void => void spawnSync('soffice', [profile, '--headless', '--convert-to', 'pdf', '--outdir', target, ...files]);
    convert(join(work, 'lo-warm')); // first start creates the profile
    const started = performance.now();
    convert(join(work, 'lo-timed'));
    const perDoc = (performance.now() - started) / files.length;
    console.log(`  LibreOffice DOCX → PDF, ${files.length} files per call, warm profile: ${fmt(perDoc, 1)} ms/doc`);
    console.log(`  kansli YAML → PDF (whole cold build / documents):     ${fmt(kansliPdf, 1)} ms/doc   ratio LibreOffice/kansli ${(perDoc / kansliPdf).toFixed(2)}`);
  } else console.log('  LibreOffice is not installed: skipped (apt-get install libreoffice-writer-nogui)');
}

function main(): void {
  console.log(`kansli benchmark (node ${process.version}, ${process.platform}); work folder ${work}`);
  const real: [string, Run][] = [
    ['real content, both formats', kansliBuild(CONTENT)],
    ['real content, PDF only', kansliBuild(CONTENT, ['--format', 'pdf'])],
    ['real content, DOCX only', kansliBuild(CONTENT, ['--format', 'docx'])],
  ];
  table('County scale: the Västmanland content (13 members), cold builds', real);

  const national = syntheticContent(CONTENT, join(work, 'national'), 290);
  const nationalRuns: [string, Run][] = [
    ['290 municipalities, both', kansliBuild(national)],
    ['290 municipalities, PDF only', kansliBuild(national, ['--format', 'pdf'])],
    ['290 municipalities, DOCX only', kansliBuild(national, ['--format', 'docx'])],
  ];
  table('National scale: 293 members (synthetic), cold builds', nationalRuns);

  console.log('\nGrowth with the number of members (both formats, one cold build each):');
  console.log('  members   files   wall ms   ms per member');
  for (const n of [10, 50, 100, 200, 290]) {
    const r = kansliBuild(syntheticContent(CONTENT, join(work, `scale-${n}`), n), [], 1);
    console.log(`  ${String(n + 3).padStart(7)} ${fmt(r.files)} ${fmt(r.wallMs)} ${fmt(r.wallMs / (n + 3), 1)}`);
  }

  signRefusals(work, CLI, RUNS);
  comparisons(real[2]![1], real[1]![1]);
  rmSync(work, { recursive: true, force: true });
}

main();
