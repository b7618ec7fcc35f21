/**
 * The whole pipeline on the real content: what a secretary and a CI job see.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { build, buildTimestamp, DEFAULT_EPOCH } from '../../src/pipeline/build.js';
import type { Manifest } from '../../src/pipeline/manifest.js';
import { beginOutput } from '../../src/pipeline/output.js';
import { TemplateError } from '../../src/content/problems.js';
import { TEMPLATE_DIR } from '../../src/render/template-files.js';
import { CONTENT, contentCopy, edit, has, kansli, normalizeSpace, pdfText, run, tempDir } from '../helpers.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(dir, f)).isFile())
    .map((f) => f.split('\\').join('/'))
    .sort();
}

function hashes(dir: string): Record<string, string> {
  return Object.fromEntries(filesUnder(dir).map((f) => [f, createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')]));
}

const out = join(tempDir(), 'output');
let manifest: Manifest;

beforeAll(async () => {
  ({ manifest } = await build({ contentDir: CONTENT, outDir: out }));
}, 60_000);

describe('a full build of the real content', () => {
  it('writes 56 files and a manifest that lists each with its hash', () => {
    const files = filesUnder(out);
    expect(files).toHaveLength(57);
    expect(files).toContain('manifest.json');
    expect(manifest.files).toHaveLength(56);
    const onDisk = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8')) as Manifest;
    expect(onDisk.files.map((f) => f.path).sort()).toEqual(files.filter((f) => f !== 'manifest.json'));
    for (const f of onDisk.files) {
      const bytes = readFileSync(join(out, f.path));
      expect(f.bytes).toBe(bytes.length);
      expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(f.path).toBe(`${f.document}/${f.party ?? f.document}.${f.format}`);
    }
    const count = (document: string) => onDisk.files.filter((f) => f.document === document).length;
    expect(count('beslut-delta-i-lansprocess')).toBe(26);
    expect(count('beslut-anta-forbundsordning')).toBe(26);
    expect(count('avsiktsforklaring')).toBe(2);
    expect(count('forbundsordning')).toBe(2);
  });

  it.runIf(has('pdftotext'))('asks each council in its own name', () => {
    const text = (party: string) => normalizeSpace(pdfText(join(out, 'beslut-delta-i-lansprocess', `${party}.pdf`)));
    expect(text('koping')).toContain('Kommunfullmäktige beslutar att Köpings kommun ska delta i länsprocessen');
    expect(text('koping')).toContain('Samordningsförbundet Västra Mälardalen');
    expect(text('sala')).toContain('Kommunfullmäktige beslutar att Sala kommun ska delta i länsprocessen');
    expect(text('vasteras')).toContain('Kommunfullmäktige beslutar att Västerås stad ska delta i länsprocessen');
    expect(text('region-vastmanland')).toContain('Regionfullmäktige beslutar att Region Västmanland ska delta i länsprocessen');
    expect(text('forsakringskassan')).toContain('Försäkringskassan beslutar att delta i länsprocessen');
    expect(text('vasteras')).not.toMatch(/Västerås stads? kommun|Västeråss/);
  });

  it.runIf(has('pdftotext'))('puts a signature block for every member in the letter of intent', () => {
    const text = normalizeSpace(pdfText(join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf')));
    const members = ['Arboga kommun', 'Fagersta kommun', 'Hallstahammars kommun', 'Kungsörs kommun', 'Köpings kommun', 'Norbergs kommun', 'Sala kommun', 'Skinnskattebergs kommun', 'Surahammars kommun', 'Västerås stad', 'Region Västmanland', 'Arbetsförmedlingen', 'Försäkringskassan'];
    for (const m of members) expect(text).toContain(`För ${m}`);
    expect(text.match(/Namnförtydligande/g)).toHaveLength(13);
  });

  /**
   * The timetable as a reader sees it in the PDF: the rows after "Tidpunkt Aktivitet", without
   * the page furniture a page break would put between them, up to the senders or the end.
   */
  const timetable = (file: string): string => {
    const text = pdfText(join(out, file));
    const start = text.indexOf('Tidplan\nTidpunkt Aktivitet\n');
    expect(start, `no timetable in ${file}`).toBeGreaterThan(-1);
    // The timetable ends at the next part of the paper, or where the word list (Ordlista) begins.
    const rest = text.slice(start + 'Tidplan\nTidpunkt Aktivitet\n'.length).split(/\n\f?Ekonomiska konsekvenser|\nOrdlista\n/)[0]!;
    const lines = rest.split('\n').filter((l) => !/^(Samordningsförbunden i Västmanland|Sida \d+ av \d+|Tidpunkt Aktivitet|\f.*)$/.test(l.trim()));
    return normalizeSpace(lines.join(' '));
  };

  it.runIf(has('pdftotext'))('prints in the participation paper the timetable of seed 000, no more and no less, and no name for the new association', () => {
    for (const party of ['koping', 'region-vastmanland', 'forsakringskassan']) {
      expect(timetable(`beslut-delta-i-lansprocess/${party}.pdf`)).toBe(
        '7 december 2021 Länsmedlemssamråd (ägarmöte). ' +
          'januari–mars 2022 Medlemmarnas beslut att delta i länsprocessen. ' +
          'april 2022 Lokala ägarmöten, ett för varje samordningsförbund. ' +
          'Därefter Länsmedlemssamråd, formellt beslut om länsförbund och fortsatt process, till exempel att ta fram en ny förbundsordning. ' +
          '2023 Alla beslut för ett länsförbund är tagna.',
      );
      const text = normalizeSpace(pdfText(join(out, 'beslut-delta-i-lansprocess', `${party}.pdf`)));
      expect(text).not.toContain('Samordningsförbundet Västmanland');
      expect(text).not.toMatch(/31 mars 2023|1 juni 2023|1 januari 2024/);
    }
  });

  it.runIf(has('pdfinfo'))('files only the papers written after the name was chosen under the new association\'s name (PDF keywords)', () => {
    const keywords = (file: string): string => /^Keywords:\s*(.*)$/m.exec(run('pdfinfo', [join(out, file)]).stdout)?.[1] ?? '';
    expect(keywords('beslut-delta-i-lansprocess/koping.pdf')).not.toContain('Samordningsförbundet Västmanland');
    expect(keywords('avsiktsforklaring/avsiktsforklaring.pdf')).not.toContain('Samordningsförbundet Västmanland');
    expect(keywords('beslut-anta-forbundsordning/koping.pdf')).toContain('Samordningsförbundet Västmanland');
  });

  it.runIf(has('pdftotext'))('says in the participation paper what seed 000 says, naming the association where it explains', () => {
    const text = normalizeSpace(pdfText(join(out, 'beslut-delta-i-lansprocess', 'koping.pdf')));
    expect(text).toContain('Ärende till kommunfullmäktige i Köpings kommun');
    // The seed's one sentence as two numbered decisions, each ready for the minutes.
    expect(text).toContain('Kommunstyrelsen föreslår kommunfullmäktige besluta 1. Kommunfullmäktige beslutar att Köpings kommun ska delta i länsprocessen. 2. Kommunfullmäktige delegerar deltagandet till sin representant i det lokala samordningsförbundets styrelse.');
    expect(text).toContain('Med det lokala samordningsförbundet avses Samordningsförbundet Västra Mälardalen, där Köpings kommun är medlem.');
    expect(text).toContain('ett samägt samverkansorgan');
    expect(text).toContain('insatser ska vara lika tillgängliga');
    expect(text).not.toMatch(/samordningvastmanland\.se\/?\./);
    const region = normalizeSpace(pdfText(join(out, 'beslut-delta-i-lansprocess', 'region-vastmanland.pdf')));
    expect(region).toContain('Ärende till regionfullmäktige i Region Västmanland');
    expect(region).toContain('delegerar deltagandet till sina representanter i de lokala samordningsförbundens styrelser.');
    expect(region).toContain('Med de lokala samordningsförbunden avses Samordningsförbundet Västerås, Norra Västmanlands Samordningsförbund och Samordningsförbundet Västra Mälardalen, där Region Västmanland är medlem.');
  });

  it.runIf(has('pdftotext'))('prints in the letter of intent the plan of seed 002 and nothing of the other plans', () => {
    const text = normalizeSpace(pdfText(join(out, 'avsiktsforklaring', 'avsiktsforklaring.pdf')));
    expect(text).toContain(
      'En ny förbundsordning ska beslutas senast den 31 mars 2023 av respektive fullmäktige eller motsvarande. Från den 1 juni 2023 tillsätts en interimistisk styrelse som under hösten 2023 hanterar operativa uppgifter inför bildandet av länssamordningsförbundet den 1 januari 2024.',
    );
    expect(text).not.toContain('Samordningsförbundet Västmanland');
    expect(text).not.toMatch(/7 december 2021|april 2022|10–11 januari 2023|Därefter/);
  });

  it.runIf(has('pdftotext'))('prints in the adoption papers the plan of January 2023 and the events with their outcome', () => {
    for (const party of ['koping', 'arbetsformedlingen']) {
      expect(timetable(`beslut-anta-forbundsordning/${party}.pdf`)).toBe(
        '10–11 januari 2023 Handlingarna sänds ut för beslut hos förbundsmedlemmarna. ' +
          'senast 31 mars 2023 Förbundsmedlemmarna beslutar om förbundsordningen. ' +
          '1 juni 2023 En interimistisk styrelse tillsätts, som under hösten 2023 hanterar operativa uppgifter inför bildandet av förbundet. ' +
          '1 januari 2024 Samordningsförbundet Västmanland bildas.',
      );
    }
    const text = normalizeSpace(pdfText(join(out, 'beslut-anta-forbundsordning', 'koping.pdf')));
    expect(text).toContain('sommaren 2022: Samtliga förbundsmedlemmar i de tre nuvarande samordningsförbunden ställde sig bakom avsiktsförklaringen om att bilda ett länssamordningsförbund.');
    expect(text).toContain('under hösten 2023 hanterar operativa uppgifter inför bildandet av Samordningsförbundet Västmanland');
    expect(text).not.toMatch(/Medlemmarna beslutade under|april 2022|7 december 2021/);
  });

  it.runIf(has('pdftotext'))('names the same charter version in every adopting proposal and in the manifest', () => {
    const version = manifest.charter.version;
    expect(version).toMatch(/^[0-9a-f]{12}$/);
    const proposals = manifest.files.filter((f) => f.document === 'beslut-anta-forbundsordning' && f.format === 'pdf');
    expect(proposals).toHaveLength(13);
    for (const f of proposals) expect(normalizeSpace(pdfText(join(out, f.path)))).toContain(`version ${version}`);
    expect(normalizeSpace(pdfText(join(out, 'forbundsordning', 'forbundsordning.pdf')))).toContain(`Version ${version}`);
  });

  it.runIf(has('pandoc'))('gives DOCX files whose headings pandoc reads as headings', () => {
    for (const f of manifest.files.filter((x) => x.format === 'docx')) {
      const md = run('pandoc', ['-f', 'docx', '-t', 'markdown', join(out, f.path)]).stdout;
      expect(md, f.path).toMatch(/^# \S/m);
      expect(md, f.path).toMatch(/^## \S/m);
    }
  });
});

