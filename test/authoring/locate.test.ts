import { describe, expect, it } from 'vitest';
import { loadPackText } from '../../src/engine/index';
import { describeLocatedError, locatePackErrors } from '../../src/authoring/locate';

const head = 'id: a\nname: b\nversion: 1.0.0\nrules:\n  - id: x\n    kind: phrase\n    category: c\n';
const locate = async (text: string) => {
  const r = await loadPackText(text, { file: 'p.yaml' });
  if (r.ok) throw new Error('expected a refusal');
  return locatePackErrors(text, r.errors);
};

describe('pack errors at their line and column', () => {
  it('a schema error points at the value', async () => {
    const [e] = await locate(head + '    severity: loud\n    message: m\n    phrases: [a]\n');
    expect(e).toMatchObject({ line: 8, column: 15, path: 'rules[0].severity' });
    expect(describeLocatedError(e!)).toMatch(/^8 行 15 列・ルール x（rules\[0\]\.severity）: /);
  });
  it('a look-behind regex points at the regex', async () => {
    const [e] = await locate(head + '    severity: info\n    message: m\n    regex: "(?<=a)b"\n');
    expect(e).toMatchObject({ line: 10, column: 12 });
    expect(e!.message).toContain('後読み');
  });
  it('a failing example points at the example', async () => {
    const [e] = await locate(head + '    severity: info\n    message: m\n    phrases: [あ]\n    examples:\n      flag:\n        - いいい\n');
    expect(e).toMatchObject({ line: 13, column: 11, example: 'いいい' });
  });
  it('a YAML syntax error gets the parser\'s line and column and a Japanese explanation', async () => {
    const errors = await locate('id: a\nname: b\nrules:\n\t- id: x\n');
    expect(errors[0]).toMatchObject({ line: 4, column: 1 });
    expect(errors[0]!.message).toMatch(/^字下げにタブは使えません/);
  });
});
