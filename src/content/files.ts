/** The files of a content folder: each required, each with a schema of the same name. */
export const CONTENT_FILES = ['parties', 'timeline', 'principles', 'charter', 'documents'] as const;
export type ContentFile = (typeof CONTENT_FILES)[number];
