#!/usr/bin/env node
/**
 * The command line: parse arguments, call the library, print. Nothing else.
 * Every failure the user can cause ends in a message and exit code 1, never a stack trace.
 * Heavy modules (validation, rendering, writers) are imported only by the commands that use
 * them, so an up-to-date `kansli build` answers in a fraction of a second.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { BuildResult, ProgressEvent } from './pipeline/build.js';
import { displayPath, formatProblem, ProblemsError, TemplateError, type Problem } from './content/problems.js';
import { rescueWarning, type Rescued } from './sign/rescue.js';
import { signedDirFor } from './sign/place.js';
import { UserError } from './errors.js';
import { fileSystemError } from './fs-errors.js';
import { describeProblem, githubAnnotation, summary } from './report.js';
import { VERSION } from './pipeline/version.js';
import { resolveProject, type Project } from './project/project.js';
import { FORMATS, type Format } from './pipeline/plan.js';

// A closed pipe (`kansli status | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));


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
  // A file-system failure that escaped a more specific message is still the user's to fix.
  e = fileSystemError(e, 'a file or folder could not be used');
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

/** A combination of options that commander cannot rule out by itself. */
class UsageError extends UserError {}

/** Exit status: 2 for a usage error (the command line itself is wrong), 1 for any other problem. */
const EXIT_USAGE = 2;

/** Reports and exits 1 (2 for usage errors); `writes` says whether the command would have written files. */
function fail(e: unknown, writes = true): never {
  report(e, writes);
  process.exit(e instanceof UsageError ? EXIT_USAGE : 1);
}

/**
 * Ctrl-C or a SIGTERM while files are written: remove the unfinished staging folder (the output
 * folder is untouched until the commit, which runs without yielding to signals), say so, and
 * exit 130 or 143 as shells do. The lock is released on exit by proper-lockfile.
 */
async function cleanUpOnSignals(): Promise<void> {
  const { abortUnfinishedOutputs } = await import('./pipeline/output.js');
  for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
    process.once(signal, () => {
      abortUnfinishedOutputs();
      stderr(`kansli: stopped by ${signal}; the output folder was left as it was`);
      process.exit(status);
    });
  }
}

/** What a build says about the output folder beyond its files (repairs, kept files, a damaged manifest). */
function printNotices(notices: readonly string[]): void {
  for (const n of notices) stderr(`kansli: note: ${n}`);
}

/** A whole number option, such as --max-words 35. */
function wholeNumber(v: string): string {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a whole number');
  return v;
}

const PROJECT_OPTION = ['--project <dir>', 'project folder (or its kansli.yaml); default: the nearest kansli.yaml upward from here, else this folder'] as const;

/**
 * The project's folders, with --content, --templates and --out (relative to the working
 * directory) taking precedence over kansli.yaml's (relative to the project file).
 */
interface Paths {
  readonly project: Project;
  readonly contentDir: string;
  readonly templatesDir: string;
  readonly outDir: string;
}

function paths(opts: { project?: string; content?: string; out?: string }, writes = true): Paths {
  let project: Project;
  try {
    project = resolveProject(opts.project !== undefined ? { project: opts.project } : {});
  } catch (e) {
    fail(e, writes);
  }
  return {
    project,
    contentDir: opts.content !== undefined ? resolve(opts.content) : project.contentDir,
    templatesDir: project.templatesDir,
    outDir: opts.out !== undefined ? resolve(opts.out) : project.outDir,
  };
}

/**
 * The signed folder: --signed; else kansli.yaml's `signed:` when the files in play are the
 * project's own (its output folder, or a PDF inside its output or signed folder); else each
 * command's own default, `signerat/` beside the output folder in question.
 */
function signedOption(opts: { signed?: string; out?: string }, where: Paths, input?: string): { signedDir?: string } {
  if (opts.signed !== undefined) return { signedDir: resolve(opts.signed) };
  const { project } = where;
  if (project.file === null) return {};
  const inside = (dir: string, path: string): boolean => !relative(dir, path).startsWith('..') && !isAbsolute(relative(dir, path));
  const ours = input === undefined ? opts.out === undefined : inside(project.outDir, input) || inside(project.signedDir, input);
  return ours ? { signedDir: project.signedDir } : {};
}

interface CompareCliOptions {
  project?: string;
  content?: string;
  from?: string;
  to?: string;
  fromContent?: string;
  toContent?: string;
  out?: string;
  format?: Format;
}

