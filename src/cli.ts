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
import { formatStatus, signatureStatus } from './build/status.js';
import { ProblemsError, type Problem } from './content/problems.js';
import { TemplateError } from './render/templates.js';
import { describeProblem, summary } from './report.js';
import { IncrementError } from './sign/increment.js';
import { OpensslError } from './sign/openssl.js';
import { PASSPHRASE_VARIABLE, SignError, signPdf } from './sign/sign.js';

// A closed pipe (`kansli status | head`) ends the output, not the program with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? 0 : 1));

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
  } else if (e instanceof PlanError || e instanceof OutputError || e instanceof BuildError || e instanceof SignError || e instanceof OpensslError || e instanceof IncrementError) {
    stderr(`kansli: ${e.message}`);
  } else {
    const message = e instanceof Error ? e.message : String(e);
    stderr(`kansli: internal error: ${message}`);
    stderr('This is a bug in kansli, not in your content; set KANSLI_DEBUG=1 for details.');
    if (process.env.KANSLI_DEBUG) stderr(String((e as Error)?.stack));
  }
  process.exit(1);
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
  .command('status')
  .description('list, per document, who has signed and who has not')
  .option('--content <dir>', 'content folder', 'content')
  .option('--require-complete', 'exit 1 while a required signature is missing (for CI gates)')
  .action((opts: { content: string; requireComplete?: boolean }) => {
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
      fail(e);
    }
  });

program
  .command('sign')
  .description(`sign a built PDF (PAdES, incremental: earlier signatures stay valid); the certificate's passphrase is read from ${PASSPHRASE_VARIABLE}`)
  .argument('<input>', 'a PDF made by kansli build')
  .requiredOption('--cert <file>', 'PKCS#12 certificate file (.p12 or .pfx)')
  .option('--out <file>', 'write the signed PDF here instead of signing the input in place')
  .option('--reason <text>', 'reason for signing, e.g. "Godkänd"')
  .option('--location <text>', 'where the signature was made, e.g. "Västerås"')
  .option('--name <text>', "signer's name (default: the certificate's common name)")
  .action(async (input: string, opts: { cert: string; out?: string; reason?: string; location?: string; name?: string }) => {
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
