/**
 * The README's pictures of the Västmanland documents, made by the build: the repository's
 * project as it is (no style) and docs/example-style (the same content with a letterhead logo),
 * each built into a temporary folder, and the first page of the charter drawn with poppler's
 * pdftoppm into docs/vastmanland-plain.png and docs/vastmanland-styled.png.
 *
 * Run by `npm run pictures` (after `npm run compile`); needs pdftoppm (Debian: poppler-utils).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const cli = join(root, 'dist', 'bundle', 'cli.js');
const work = mkdtempSync(join(tmpdir(), 'kansli-pictures-'));

function run(program, args) {
  const r = spawnSync(program, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'inherit', 'inherit'] });
  if (r.error?.code === 'ENOENT') throw new Error(`${program} is not installed (Debian: poppler-utils)`);
  if (r.status !== 0) throw new Error(`${program} ${args.join(' ')} exited with ${r.status}`);
}

const pictures = [
  { name: 'vastmanland-plain', project: root },
  { name: 'vastmanland-styled', project: join(root, 'docs', 'example-style') },
];
try {
  for (const { name, project } of pictures) {
    const out = join(work, name);
    run(process.execPath, [cli, 'build', '--project', project, '--out', out, '--only', 'forbundsordning', '--format', 'pdf']);
    // 60 dpi: a page about 500 pixels wide, readable beside the text.
    run('pdftoppm', ['-png', '-r', '60', '-f', '1', '-l', '1', '-singlefile', join(out, 'forbundsordning', 'forbundsordning.pdf'), join(work, name)]);
    renameSync(join(work, `${name}.png`), join(root, 'docs', `${name}.png`));
    console.log(`docs/${name}.png`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
