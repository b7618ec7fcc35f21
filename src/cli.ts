#!/usr/bin/env node
/**
 * The command line: parse arguments, call the library (src/build/build.ts), print. Nothing else.
 * Every failure the user can cause ends in a message and exit code 1, never a stack trace.
 */
import { resolve } from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { build, BuildError, check, GENERATOR } from './build/build.js';
import { OutputError } from './build/output.js';
import { FORMATS, PlanError, type Format } from './build/plan.js';
import { ProblemsError, type Problem } from './content/problems.js';
import { compareVersions, DEFAULT_COMPARE_OUT } from './compare/run.js';
import { SourceError, type Source } from './compare/sources.js';
import { TemplateError } from './render/templates.js';
import { describeProblem, summary } from './report.js';

const stderr = (line: string): void => void process.stderr.write(line + '\n');
const stdout = (line: string): void => void process.stdout.write(line + '\n');

function printProblems(problems: readonly Problem[]): void {
  for (const p of problems) stderr(describeProblem(p));
}

/** Turns any failure into what the user should read; unknown failures are bugs, said as such. */
function fail(e: unknown): never {
  if (e instanceof ProblemsError) {
    // Errors only: the unknown facts (warnings) would bury them; kansli check lists those once errors are fixed.
    const errors = e.problems.filter((p) => p.severity === 'error');
    printProblems(errors);
    stderr(`kansli: ${summary(errors.length, e.problems.length - errors.length)}; nothing was written`);
  } else if (e instanceof TemplateError) {
    printProblems([e.problem]);
    stderr('kansli: a template failed; nothing was written');
  } else if (e instanceof PlanError || e instanceof OutputError || e instanceof BuildError || e instanceof SourceError || e instanceof UsageError) {
    stderr(`kansli: ${e.message}`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    stderr(`kansli: internal error: ${message}`);
    stderr('This is a bug in kansli, not in your content; set KANSLI_DEBUG=1 for details.');
    if (process.env.KANSLI_DEBUG) stderr(String((e as Error)?.stack));
  }
  process.exit(1);
}

/** A combination of options that commander cannot rule out by itself. */
class UsageError extends Error {}

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
function compareSources(opts: CompareCliOptions): { from: Source; to: Source } {
  if ((opts.from === undefined) === (opts.fromContent === undefined)) {
    throw new UsageError('compare needs exactly one of --from REV (a git revision of the content folder) and --from-content DIR');
  }
  if (opts.to !== undefined && opts.toContent !== undefined) throw new UsageError('give --to REV or --to-content DIR, not both');
  const content = resolve(opts.content);
  const from: Source = opts.from !== undefined ? { kind: 'git', dir: content, rev: opts.from } : { kind: 'folder', dir: resolve(opts.fromContent!) };
  const to: Source =
    opts.to !== undefined ? { kind: 'git', dir: content, rev: opts.to } : { kind: 'folder', dir: opts.toContent !== undefined ? resolve(opts.toContent) : content };
  return { from, to };
}

const program = new Command()
  .name('kansli')
  .description('Builds the statutes and decision papers of Swedish public bodies from YAML, as DOCX and PDF.')
  .version(GENERATOR.split(' ')[1]!)
  .showHelpAfterError()
  .exitOverride();

program
  .command('check')
  .description('validate content (schemas and rules) without building anything')
  .option('--content <dir>', 'content folder', 'content')
  .action((opts: { content: string }) => {
    try {
      const { warnings } = check({ contentDir: resolve(opts.content) });
      printProblems(warnings);
      stderr(`kansli check: ${summary(0, warnings.length)}${warnings.length > 0 ? ' (unknown facts to fill in)' : ''}`);
    } catch (e) {
      fail(e);
    }
  });

program
  .command('build')
  .description('build every document (or a selection) into the output folder')
  .option('--content <dir>', 'content folder', 'content')
  .option('--out <dir>', 'output folder (replaced as a whole, or not at all)', 'output')
  .option('--only <document>', 'build only this document id')
  .option('--party <id>', 'build only the documents for this member')
  .addOption(new Option('--format <format>', 'build only this format').choices(FORMATS))
  .action(async (opts: { content: string; out: string; only?: string; party?: string; format?: Format }) => {
    try {
      const result = await build({
        contentDir: resolve(opts.content),
        outDir: resolve(opts.out),
        ...(opts.only !== undefined ? { only: opts.only } : {}),
        ...(opts.party !== undefined ? { party: opts.party } : {}),
        ...(opts.format !== undefined ? { formats: [opts.format] } : {}),
      });
      const unknown = result.warnings.length > 0 ? `; ${result.warnings.length} unknown facts, listed by kansli check` : '';
      stdout(`kansli build: wrote ${result.written.length} files and manifest.json to ${opts.out}${unknown}`);
    } catch (e) {
      fail(e);
    }
  });

program
  .command('compare')
  .description('compare two versions of the charter: a comparison document and one amendment proposal per member')
  .option('--content <dir>', 'content folder: its git history gives --from/--to, and it is the proposed version when --to is not given', 'content')
  .option('--from <rev>', 'current version: the content folder at this git revision')
  .option('--to <rev>', 'proposed version: the content folder at this git revision')
  .option('--from-content <dir>', 'current version: this content folder')
  .option('--to-content <dir>', 'proposed version: this content folder')
  .option('--out <dir>', 'output folder (replaced as a whole, or not at all)', DEFAULT_COMPARE_OUT)
  .addOption(new Option('--format <format>', 'write only this format').choices(FORMATS))
  .action(async (opts: CompareCliOptions) => {
    try {
      const result = await compareVersions({
        ...compareSources(opts),
        outDir: resolve(opts.out),
        ...(opts.format !== undefined ? { formats: [opts.format] } : {}),
      });
      const { from, to, summary } = result.comparison;
      stdout(`kansli compare: version ${from.hash} → ${to.hash}: ${summary ?? 'no changes'}`);
      stdout(`kansli compare: wrote ${result.written.length} files and manifest.json to ${opts.out}`);
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