describe('reproducibility', () => {
  it('gives byte-identical files on a second build', async () => {
    const again = join(tempDir(), 'output');
    await build({ contentDir: CONTENT, outDir: again });
    expect(hashes(again)).toEqual(hashes(out));
  }, 60_000);

  it('writes the same bytes whatever the process wrote before (caches shared across documents)', () => {
    // The full build above wrote the charter after 26 other documents, with warm layout, glyph,
    // subset and deflate caches, and Sala's proposal after other members' proposals, whose font
    // subsets and streams it may share; a new process that writes only one of them starts cold.
    for (const [args, files] of [
      [['--only', 'forbundsordning'], ['forbundsordning/forbundsordning.pdf', 'forbundsordning/forbundsordning.docx']],
      [['--only', 'beslut-delta-i-lansprocess', '--party', 'sala'], ['beslut-delta-i-lansprocess/sala.pdf', 'beslut-delta-i-lansprocess/sala.docx']],
    ] as const) {
      const alone = join(tempDir(), 'output');
      const r = kansli(['build', ...args, '--workers', '0', '--out', alone]);
      expect(r.status, r.stderr).toBe(0);
      for (const file of files) expect(hashes(alone)[file], file).toBe(hashes(out)[file]);
    }
  }, 60_000);

  it('takes the moment written into files from SOURCE_DATE_EPOCH, with a fixed default', () => {
    expect(buildTimestamp({}).toISOString()).toBe(new Date(DEFAULT_EPOCH * 1000).toISOString());
    expect(buildTimestamp({ SOURCE_DATE_EPOCH: '1700000000' }).toISOString()).toBe('2023-11-14T22:13:20.000Z');
    expect(() => buildTimestamp({ SOURCE_DATE_EPOCH: 'yesterday' })).toThrow(/whole seconds/);
    expect(() => buildTimestamp({ SOURCE_DATE_EPOCH: '1' })).toThrow(/before 1980/);
  });
});

