/** Certificate names as text. Light to import: verify and sign both use it. */

/** An RFC 4514 attribute value as text: `\,` is a comma, `\2C` too. */
export function unescapeDn(value: string): string {
  return value.replace(/\\([0-9a-fA-F]{2}|.)/g, (_, c: string) => (c.length === 2 ? String.fromCharCode(parseInt(c, 16)) : c));
}
