/**
 * The files of a content folder. Each is validated by the schema of its kind: the charter in
 * force (charter-current.yaml) is a charter like charter.yaml, so by charter.schema.json.
 */
export const CONTENT_FILES = ['parties', 'timeline', 'principles', 'charter', 'documents', 'charter-current', 'glossary'] as const;
export type ContentFile = (typeof CONTENT_FILES)[number];
/** Every content file kansli reads, required or not (the same list: the name lint and the sources digest use). */
export const ALL_CONTENT_FILES = CONTENT_FILES;

/**
 * Files a content folder may leave out: principles.yaml, which only the letter of intent of a
 * merger reads; charter-current.yaml, the charter in force, which only a process that amends a
 * charter has (an amendment, a member joining or leaving); and glossary.yaml (a folder without
 * one has no terms to check).
 */
export const OPTIONAL_FILES: ReadonlySet<ContentFile> = new Set<ContentFile>(['principles', 'charter-current', 'glossary']);

/** The content files' schemas (schemas/<name>.schema.json). */
export const CONTENT_SCHEMAS = ['parties', 'timeline', 'principles', 'charter', 'documents', 'glossary'] as const;
export type ContentSchema = (typeof CONTENT_SCHEMAS)[number];

export const schemaOf = (file: ContentFile): ContentSchema => (file === 'charter-current' ? 'charter' : file);
