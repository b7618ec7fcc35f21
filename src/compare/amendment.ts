/**
 * The comparison a build makes itself, for a process that amends a charter (an amendment, a
 * member joining or leaving): the charter in force (charter-current.yaml, with the members
 * before the process) against the amended charter (charter.yaml, with the members after), each
 * rendered as the charter document is, and compared as `kansli compare` compares two versions.
 */
import { contentInForce } from '../content/members.js';
import type { Content } from '../content/types.js';
import type { TemplateSet } from '../render/templates.js';
import { compare } from './compare.js';
import { charterText } from './text.js';
import { comparisonView, type ComparisonView } from './view.js';

/** Null when the content names no charter in force. Pure: the same content and templates give the same view. */
export function amendmentComparison(content: Content, templates: TemplateSet): ComparisonView | null {
  const before = contentInForce(content);
  if (before === null) return null;
  return comparisonView(compare(charterText(before, templates), charterText(content, templates)));
}
