/** The files of a content folder: each required, each with a schema of the same name. */
export const CONTENT_FILES = ['parties', 'timeline', 'principles', 'charter', 'documents'] as const;
/** Files a content folder may leave out (a folder without a glossary has no terms to check). */
export const OPTIONAL_CONTENT_FILES = ['glossary'] as const;
/** Every content file kansli reads, required or not. */
export const ALL_CONTENT_FILES = [...CONTENT_FILES, ...OPTIONAL_CONTENT_FILES] as const;
export type ContentFile = (typeof ALL_CONTENT_FILES)[number];