describe('all or nothing', () => {
  it('leaves the output folder untouched when the content has an error', async () => {
    const dir = contentCopy();
    edit(dir, 'parties.yaml', '212000-2114', '212000-2115');
    const target = join(tempDir(), 'output');
    await build({ contentDir: CONTENT, outDir: target, only: 'forbundsordning' });
    const before = hashes(target);
    await expect(build({ contentDir: dir, outDir: target })).rejects.toThrow(/check digit/);
    expect(hashes(target)).toEqual(before);
    const fresh = join(tempDir(), 'never-made');
    await expect(build({ contentDir: dir, outDir: fresh })).rejects.toThrow();
    expect(existsSync(fresh)).toBe(false);
    // No staging folders left behind either.
    expect(readdirSync(join(target, '..')).filter((f) => f.includes('kansli-staging'))).toEqual([]);
  }, 60_000);

  it('refuses to replace a folder it did not make', async () => {
    const target = tempDir();
    writeFileSync(join(target, 'important.txt'), 'keep me');
    await expect(build({ contentDir: CONTENT, outDir: target })).rejects.toThrow(/no manifest\.json/);
    expect(readFileSync(join(target, 'important.txt'), 'utf8')).toBe('keep me');
  });

  it('keeps the other files of the output on a partial build', async () => {
    const target = join(tempDir(), 'output');
    mkdirSync(target);
    await build({ contentDir: CONTENT, outDir: target, only: 'forbundsordning' });
    const { written, manifest: m } = await build({ contentDir: CONTENT, outDir: target, party: 'koping', formats: ['pdf'] });
    expect(written.map((f) => f.path).sort()).toEqual(['beslut-anta-forbundsordning/koping.pdf', 'beslut-delta-i-lansprocess/koping.pdf']);
    expect(m.files).toHaveLength(4);
    expect(filesUnder(target).map((f) => relative('', f))).toEqual([
      'beslut-anta-forbundsordning/koping.pdf',
      'beslut-delta-i-lansprocess/koping.pdf',
      'forbundsordning/forbundsordning.docx',
      'forbundsordning/forbundsordning.pdf',
      'manifest.json',
    ]);
  }, 60_000);

  it('rejects an unknown document or party before writing anything', async () => {
    await expect(build({ contentDir: CONTENT, outDir: join(tempDir(), 'o'), only: 'stadga' })).rejects.toThrow(/--only stadga: no such document/);
    await expect(build({ contentDir: CONTENT, outDir: join(tempDir(), 'o'), party: 'gotland' })).rejects.toThrow(/--party gotland: no such member/);
  });
});

