/**
 * Compiles the content schemas to a module of validators ahead of time (Ajv's standalone code),
 * so that `kansli check` and `kansli build` need not compile them on every run. Run by
 * `npm run compile`, after tsc: `node dist/content/precompile.js`. schema.ts uses the module only
 * while its digest matches the schemas. It also writes the ranges of characters each font face can
 * draw (coverage.ts), used while they match the font files.
 */
import { writeFileSync } from 'node:fs';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { COVERAGE_FILE, readCoverage } from './coverage.js';
import { PRECOMPILED, SCHEMA_NAMES, schemaAjv, schemaDigest, schemaId } from './schema.js';

const ajv = schemaAjv(true);
const code = standaloneCode.default(ajv, Object.fromEntries(SCHEMA_NAMES.map((f) => [f, schemaId(f)])));
writeFileSync(PRECOMPILED, `${code}\nexports.digest = ${JSON.stringify(schemaDigest())};\n`);
// The fonts' coverage too, so that a check need not load fontkit to read their cmaps.
writeFileSync(COVERAGE_FILE, JSON.stringify(readCoverage()));
