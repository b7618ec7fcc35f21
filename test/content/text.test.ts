/**
 * Text that cannot be printed faithfully never reaches a document: the loader refuses it where it
 * is written, in words a secretary can act on.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/pipeline/build.js';
import { COVERAGE_FILE, facesLacking, fontStamp, inRanges, readCoverage, toRanges } from '../../src/content/coverage.js';
import { ProblemsError, type Problem } from '../../src/content/problems.js';
import { decodeContent, firstInvalidUtf8, MAX_FILE_BYTES, readContentFile, utf16Kind } from '../../src/content/read.js';
import { badCharacters, isInvisibleOnly, isPlain, refusalOf } from '../../src/content/text.js';
import { CLI, contentCopy, CONTENT, ROOT } from '../helpers.js';
import { checkErrors } from './errors.js';
import { HOSTILE } from './hostile.js';

const errorsOf = checkErrors;

describe('hostile text in the content is refused at file:line:column', () => {
  for (const c of HOSTILE) {
    it(c.name, () => {
      const dir = contentCopy();
      const where = c.apply(dir);
      const errors = errorsOf(dir);
      expect(errors.map((p) => `${p.file}:${p.position.line}:${p.position.column}: ${p.message}`)).toHaveLength(1);
      const [p] = errors;
      expect(p!.file).toBe(join(dir, where.file));
      expect({ line: p!.position.line, column: p!.position.column }).toEqual({ line: where.line, column: where.column });
      expect(p!.message).toMatch(c.message);
    });
  }

  it('accepts a UTF-8 byte order mark, and counts columns without it', () => {
    const dir = contentCopy();
    const path = join(dir, 'parties.yaml');
    writeFileSync(path, Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), readFileSync(path)]));
    expect(check({ contentDir: dir }).content.members).toHaveLength(13);
    writeFileSync(path, Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from('county: \u202eX\n')]));
    const bidi = errorsOf(dir).find((p) => p.file === path);
    expect(bidi?.position).toEqual({ line: 1, column: 9 });
  });

  it('allows what Swedish text needs: å ä ö é, § – ” …, no-break and narrow no-break spaces, soft hyphens inside words', () => {
    const dir = contentCopy();
    writeFileSync(
      join(dir, 'parties.yaml'),
      readFileSync(join(dir, 'parties.yaml'), 'utf8').replace('name: Sala kommun', 'name: "Sala kom\\u00admun § 5–7 ”Å” é 10\\u202f000\\u00a0kr …"'),
    );
    const { content } = check({ contentDir: dir });
    expect(content.members.find((m) => m.id === 'sala')?.name).toBe('Sala kom\u00admun § 5–7 ”Å” é 10\u202f000\u00a0kr …');
  });
});

describe('content files that are not ordinary readable files', () => {
  const oneError = (dir: string, file: string): Problem => {
    const errors = errorsOf(dir).filter((p) => p.file === join(dir, file));
    expect(errors).toHaveLength(1);
    return errors[0]!;
  };

  it('a named pipe is refused at once, not read (which would wait for a writer forever)', () => {
    const dir = contentCopy();
    rmSync(join(dir, 'principles.yaml'));
    expect(spawnSync('mkfifo', [join(dir, 'principles.yaml')]).status).toBe(0);
    expect(oneError(dir, 'principles.yaml').message).toBe('it is a named pipe (FIFO), not a file; content files must be ordinary files');
  });

  it('a folder in place of a file', () => {
    const dir = contentCopy();
    rmSync(join(dir, 'charter.yaml'));
    mkdirSync(join(dir, 'charter.yaml'));
    expect(oneError(dir, 'charter.yaml').message).toBe('it is a folder, not a file');
  });

  it('a missing file', () => {
    const dir = contentCopy();
    rmSync(join(dir, 'timeline.yaml'));
    expect(oneError(dir, 'timeline.yaml').message).toMatch(/^timeline\.yaml is missing; every content directory has parties\.yaml, /);
  });

  it('a content directory that is a file', () => {
    const dir = contentCopy();
    const file = join(dir, 'parties.yaml');
    expect(() => check({ contentDir: file })).toThrow(/the content directory is a file, not a folder/);
  });

  it('a file larger than the limit gets the size message, unread', () => {
    const dir = contentCopy();
    writeFileSync(join(dir, 'principles.yaml'), Buffer.alloc(MAX_FILE_BYTES + 1, 0x61));
    expect(oneError(dir, 'principles.yaml').message).toMatch(/^the file is larger than 2 MiB/);
  });

  // Permissions do not bind root, which CI is: the unreadable file is then read by a child
  // process running as nobody.
  it('an unreadable file (EACCES) is named, not an internal error', () => {
    const dir = contentCopy();
    chmodSync(join(dir, '..'), 0o755);
    for (const f of ['parties', 'timeline', 'principles', 'charter', 'documents']) chmodSync(join(dir, `${f}.yaml`), 0o644);
    chmodSync(join(dir, 'documents.yaml'), 0o000);
    const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
    const r = spawnSync(process.execPath, [CLI, 'check', '--content', dir], { encoding: 'utf8', cwd: '/', ...asNobody });
    if (r.error) throw r.error;
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`${join(dir, 'documents.yaml').slice(1)}:1:1: the file cannot be read: permission denied (check its owner and mode, e.g. chmod u+r)`);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});

describe('reading and decoding', () => {
  it('finds the first byte that is not UTF-8, rejecting overlong forms, surrogates and truncation', () => {
    expect(firstInvalidUtf8(Buffer.from('Köping'))).toBe(7); // none: the length
    expect(firstInvalidUtf8(Buffer.from('K\xf6ping', 'latin1'))).toBe(1);
    expect(firstInvalidUtf8(Buffer.of(0x61, 0xc0, 0xaf))).toBe(1); // overlong '/'
    expect(firstInvalidUtf8(Buffer.of(0xed, 0xa0, 0x80))).toBe(0); // encoded surrogate U+D800
    expect(firstInvalidUtf8(Buffer.of(0x61, 0x62, 0xe2, 0x82))).toBe(2); // cut short
    expect(firstInvalidUtf8(Buffer.of(0xf4, 0x90, 0x80, 0x80))).toBe(0); // past U+10FFFF
  });

  it('reports line and column of the bad byte in characters', () => {
    const r = decodeContent(Buffer.concat([Buffer.from('a: å\nname: Kö'), Buffer.of(0xf6), Buffer.from('ping\n')]));
    expect(r).toEqual({ ok: false, position: { line: 2, column: 9 }, message: "the file is not UTF-8 (byte 0xF6, probably 'ö' saved as Latin-1/Windows-1252); save it as UTF-8" });
  });

  it('recognises UTF-16 with and without a byte order mark, and not UTF-8', () => {
    expect(utf16Kind(Buffer.from('a: b\nc: d\n', 'utf16le'))).toBe('little-endian');
    expect(utf16Kind(Buffer.from('a: b\nc: d\n', 'utf16le').swap16())).toBe('big-endian');
    expect(utf16Kind(Buffer.of(0xfe, 0xff, 0, 0x61))).toBe('big-endian');
    expect(utf16Kind(Buffer.from('a: Köping\n'))).toBeNull();
  });

  it('reads a regular file whole', () => {
    const r = readContentFile(join(CONTENT, 'parties.yaml'));
    expect(r.ok && r.bytes.equals(readFileSync(join(CONTENT, 'parties.yaml')))).toBe(true);
  });
});

describe('which characters a text may hold', () => {
  it('refuses controls, noncharacters, lone surrogates, U+FFFD and bidi controls, once each, at their index', () => {
    expect(badCharacters('a\u0000b\u0000').map((b) => [b.index, b.codePoint, b.refusal])).toEqual([[1, 0, 'control']]);
    const refused = [0x01, 0x1b, 0x7f, 0x80, 0x9f, 0xd800, 0xdfff, 0xfdd0, 0xfdef, 0xfffe, 0xffff, 0x1fffe, 0x10ffff, 0xfffd, 0x202a, 0x202e, 0x2066, 0x2069, 0x200e, 0x200f, 0x061c];
    for (const cp of refused) expect(badCharacters(`x${String.fromCodePoint(cp)}`), cp.toString(16)).toHaveLength(1);
    expect(badCharacters('\ud83d\ude00 ok')).toEqual([]); // a proper pair is one character
    expect(badCharacters('\ude00\ud83d')).toHaveLength(2); // the wrong order is two halves
  });

  it('allows tab and line feed in values, not in keys', () => {
    expect(badCharacters('a\tb\nc')).toEqual([]);
    expect(badCharacters('a\tb', true).map((b) => b.refusal)).toEqual(['line-break-in-key']);
  });

  it('knows a text made only of invisible characters', () => {
    for (const s of [' ', '\u00a0', '\u200b', '\u00ad', '\u2060', '\ufeff', '\u3164', '\u2800', '\u202f \u2009']) expect(isInvisibleOnly(s), escape(s)).toBe(true);
    for (const s of ['', 'a', ' a\u200b', '-', '.']) expect(isInvisibleOnly(s), escape(s)).toBe(false);
  });
});

describe("the fonts' coverage", () => {
  it('printable ASCII is drawn by every face (the check skips it on that ground)', () => {
    for (let cp = 0x20; cp < 0x7f; cp++) expect(facesLacking(cp), String.fromCharCode(cp)).toEqual([]);
  });

  it('every character of a plain text (the fast path) is drawn by every face and refused by no rule', () => {
    let plain = 0;
    for (let cp = 0; cp < 0x3000; cp++) {
      const c = String.fromCodePoint(cp);
      if (!isPlain(`a${c}`)) continue;
      plain++;
      if (cp !== 0x09 && cp !== 0x0a) expect(facesLacking(cp), cp.toString(16)).toEqual([]);
      expect(refusalOf(cp, false), cp.toString(16)).toBeNull();
      // A plain text of one character is a visible one.
      if (isPlain(c)) expect(isInvisibleOnly(c), cp.toString(16)).toBe(false);
    }
    expect(plain).toBeGreaterThan(200);
    expect(['\u00a0', '\u00ad', ' \u202f', ''].some(isPlain)).toBe(false);
  });

  it('Swedish letters and typography are drawn by every face; emoji and Hebrew are not', () => {
    for (const c of 'åäöÅÄÖéü§–—”’…\u00a0\u202f\u00ad') expect(facesLacking(c.codePointAt(0)!), c).toEqual([]);
    expect(facesLacking(0x1f600)).toEqual(['serif', 'serifBold', 'serifItalic', 'serifBoldItalic']); // DejaVu Sans has some smileys
    expect(facesLacking(0x5d0).length).toBeGreaterThan(0);
  });

  it('the coverage written by npm run compile is the cmaps of the font files as they are', () => {
    // COVERAGE_FILE as the compiled code finds it (these tests run the TypeScript in src/).
    const compiled = join(ROOT, 'dist', 'content', basename(COVERAGE_FILE));
    expect(existsSync(compiled)).toBe(true);
    const saved = JSON.parse(readFileSync(compiled, 'utf8')) as ReturnType<typeof readCoverage>;
    expect(saved.digest).toBe(fontStamp());
    expect(saved).toEqual(JSON.parse(JSON.stringify(readCoverage())));
  });

  it('ranges round-trip', () => {
    const r = toRanges([5, 1, 2, 3, 9, 10]);
    expect(r).toEqual([[1, 3], [5, 5], [9, 10]]);
    expect([0, 1, 3, 4, 5, 8, 10, 11].map((cp) => inRanges(r, cp))).toEqual([false, true, true, false, true, false, true, false]);
  });
});
