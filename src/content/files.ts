/**
 * The files of a content folder. Each is validated by the schema of its kind: the charter in
 * force (charter-current.yaml) is a charter like charter.yaml, so by charter.schema.json.
 */
export const CONTENT_FILES = ['parties', 'timeline', 'principles', 'charter', 'documents', 'charter-current'] as const;
export type ContentFile = (typeof CONTENT_FILES)[number];

/**
 * Files a content folder may leave out: principles.yaml, which only the letter of intent of a
 * merger reads, and charter-current.yaml, the charter in force, which only a process that
 * amends a charter has (an amendment, a member joining or leaving).
 */
export const OPTIONAL_FILES: ReadonlySet<ContentFile> = new Set<ContentFile>(['principles', 'charter-current']);

/** The content files' schemas (schemas/<name>.schema.json). */
export const CONTENT_SCHEMAS = ['parties', 'timeline', 'principles', 'charter', 'documents'] as const;
export type ContentSchema = (typeof CONTENT_SCHEMAS)[number];

export const schemaOf = (file: ContentFile): ContentSchema => (file === 'charter-current' ? 'charter' : file);
