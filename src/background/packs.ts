// The packs the engine runs with. One function so that subscriptions and managed packs (issue 5) plug in here.
import builtinYaml from '../../rules/builtin.yaml';
import { loadPackText, formatPackError, type LoadedPack } from '../engine/index';

/** Today: the built-in pack, bundled at build time (its examples already ran in `npm test`). */
export async function loadActivePacks(): Promise<LoadedPack[]> {
  const result = await loadPackText(builtinYaml, { file: 'rules/builtin.yaml', tokenizer: null, runExamples: false });
  if (!result.ok) throw new Error('組み込みパックを読み込めませんでした:\n' + result.errors.map(formatPackError).join('\n'));
  return [result.pack];
}