describe('the output folder', () => {
  it('is not replaced when its manifest.json is not kansli\'s (a web project\'s public/ folder)', async () => {
    const target = tempDir();
    writeFileSync(join(target, 'manifest.json'), '{"name":"En webbapp"}');
    writeFileSync(join(target, 'index.html'), '<p>hej</p>');
    await expect(build({ contentDir: CONTENT, outDir: target, only: 'forbundsordning' })).rejects.toThrow(/was not made by kansli/);
    expect(readFileSync(join(target, 'index.html'), 'utf8')).toBe('<p>hej</p>');
  });
});

describe('an abandoned output transaction', () => {
  it('takes no more files once aborted, so late results from workers leave nothing behind', () => {
    const target = join(tempDir(), 'output');
    const tx = beginOutput(target);
    tx.write({ path: 'a/one.pdf', bytes: new Uint8Array([1]) });
    tx.abort();
    tx.write({ path: 'b/two.pdf', bytes: new Uint8Array([2]) });
    expect(readdirSync(join(target, '..'))).toEqual([]);
  });
});

describe('a template that fails halfway through a build', () => {
  // On workers, other documents are still in flight when the failure arrives.
  it.each([0, 2])('leaves the output as it was and no staging folder behind (%i workers)', async (workers) => {
    const templates = join(tempDir(), 'templates');
    cpSync(TEMPLATE_DIR, templates, { recursive: true });
    // Fails for Sala only: the members before it are already written to staging by then.
    writeFileSync(join(templates, 'deltagande.hbs'), readFileSync(join(templates, 'deltagande.hbs'), 'utf8') + '\n{{#if (eq member.id "sala")}}<p>{{saknas}}</p>{{/if}}\n');
    const target = join(tempDir(), 'output');
    await build({ contentDir: CONTENT, outDir: target, only: 'forbundsordning' });
    const before = hashes(target);
    await expect(build({ contentDir: CONTENT, outDir: target, templatesDir: templates, force: true, workers })).rejects.toThrow(/"saknas" is not defined/);
    // Let results still on their way from the workers arrive before looking.
    await new Promise((r) => setTimeout(r, 500));
    expect(hashes(target)).toEqual(before);
    expect(readdirSync(join(target, '..')).filter((f) => f.includes('kansli-staging'))).toEqual([]);
  }, 60_000);
});

describe('a template that does not compile', () => {
  // On workers the templates are compiled as each worker starts, and the error crosses threads.
  it.each([0, 2])("is reported as the user's mistake, with its place (%i workers)", async (workers) => {
    const templates = join(tempDir(), 'templates');
    cpSync(TEMPLATE_DIR, templates, { recursive: true });
    writeFileSync(join(templates, 'deltagande.hbs'), '<p>Hej</p>\n{{#if}}\n');
    const failure = await build({ contentDir: CONTENT, outDir: join(tempDir(), 'output'), templatesDir: templates, force: true, workers }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(TemplateError);
    expect((failure as TemplateError).problem.file).toMatch(/deltagande\.hbs$/);
  }, 60_000);
});
