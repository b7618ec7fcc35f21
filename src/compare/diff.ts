/**
 * Word-level differences between two texts, as a reader of a comparison wants them: whole words
 * struck or added, never parts of words, with each changed stretch shown as one deletion followed
 * by one insertion. Paragraph breaks ("\n") are tokens of their own, so a shared break is a place
 * where both wordings can be set side by side.
 */

export type ChangeKind = 'equal' | 'deleted' | 'inserted';

export interface Change {
  readonly kind: ChangeKind;
  readonly text: string;
}

/** Words (with their punctuation), runs of spaces, and paragraph breaks. */
export function tokenize(text: string): string[] {
  return text.match(/\n|[ \t]+|[^ \t\n]+/g) ?? [];
}

/**
 * The longest common subsequence of two token lists, as changes. Common ends are stripped first:
 * articles are short, and most of a changed article is unchanged at its start and end.
 */
function lcs(a: readonly string[], b: readonly string[]): Change[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) [endA--, endB--];
  const midA = a.slice(start, endA);
  const midB = b.slice(start, endB);
  const n = midA.length;
  const m = midB.length;
  // lengths[i][j]: LCS length of midA[i..] and midB[j..], in one flat array.
  const lengths = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lengths[i * (m + 1) + j] =
        midA[i] === midB[j] ? lengths[(i + 1) * (m + 1) + j + 1]! + 1 : Math.max(lengths[(i + 1) * (m + 1) + j]!, lengths[i * (m + 1) + j + 1]!);
    }
  }
  const out: Change[] = a.slice(0, start).map((text) => ({ kind: 'equal', text }));
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && midA[i] === midB[j]) {
      out.push({ kind: 'equal', text: midA[i]! });
      [i++, j++];
    } else if (j < m && (i === n || lengths[i * (m + 1) + j + 1]! >= lengths[(i + 1) * (m + 1) + j]!)) {
      out.push({ kind: 'inserted', text: midB[j++]! });
    } else {
      out.push({ kind: 'deleted', text: midA[i++]! });
    }
  }
  out.push(...a.slice(endA).map((text): Change => ({ kind: 'equal', text })));
  return out;
}

/**
 * Readable changes: a space (or a lone short word such as "och") kept between two changes would
 * cut one rewritten phrase into pieces, so it joins the change; each changed stretch then reads as
 * its old words struck and its new words added.
 */
function tidy(changes: readonly Change[]): Change[] {
  const isChange = (c: Change | undefined): boolean => c !== undefined && c.kind !== 'equal';
  const joined = changes.flatMap((c, i): Change[] => {
    const glue = c.kind === 'equal' && c.text !== '\n' && (c.text.trim() === '' || c.text.length <= 3);
    if (glue && isChange(changes[i - 1]) && isChange(changes[i + 1])) {
      return [{ kind: 'deleted', text: c.text }, { kind: 'inserted', text: c.text }];
    }
    return [c];
  });
  const out: Change[] = [];
  let deleted = '';
  let inserted = '';
  const flush = (): void => {
    if (deleted !== '') out.push({ kind: 'deleted', text: deleted });
    if (inserted !== '') out.push({ kind: 'inserted', text: inserted });
    [deleted, inserted] = ['', ''];
  };
  for (const c of joined) {
    if (c.kind === 'deleted') deleted += c.text;
    else if (c.kind === 'inserted') inserted += c.text;
    else {
      flush();
      const last = out[out.length - 1];
      if (last?.kind === 'equal' && c.text !== '\n' && !last.text.endsWith('\n')) out[out.length - 1] = { kind: 'equal', text: last.text + c.text };
      else out.push(c);
    }
  }
  flush();
  return out;
}

/** The changes that turn `before` into `after`, word by word. */
export function diffWords(before: string, after: string): Change[] {
  return tidy(lcs(tokenize(before), tokenize(after)));
}
