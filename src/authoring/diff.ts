// A line diff (longest common subsequence) between two versions of a pack, for the console's "what changed".
// Packs are at most 1 MB; beyond DIFF_MAX_CELLS line pairs the middle is shown as replaced rather than aligned.
export interface DiffLine {
  kind: 'same' | 'added' | 'removed';
  text: string;
  /** Line number in the old (same/removed) or new (added) version, 1-based. */
  line: number;
}

const DIFF_MAX_CELLS = 4_000_000;

export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.replace(/\r\n?/g, '\n').split('\n');
  const b = after.replace(/\r\n?/g, '\n').split('\n');
  // Common head and tail first: most updates change a few lines.
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const out: DiffLine[] = a.slice(0, head).map((text, i) => ({ kind: 'same', text, line: i + 1 }));
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  if (midA.length * midB.length > DIFF_MAX_CELLS) {
    midA.forEach((text, i) => out.push({ kind: 'removed', text, line: head + i + 1 }));
    midB.forEach((text, i) => out.push({ kind: 'added', text, line: head + i + 1 }));
  } else {
    const n = midA.length;
    const m = midB.length;
    const lcs = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
    for (let i = n - 1; i >= 0; i--) for (let j = m - 1; j >= 0; j--) lcs[i]![j] = midA[i] === midB[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && midA[i] === midB[j]) {
        out.push({ kind: 'same', text: midA[i]!, line: head + i + 1 });
        i++;
        j++;
      } else if (j < m && (i >= n || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) {
        out.push({ kind: 'added', text: midB[j]!, line: head + j + 1 });
        j++;
      } else {
        out.push({ kind: 'removed', text: midA[i]!, line: head + i + 1 });
        i++;
      }
    }
  }
  a.slice(a.length - tail).forEach((text, k) => out.push({ kind: 'same', text, line: a.length - tail + k + 1 }));
  return out;
}