/** --from REV or --from-content DIR; --to REV, --to-content DIR, or the content folder as it is. */
function compareSources(opts: CompareCliOptions, content: string) {
  if ((opts.from === undefined) === (opts.fromContent === undefined)) {
    throw new UsageError('compare needs exactly one of --from REV (a git revision of the content folder) and --from-content DIR');
  }
  if (opts.to !== undefined && opts.toContent !== undefined) throw new UsageError('give --to REV or --to-content DIR, not both');
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
  .option(...PROJECT_OPTION)
  .option('--content <dir>', "content folder (default: the project's)")
  .addOption(new Option('--format <format>', 'how to print problems: text, or github for GitHub Actions annotations').choices(['text', 'github']).default('text'))
  .action(async (opts: { project?: string; content?: string; format: 'text' | 'github' }) => {
    const { check } = await import('./pipeline/build.js');
    const github = opts.format === 'github';
    const where = paths(opts, false);
    const { contentDir, templatesDir } = where;
    try {
      const { warnings } = check({ contentDir, templatesDir, ...imageOptions(where), typography: where.project.typography });
      for (const w of warnings) (github ? stdout : stderr)(github ? githubAnnotation(w) : describeProblem(w));
      stderr(`kansli check: ${summary(0, warnings.length)}${warnings.length > 0 ? ' (unknown facts to fill in, drafting proposals to settle)' : ''}`);
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
  project?: string;
  content?: string;
  out?: string;
  only?: string;
  party?: string;
  format?: Format;
  force?: boolean;
  json?: boolean;
  workers?: string;
  signed?: string;
}

/** The project's folder, in which its images lie, and kansli.yaml's logo. */
function imageOptions(where: Paths) {
  return { root: where.project.root, logo: where.project.logo };
}

function buildOptions(opts: BuildFlags, where: Paths) {
  return {
    contentDir: where.contentDir,
    templatesDir: where.templatesDir,
    ...imageOptions(where),
    outDir: where.outDir,
    typography: where.project.typography,
    ...signedOption(opts, where),
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

function jsonReport(result: BuildResult | null, error: unknown, started: number, rescued: readonly Rescued[]): string {
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
      warnings: [...rescued.map(rescueWarning), ...(result?.warnings ?? []), ...problems.filter((p) => p.severity === 'warning')],
      // Signed PDFs the build found in the output folder and moved to the signed folder (also when it then failed).
      rescued,
    },
    null,
    2,
  );
}

/** Runs a build; `onRescued` hears of each signed PDF moved out of the output folder as it happens. */
async function runBuild(opts: BuildFlags, where: Paths, onRescued: (r: Rescued) => void): Promise<BuildResult> {
  const { build } = await import('./pipeline/build.js');
  const bar = await progress(!opts.json);
  // The style's warnings (a font family without its italic) are said on every build, not only by check.
  if (!opts.json) for (const w of where.project.typography.warnings) stderr(describeProblem(w));
  try {
    const result = await build({ ...buildOptions(opts, where), onRescued, ...(bar.onProgress ? { onProgress: bar.onProgress } : {}), onWait: (message) => stderr(`kansli: ${message}`) });
    printNotices(result.notices);
    return result;
  } finally {
    bar.stop();
  }
}

/** A moved signed PDF, said on stderr at once: the user hears of it even if the build then fails. */
const sayRescued = (r: Rescued): void => stderr(formatProblem(rescueWarning(r)));

function printBuild(result: BuildResult, where: Paths, started: number): void {
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  if (result.upToDate) {
    stdout(`kansli build: ${displayPath(where.outDir)} is up to date (${result.skipped.length} files skipped, ${seconds} s)`);
    return;
  }
  const facts = result.warnings.filter((w) => !where.project.typography.warnings.includes(w)).length;
  const unknown = facts > 0 ? `; ${facts} warnings (unknown facts, drafting proposals), listed by kansli check` : '';
  stdout(`kansli build: wrote ${result.written.length} files, skipped ${result.skipped.length} unchanged, in ${seconds} s${unknown}`);
  for (const line of summaryLines(result)) stdout(line);
}

const buildCommand = program
  .command('build')
  .description('build every document (or a selection) into the output folder; unchanged files are skipped')
  .option(...PROJECT_OPTION)
  .option('--content <dir>', "content folder (default: the project's)")
  .option('--out <dir>', "output folder, replaced as a whole or not at all (default: the project's)")
  .option('--only <document>', 'build only this document id')
  .option('--party <id>', 'build only the documents for this member')
  .addOption(new Option('--format <format>', 'build only this format').choices(FORMATS))
  .option('--force', 'rebuild every file, even those whose inputs have not changed')
  .option('--signed <dir>', 'folder of signed documents, which builds never write in (default: signerat beside the output folder)')
  .option('--json', 'print a machine-readable report on stdout')
  .addOption(new Option('--workers <n>', 'worker threads (0: render in the main thread; never more than the cores or the documents); default: the main thread below 48 documents, one worker per core from 48').argParser((v) => {
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError('a whole number');
    return v;
  }));
buildCommand.action(async (opts: BuildFlags) => {
  await cleanUpOnSignals();
  const started = performance.now();
  const where = paths(opts);
  const rescued: Rescued[] = [];
  try {
    const result = await runBuild(opts, where, opts.json ? (r) => void rescued.push(r) : sayRescued);
    if (opts.json) stdout(jsonReport(result, null, started, rescued));
    else printBuild(result, where, started);
  } catch (e) {
    if (opts.json) {
      stdout(jsonReport(null, e, started, rescued));
      process.exit(1);
    }
    fail(e);
  }
});

program
  .command('watch')
  .description('build, then rebuild the affected documents whenever content or templates change')
  .option(...PROJECT_OPTION)
  .option('--content <dir>', "content folder (default: the project's)")
  .option('--out <dir>', "output folder (default: the project's)")
  .action(async (opts: BuildFlags) => {
    await cleanUpOnSignals();
    const { TEMPLATE_DIR } = await import('./render/template-files.js');
    const where = paths(opts);
    const { watchFolder } = await import('./watch.js');
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
        printBuild(await runBuild(opts, where, sayRescued), where, started);
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
    const changed = (): void => {
      clearTimeout(timer);
      // Editors save in bursts (temporary file, rename, chmod), git checkout in larger ones: wait for the end.
      timer = setTimeout(() => void rebuild(), 200);
    };
    // The content folder is watched even while it is gone (it may come back); a project need not
    // have a templates folder of its own. Watching starts before the first build and is ready
    // before it is announced, so that no save made after the announcement (or during that build)
    // goes unseen.
    const dirs = [...new Set([where.contentDir, where.templatesDir, TEMPLATE_DIR])].filter((d, i) => i === 0 || existsSync(d));
    const watchers = dirs.map((dir) => watchFolder(dir, changed, (state) => stderr(state === 'gone' ? `kansli watch: ${dir} is gone; waiting for it to come back` : `kansli watch: ${dir} is back`)));
    await Promise.all(watchers.map((w) => w.ready));
    await rebuild();
    stderr(`kansli watch: watching ${relative(process.cwd(), where.contentDir) || '.'} and the templates; Ctrl-C to stop`);
  });

program
  .command('init')
  .description('make a new project: kansli.yaml, content/, templates/, .gitignore, a GitHub workflow and editor settings')
  .argument('[dir]', 'the project folder, new or empty', '.')
  .addOption(new Option('--example <name>', 'start from a worked example instead of an empty project').choices(['vastmanland', 'exempelforbundet']))
  .action(async (dir: string, opts: { example?: 'vastmanland' | 'exempelforbundet' }) => {
    const { initProject } = await import('./project/init.js');
    try {
      const result = initProject({ dir, ...(opts.example !== undefined ? { example: opts.example } : {}) });
      const where = relative(process.cwd(), result.root) || '.';
      stdout(`kansli init: made ${where}${opts.example ? ` from the example ${opts.example}` : ''}:`);
      for (const file of result.files) stdout(`  ${file}`);
      const cd = where === '.' ? '' : `cd ${where} && `;
      stdout(opts.example ? `Next: ${cd}npx kansli build` : `Next: ${cd}npx kansli check, and fill in what it lists, file by file`);
    } catch (e) {
      fail(e);
    }
  });

program
  .command('compare')
  .description('compare two versions of the charter: a comparison document and one amendment proposal per member')
  .option(...PROJECT_OPTION)
  .option('--content <dir>', "content folder (default: the project's): its git history gives --from/--to, and it is the proposed version when --to is not given")
  .option('--from <rev>', 'current version: the content folder at this git revision')
  .option('--to <rev>', 'proposed version: the content folder at this git revision')
  .option('--from-content <dir>', 'current version: this content folder')
  .option('--to-content <dir>', 'proposed version: this content folder')
  .option('--out <dir>', 'output folder, replaced as a whole or not at all (default: jamforelse/ in the project folder)')
  .addOption(new Option('--format <format>', 'write only this format').choices(FORMATS))
  .action(async (opts: CompareCliOptions) => {
    await cleanUpOnSignals();
    const { compareVersions } = await import('./compare/run.js');
    const where = paths(opts);
    const outDir = opts.out !== undefined ? resolve(opts.out) : resolve(where.project.root, 'jamforelse');
    try {
      const result = await compareVersions({
        ...compareSources(opts, where.contentDir),
        templatesDir: where.templatesDir,
        typography: where.project.typography,
        outDir,
        ...(opts.format !== undefined ? { formats: [opts.format] } : {}),
      });
      for (const r of result.rescued) stderr(formatProblem(rescueWarning(r)));
      const { from, to, summary: sentence } = result.comparison;
      stdout(`kansli compare: version ${from.hash} → ${to.hash}: ${sentence ?? 'no changes'}`);
      stdout(`kansli compare: wrote ${result.written.length} files and manifest.json to ${displayPath(outDir)}`);
    } catch (e) {
      fail(e);
    }
  });

program
  .command('status')
  .description("where every member stands: its decision on each decision paper, and its signature on each document members sign")
  .option(...PROJECT_OPTION)
  .option('--content <dir>', "content folder (default: the project's)")
  .option('--json', 'print the report as JSON (its shape: README, kansli status)')
  .option('--require-complete', 'exit 1 while a decision is pending, declined or on another charter version, or a signature is missing (for CI gates)')
  .action(async (opts: { project?: string; content?: string; json?: boolean; requireComplete?: boolean }) => {
    const { check } = await import('./pipeline/build.js');
    const { formatStatus, statusReport } = await import('./pipeline/status.js');
    const where = paths(opts, false);
    const { contentDir, templatesDir } = where;
    try {
      const { content } = check({ contentDir, templatesDir, ...imageOptions(where), typography: where.project.typography });
      const report = statusReport(content);
      if (opts.json) stdout(JSON.stringify(report, null, 2));
      else for (const line of formatStatus(report)) stdout(line);
      if (opts.requireComplete && !report.complete) {
        const n = report.outstanding.length;
        stderr(`kansli status: not complete: ${n} thing${n === 1 ? ' is' : 's are'} outstanding:`);
        for (const line of report.outstanding) stderr(`  ${line}`);
        process.exit(1);
      }
    } catch (e) {
      fail(e, false);
    }
  });

const lintCommand = program
  .command('lint')
  .description('plain-language check: LIX per document, sentences over 35 words and glossary terms used before they are explained, with their places in content and templates')
  .option(...PROJECT_OPTION)
  .option('--content <dir>', "content folder (default: the project's)")
  .option('--json', 'print the report as JSON on stdout')
  .addOption(new Option('--max-words <n>', 'report sentences longer than this many words').default('35').argParser(wholeNumber))
  .addOption(new Option('--max-lix <n>', 'exit 1 when a copy of a document has a LIX above this (for CI)').argParser((v) => {
    if (!/^\d+(\.\d+)?$/.test(v)) throw new InvalidArgumentError('a number, such as 50 or 52.5');
    return v;
  }))
  .addOption(new Option('--fail-on <kinds>', 'exit 1 when there are findings of these kinds, comma-separated: long-sentences, terms (for CI)').argParser((v) => {
    const kinds = v.split(',').map((k) => k.trim());
    const bad = kinds.find((k) => !(['long-sentences', 'terms'] as string[]).includes(k));
    if (bad !== undefined) throw new InvalidArgumentError(`unknown kind "${bad}"; the kinds are long-sentences and terms`);
    return kinds;
  }));
lintCommand.action(async (opts: { project?: string; content?: string; json?: boolean; maxWords: string; maxLix?: string; failOn?: string[] }) => {
  const { lint } = await import('./lint/lint.js');
  const { formatReport, gateFailures } = await import('./lint/format.js');
  const { contentDir, templatesDir } = paths(opts, false);
  try {
    const report = lint({ contentDir, templatesDir, maxWords: Number(opts.maxWords) });
    const failures = gateFailures(report, {
      ...(opts.maxLix !== undefined ? { maxLix: Number(opts.maxLix) } : {}),
      ...(opts.failOn !== undefined ? { failOn: opts.failOn as ('long-sentences' | 'terms')[] } : {}),
    });
    if (opts.json) stdout(JSON.stringify({ ...report, ok: failures.length === 0, failures }, null, 2));
    else for (const line of formatReport(report)) stdout(line);
    if (failures.length > 0) {
      for (const f of failures) stderr(`kansli lint: ${f}`);
      process.exit(1);
    }
  } catch (e) {
    fail(e, false);
  }
});

program
  .command('sign')
  .description("sign a built PDF (PAdES, incremental: earlier signatures stay valid) into the signed folder; the certificate's passphrase is read from KANSLI_CERT_PASSPHRASE")
  .argument('<input>', 'a PDF made by kansli build')
  .option(...PROJECT_OPTION)
  .requiredOption('--cert <file>', 'PKCS#12 certificate file (.p12 or .pfx)')
  .option('--out <file>', 'write the signed PDF here (never inside an output folder)')
  .option('--signed <dir>', 'folder of signed documents (default: signerat beside the output folder)')
  .option('--reason <text>', 'reason for signing, e.g. "Godkänd"')
  .option('--location <text>', 'where the signature was made, e.g. "Västerås"')
  .option('--name <text>', "signer's name (default: the certificate's common name)")
  .action(async (input: string, opts: { project?: string; cert: string; out?: string; signed?: string; reason?: string; location?: string; name?: string }) => {
    // A bad kansli.yaml is reported before anything is signed; its `signed:` folder is where
    // signed copies go unless --signed says otherwise.
    const where = paths(opts);
    try {
      // Garbage is refused before the signing code (pdf-lib, @signpdf) is even loaded.
      (await import('./sign/sound.js')).readSignable(resolve(input));
      const { PASSPHRASE_VARIABLE, signPdf } = await import('./sign/sign.js');
      const result = await signPdf({
        input: resolve(input),
        cert: resolve(opts.cert),
        passphrase: process.env[PASSPHRASE_VARIABLE],
        ...(opts.out !== undefined ? { output: resolve(opts.out) } : {}),
        ...signedOption({ ...(opts.signed !== undefined ? { signed: opts.signed } : {}) }, where, resolve(input)),
        ...(opts.reason !== undefined ? { reason: opts.reason } : {}),
        ...(opts.location !== undefined ? { location: opts.location } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
      });
      const added = result.addedToExisting ? '; added to the signed copy already there' : '';
      stdout(`kansli sign: ${displayPath(result.output)} signed by ${result.signer} (signature ${result.signatures}${added})`);
    } catch (e) {
      fail(e);
    }
  });

program
  .command('verify')
  .description('check every signature in signed PDFs: signer, time, intact bytes, certificate, and whether the document is the letter kansli built')
  .argument('<files...>', 'signed PDFs')
  .option(...PROJECT_OPTION)
  .option('--content <dir>', "content folder (default: the project's): its members, and with --record its documents.yaml")
  .option('--out <dir>', "output folder whose manifest.json says what kansli built (default: the project's)")
  .option('--signed <dir>', 'folder of signed documents (default: signerat beside the output folder)')
  .option('--json', 'print a machine-readable report on stdout')
  .option('--record', 'write the verified signatures into documents.yaml (comments and layout kept)')
  .action(async (files: string[], opts: { project?: string; content?: string; out?: string; signed?: string; json?: boolean; record?: boolean }) => {
    const where = paths(opts, opts.record === true);
    try {
      const { runVerify } = await import('./sign/verify-command.js');
      const { ok, lines, json, recorded } = await runVerify({
        files: files.map((f) => resolve(f)),
        contentDir: where.contentDir,
        templatesDir: where.templatesDir,
        outDir: where.outDir,
        signedDir: signedOption(opts, where).signedDir ?? (opts.out !== undefined ? signedDirFor(where.outDir) : where.project.signedDir),
        projectRoot: where.project.root,
        record: opts.record === true,
      });
      if (opts.json) stdout(JSON.stringify(json, null, 2));
      else for (const line of lines) stdout(line);
      for (const line of recorded) stderr(`kansli verify: ${line}`);
      if (!ok) process.exit(1);
    } catch (e) {
      fail(e, opts.record === true);
    }
  });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  // Usage errors: commander has printed its message and the help already.
  if (e instanceof CommanderError) process.exit(e.exitCode === 0 ? 0 : EXIT_USAGE);
  fail(e);
}
