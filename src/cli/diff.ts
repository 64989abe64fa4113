// A unified diff of two short texts by line (longest common subsequence), for `check --fix` / `--fix-dry-run`.
export function unifiedDiff(before: string, after: string, name: string, context = 1): string {
  if (before === after) return '';
  const a = before.split('\n');
  const b = after.split('\n');
  // lcs[i][j]: length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  type Op = { kind: ' ' | '-' | '+'; line: string; ai: number; bi: number };
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) ops.push({ kind: ' ', line: a[i]!, ai: i++, bi: j++ });
    // Removed lines before added ones, as diff(1) prints them.
    else if (i < a.length && (j === b.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) ops.push({ kind: '-', line: a[i]!, ai: i++, bi: j });
    else ops.push({ kind: '+', line: b[j]!, ai: i, bi: j++ });
  }
  const out = [`--- ${name}`, `+++ ${name}`];
  let k = 0;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      k++;
      continue;
    }
    const start = Math.max(0, k - context);
    let end = k;
    // One hunk while changes are at most 2 × context unchanged lines apart.
    for (;;) {
      while (end < ops.length && ops[end]!.kind !== ' ') end++;
      let gap = end;
      while (gap < ops.length && ops[gap]!.kind === ' ' && gap - end < 2 * context) gap++;
      if (gap < ops.length && ops[gap]!.kind !== ' ') end = gap;
      else break;
    }
    const stop = Math.min(ops.length, end + context);
    const hunk = ops.slice(start, stop);
    const aCount = hunk.filter((o) => o.kind !== '+').length;
    const bCount = hunk.filter((o) => o.kind !== '-').length;
    const range = (first: number, count: number) => (count === 1 ? `${first + 1}` : `${count === 0 ? first : first + 1},${count}`);
    out.push(`@@ -${range(hunk[0]!.ai, aCount)} +${range(hunk[0]!.bi, bCount)} @@`);
    for (const o of hunk) out.push(`${o.kind}${o.line}`);
    k = stop;
  }
  return out.join('\n') + '\n';
}
