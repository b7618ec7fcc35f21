#!/usr/bin/env node
/**
 * The command line: parse arguments, call the library, print. Nothing else.
 * Every failure the user can cause ends in a message and exit code 1, never a stack trace.
 * Heavy modules (validation, rendering, writers) are imported only by the commands that use
 * them, so an up-to-date `kansli build` answers in a fraction of a second.
 */
import { watch as watchFiles } from 'node:fs';
import { relative, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { BuildResult, ProgressEvent } from './build/build.js';
import { ProblemsError, TemplateError, type Problem } from './content/problems.js';
import { UserError } from './errors.js';
import { describeProblem, githubAnnotation, summary } from './report.js';
import { VERSION } from './build/version.js';

// A closed pipe (`kansli status | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));

const FORMATS = ['pdf', 'docx'] as const;
type Format = (typeof FORMATS)[number];

const stderr = (line: string): void => void process.stderr.write(line + '\n');
const stdout = (line: string): void => void process.stdout.write(line + '\n');

function printProblems(problems: readonly Problem[]): void {
  for (const p of problems) stderr(describeProblem(p));
}

/** The problems an error carries, if it is one the user can fix. */
function problemsOf(e: unknown): Problem[] | null {
  if (e instanceof ProblemsError) return [...e.problems];
  if (e instanceof TemplateError) return [e.problem];
  return null;
}

/** Turns any failure into what the user should read; unknown failures are bugs, said as such. */
function report(e: unknown, writes = true): void {
  const problems = problemsOf(e);
  if (problems) {
    // Errors only: the unknown facts (warnings) would bury them; kansli check lists those once errors are fixed.
    const errors = problems.filter((p) => p.severity === 'error');
    printProblems(errors);
    stderr(`kansli: ${summary(errors.length, problems.length - errors.length)}${writes ? '; nothing was written' : ''}`);
  } else if (e instanceof UserError) {
    stderr(`kansli: ${e.message}`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    stderr(`kansli: internal error: ${message}`);
    stderr('This is a bug in kansli, not in your content; set KANSLI_DEBUG=1 for details.');
    if (process.env.KANSLI_DEBUG) stderr(String((e as Error)?.stack));
  }
}

/** Reports and exits 1; `writes` says whether the command would have written files. */
function fail(e: unknown, writes = true): never {
  report(e, writes);
  process.exit(1);
}

/** A combination of options that commander cannot rule out by itself. */
class UsageError extends UserError {}

interface CompareCliOptions {
  content: string;
  from?: string;
  to?: string;
  fromContent?: string;
  toContent?: string;
  out: string;
  format?: Format;
}

/** --from REV or --from-content DIR; --to REV, --to-content DIR, or the content folder as it is. */
function compareSources(opts: CompareCliOptions) {
  if ((opts.from === undefined) === (opts.fromContent === undefined)) {
    throw new UsageError('compare needs exactly one of --from REV (a git revision of the content folder) and --from-content DIR');
  }
  if (opts.to !== undefined && opts.toContent !== undefined) throw new UsageError('give --to REV or --to-content DIR, not both');
  const content = resolve(opts.content);
  const from = opts.from !== undefined ? { kind: 'git' as const, dir: content, rev: opts.from } : { kind: 'folder' as const, dir: resolve(opts.fromContent!) };
  const to =
    opts.to !== undefined ? { kind: 'git' as const, dir: content, rev: opts.to } : { kind: 'folder' as const, dir: opts.toContent !== undefined ? resolve(opts.toContent) : content };
  return { from, to };
}

const program = new Command()
  .name('kansli')
  .description('Builds the statutes and decision papers of Swedish public bodies from YAML, as DOCX and PDF.')
  .version(VERSION)
  .showHelpAfterError()
  .exitOverride();

program
  .command('check')
  .description('validate content (schemas and rules) without building anything')
  .option('--content <dir>', 'content folder', 'content')
  .addOption(new Option('--format <format>', 'how to print problems: text, or github for GitHub Actions annotations').choices(['text', 'github']).default('text'))
  .action(async (opts: { content: string; format: 'text' | 'github' }) => {
    const { check } = await import('./build/build.js');
    const github = opts.format === 'github';
    try {
      const { warnings } = check({ contentDir: resolve(opts.content) });
      for (const w of warnings) (github ? stdout : stderr)(github ? githubAnnotation(w) : describeProblem(w));
      stderr(`kansli check: ${summary(0, warnings.length)}${warnings.length > 0 ? ' (unknown facts to fill in)' : ''}`);
    } catch (e) {
      const problems = problemsOf(e);
      if (github && problems) {
        // One annotation per problem: GitHub shows each on its line of the pull request.
        for (const p of problems) stdout(githubAnnotation(p));
        const errors = problems.filter((p) => p.severity === 'error').length;
        stderr(`kansli check: ${summary(errors, problems.length - errors)}`);
        process.exit(1);
      }
      fail(e, false);
    }
  });

interface BuildFlags {
  content: string;
  out: string;
  only?: string;
  party?: string;
  format?: Format;
  force?: boolean;
  json?: boolean;
  workers?: string;
}

function buildOptions(opts: BuildFlags) {
  return {
    contentDir: resolve(opts.content),
    outDir: resolve(opts.out),
    ...(opts.only !== undefined ? { only: opts.only } : {}),
    ...(opts.party !== undefined ? { party: opts.party } : {}),
    ...(opts.format !== undefined ? { formats: [opts.format] } : {}),
    ...(opts.force ? { force: true } : {}),
    ...(opts.workers !== undefined ? { workers: Number(opts.workers) } : {}),
  };
}

/** A progress bar on a terminal; nothing per file otherwise (CI logs get a summary instead). */
async function progress(enabled: boolean): Promise<{ onProgress?: (e: ProgressEvent) => void; stop(): void }> {
  if (!enabled || !process.stderr.isTTY) return { stop() {} };
  const { SingleBar, Presets } = await import('cli-progress');
  const bar = new SingleBar(
    { format: 'kansli build {bar} {value}/{total} documents | {stem} | {duration_formatted}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
    Presets.shades_classic,
  );
  let started = false;
  return {
    onProgress(e) {
      if (!started) {
        bar.start(e.total, 0, { stem: '' });
        started = true;
      }
      bar.update(e.done, { stem: e.stem });
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** One line per kind of document: what a CI log should show. */
function summaryLines(result: BuildResult): string[] {
  const kinds = new Map<string, { written: number; skipped: number; ms: number }>();
  const entry = (doc: string) => kinds.get(doc) ?? kinds.set(doc, { written: 0, skipped: 0, ms: 0 }).get(doc)!;
  for (const f of result.written) entry(f.document).written++;
  for (const f of result.skipped) entry(f.document).skipped++;
  for (const [stem, ms] of Object.entries(result.durations)) entry(stem.split('/')[0]!).ms += ms;
  return [...kinds].map(([doc, k]) => `  ${doc}: ${k.written} written, ${k.skipped} skipped${k.written > 0 ? `, ${Math.round(k.ms)} ms rendering` : ''}`);
}

function jsonReport(result: BuildResult | null, error: unknown, started: number): string {
  const problems = error === null ? [] : (problemsOf(error) ?? [{ severity: 'error', file: '', position: { line: 1, column: 1 }, message: error instanceof Error ? error.message : String(error) }]);
  return JSON.stringify(
    {
      ok: error === null,
      milliseconds: Math.round(performance.now() - started),
      // Peak resident memory of the whole process, worker threads included.
      peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
      written: result?.written ?? [],
      skipped: result?.skipped.map((f) => f.path) ?? [],
      durations: result?.durations ?? {},
      errors: problems.filter((p) => p.severity === 'error'),
      warnings: [...(result?.warnings ?? []), ...problems.filter((p) => p.severity === 'warning')],
    },
    null,
    2,
  );
}

async function runBuild(opts: BuildFlags): Promise<BuildResult> {
  const { build } = await import('./build/build.js');
  const bar = await progress(!opts.json);
  try {
    return await build({ ...buildOptions(opts), ...(bar.onProgress ? { onProgress: bar.onProgress } : {}) });
  } finally {
    bar.stop();
  }
}

function printBuild(result: BuildResult, opts: BuildFlags, started: number): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (result.upToDate) {
    stdout(`kansli build: ${opts.out} is up to date (${result.skipped.length} files skipped, ${seconds} s)`);
    return;
  }
  const unknown = result.warnings.length > 0 ? `; ${result.warnings.length} unknown facts, listed by kansli check` : '';
  stdout(`kansli build: wrote ${result.written.length} files, skipped ${result.skipped.length} unchanged, in ${seconds} s${unknown}`);
  for (const line of summaryLines(result)) stdout(line);
}

const buildCommand = program
  .command('build')
  .description('build every document (or a selection) into the output folder; unchanged files are skipped')
  .option('--content <dir>', 'content folder', 'content')
  .option('--out <dir>', 'output folder (replaced as a whole, or not at all)', 'output')
  .option('--only <document>', 'build only this document id')
  .option('--party <id>', 'build only the documents for this member')
  .addOption(new Option('--format <format>', 'build only this format').choices(FORMATS))
  .option('--force', 'rebuild every file, even those whose inputs have not changed')
  .option('--json', 'print a machine-readable report on stdout')
  .addOption(new Option('--workers <n>', 'worker threads (0: render in the main thread; never more than the cores or the documents); default: the main thread below 48 documents, one worker per core from 48').argParser((v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a whole number');
    return v;
  }));
buildCommand.action(async (opts: BuildFlags) => {
  const started = performance.now();
  try {
    const result = await runBuild(opts);
    if (opts.json) stdout(jsonReport(result, null, started));
    else printBuild(result, opts, started);
  } catch (e) {
    if (opts.json) {
      stdout(jsonReport(null, e, started));
      process.exit(1);
    }
    fail(e);
  }
});

program
  .command('watch')
  .description('build, then rebuild the affected documents whenever content or templates change')
  .option('--content <dir>', 'content folder', 'content')
  .option('--out <dir>', 'output folder', 'output')
  .action(async (opts: BuildFlags) => {
    const { TEMPLATE_DIR } = await import('./render/template-files.js');
    let running = false;
    let again = false;
    const rebuild = async (): Promise<void> => {
      if (running) {
        again = true;
        return;
      }
      running = true;
      const started = performance.now();
      try {
        printBuild(await runBuild(opts), opts, started);
      } catch (e) {
        report(e); // keep watching: the author is about to fix it
      }
      running = false;
      if (again) {
        again = false;
        await rebuild();
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const changed = (_event: string, file: string | null): void => {
      if (file && !/\.(ya?ml|hbs)$/.test(file)) return;
      clearTimeout(timer);
      // Editors write in bursts (temp file, rename, chmod): wait for the burst to end.
      timer = setTimeout(() => void rebuild(), 150);
    };
    await rebuild();
    for (const dir of [resolve(opts.content), TEMPLATE_DIR]) watchFiles(dir, { recursive: true }, changed);
    stderr(`kansli watch: watching ${relative(process.cwd(), resolve(opts.content)) || '.'} and the templates; Ctrl-C to stop`);
  });

program
  .command('compare')
  .description('compare two versions of the charter: a comparison document and one amendment proposal per member')
  .option('--content <dir>', 'content folder: its git history gives --from/--to, and it is the proposed version when --to is not given', 'content')
  .option('--from <rev>', 'current version: the content folder at this git revision')
  .option('--to <rev>', 'proposed version: the content folder at this git revision')
  .option('--from-content <dir>', 'current version: this content folder')
  .option('--to-content <dir>', 'proposed version: this content folder')
  .option('--out <dir>', 'output folder (replaced as a whole, or not at all)', 'jamforelse')
  .addOption(new Option('--format <format>', 'write only this format').choices(FORMATS))
  .action(async (opts: CompareCliOptions) => {
    const { compareVersions } = await import('./compare/run.js');
    try {
      const result = await compareVersions({
        ...compareSources(opts),
        outDir: resolve(opts.out),
        ...(opts.format !== undefined ? { formats: [opts.format] } : {}),
      });
      const { from, to, summary: sentence } = result.comparison;
      stdout(`kansli compare: version ${from.hash} → ${to.hash}: ${sentence ?? 'no changes'}`);
      stdout(`kansli compare: wrote ${result.written.length} files and manifest.json to ${opts.out}`);
    } catch (e) {
      fail(e);
    }
  });

program
  .command('status')
  .description('list, per document, who has signed and who has not')
  .option('--content <dir>', 'content folder', 'content')
  .option('--require-complete', 'exit 1 while a required signature is missing (for CI gates)')
  .action(async (opts: { content: string; requireComplete?: boolean }) => {
    const { check } = await import('./build/build.js');
    const { formatStatus, signatureStatus } = await import('./build/status.js');
    try {
      const { content } = check({ contentDir: resolve(opts.content) });
      const status = signatureStatus(content);
      for (const line of formatStatus(status)) stdout(line);
      const missing = status.flatMap((s) => s.missing.map((m) => `${s.document}: ${m}`));
      if (opts.requireComplete && missing.length > 0) {
        stderr(`kansli status: ${missing.length} required signature${missing.length === 1 ? ' is' : 's are'} missing:`);
        for (const m of missing) stderr(`  ${m}`);
        process.exit(1);
      }
    } catch (e) {
      fail(e, false);
    }
  });

program
  .command('sign')
  .description("sign a built PDF (PAdES, incremental: earlier signatures stay valid); the certificate's passphrase is read from KANSLI_CERT_PASSPHRASE")
  .argument('<input>', 'a PDF made by kansli build')
  .requiredOption('--cert <file>', 'PKCS#12 certificate file (.p12 or .pfx)')
  .option('--out <file>', 'write the signed PDF here instead of signing the input in place')
  .option('--reason <text>', 'reason for signing, e.g. "Godkänd"')
  .option('--location <text>', 'where the signature was made, e.g. "Västerås"')
  .option('--name <text>', "signer's name (default: the certificate's common name)")
  .action(async (input: string, opts: { cert: string; out?: string; reason?: string; location?: string; name?: string }) => {
    const { PASSPHRASE_VARIABLE, signPdf } = await import('./sign/sign.js');
    try {
      const result = await signPdf({
        input: resolve(input),
        cert: resolve(opts.cert),
        passphrase: process.env[PASSPHRASE_VARIABLE],
        ...(opts.out !== undefined ? { output: resolve(opts.out) } : {}),
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
        ...(opts.location !== undefined ? { location: opts.location } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      });
      stdout(`kansli sign: ${result.output} signed by ${result.signer} (signature ${result.signatures})`);
    } catch (e) {
      fail(e);
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Usage errors: commander has printed its message and the help already.
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : 1);
  fail(e);
}
