/**
 * Who the process concerns. parties.yaml lists every party: the members before the process and
 * those joining; the process (timeline.yaml) says who joins and who leaves. Pure functions over
 * the content, shared by the view, the plan and the charter's version.
 */
import type { Content, DocumentSpec, Member, MemberSelection } from './types.js';

export const joiningIds = (content: Pick<Content, 'process'>): ReadonlySet<string> =>
  new Set(content.process.what.kind === 'join' ? content.process.what.joining : []);

export const leavingIds = (content: Pick<Content, 'process'>): ReadonlySet<string> =>
  new Set(content.process.what.kind === 'leave' ? content.process.what.leaving : []);

/** The body's members once the process is done: the amended charter's members. */
export function membersAfter(content: Pick<Content, 'members' | 'process'>): readonly Member[] {
  const leaving = leavingIds(content);
  return leaving.size === 0 ? content.members : content.members.filter((m) => !leaving.has(m.id));
}

/** The body's members before the process: the charter in force's members. */
export function membersBefore(content: Pick<Content, 'members' | 'process'>): readonly Member[] {
  const joining = joiningIds(content);
  return joining.size === 0 ? content.members : content.members.filter((m) => !joining.has(m.id));
}

/** The members that neither join nor leave. */
export function membersStaying(content: Pick<Content, 'members' | 'process'>): readonly Member[] {
  const moving = new Set([...joiningIds(content), ...leavingIds(content)]);
  return content.members.filter((m) => !moving.has(m.id));
}

export function selectMembers(content: Pick<Content, 'members' | 'process'>, selection: MemberSelection): readonly Member[] {
  switch (selection) {
    case 'every':
      return content.members;
    case 'joining': {
      const ids = joiningIds(content);
      return content.members.filter((m) => ids.has(m.id));
    }
    case 'leaving': {
      const ids = leavingIds(content);
      return content.members.filter((m) => ids.has(m.id));
    }
    case 'staying':
      return membersStaying(content);
  }
}

/** The members a document is made for: none for a document made once. */
export const membersFor = (content: Pick<Content, 'members' | 'process'>, document: DocumentSpec): readonly Member[] =>
  document.per === 'once' ? [] : selectMembers(content, document.for);

/**
 * The content as it stood before the process: the charter in force, the members then, and a
 * process that moves nobody (so that its members after are those members). Null when the content
 * names no charter in force (a merger or a formation).
 */
export function contentInForce(content: Content): Content | null {
  if (content.charterInForce === null) return null;
  const effective = 'effective' in content.process.what ? content.process.what.effective : { known: false as const, reason: 'ingen ändring' };
  return {
    ...content,
    members: membersBefore(content),
    charter: content.charterInForce,
    charterInForce: null,
    process: { ...content.process, what: { kind: 'amendment', effective } },
  };
}
