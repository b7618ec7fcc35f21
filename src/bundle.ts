/**
 * Bundles the compiled CLI and the build worker (dist/cli.js, dist/build/worker.js) into
 * dist/bundle/, which the `kansli` bin runs. Node loads ES modules one file at a time, and a
 * build loads some two hundred of them (ours and our dependencies'): one bundle, split where
 * the CLI imports lazily, starts a cold build about a tenth of a second sooner.
 *
 * pdfkit, fontkit and docx stay outside: each is a single file already, and pdfkit reads its
 * data files from beside its own module. The bundle sits two folders below the project root,
 * like src/ and dist/ modules, so the paths they compute from import.meta.url hold for all three.
 * Run by `npm run compile`, after tsc.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const dist = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

rmSync(dist('./bundle/'), { recursive: true, force: true });
await build({
  entryPoints: [dist('./cli.js'), dist('./build/worker.js')],
  outdir: dist('./bundle/'),
  entryNames: '[name]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['pdfkit', 'fontkit', 'docx'],
  // Some bundled packages are CommonJS and call require, which an ES module does not have.
  banner: { js: "import { createRequire as kansliCreateRequire } from 'node:module'; const require = kansliCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
