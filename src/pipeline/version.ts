/**
 * The tool's version, read from package.json so that it is said in one place. It is part of every
 * build fingerprint (see fresh.ts): a change that alters any output byte must raise it, or
 * an earlier build's files would count as up to date.
 */
import { createRequire } from 'node:module';

export const VERSION: string = (createRequire(import.meta.url)('../../package.json') as { version: string }).version;
