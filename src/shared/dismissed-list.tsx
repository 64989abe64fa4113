// The agent's hidden rules and personal dictionary, with undo; shared by the panel and the options page.
import { useState } from 'preact/hooks';
import { CONTROLS_KEY, controlsStore, parseControls } from './controls';
import { localStore } from './local-store';
import { useLocalValue } from './use-local-value';
import type { ControlsText } from './controls-text';

const store = controlsStore(localStore);

export function DismissedList({ t, allowAdd = false }: { t: ControlsText; allowAdd?: boolean }) {
  const controls = useLocalValue(CONTROLS_KEY, parseControls);
  const [word, setWord] = useState('');
  if (!controls) return null;
  const empty = controls.dismissedRules.length === 0 && controls.personalWords.length === 0;
  return (
    <div class="kizuki-dismissed" data-testid="dismissed">
      {empty && <p class="sub" data-testid="dismissed-none">{t.dismissedNone}</p>}
      <ul>
        {controls.dismissedRules.map((id) => (
          <li key={`r:${id}`} data-kind="rule" data-id={id}>
            <span class="kind">{t.dismissedRule}</span> <code>{id}</code>{' '}
            <button type="button" class="link" data-action="restore" onClick={() => void store.restoreRule(id)}>{t.restore}</button>
          </li>
        ))}
        {controls.personalWords.map((w) => (
          <li key={`w:${w}`} data-kind="word" data-id={w}>
            <span class="kind">{t.personalWord}</span> 「{w}」{' '}
            <button type="button" class="link" data-action="restore" onClick={() => void store.removeWord(w)}>{t.restore}</button>
          </li>
        ))}
      </ul>
      {allowAdd && (
        <form
          class="add-word"
          onSubmit={(e) => {
            e.preventDefault();
            if (word.trim()) void store.addWord(word).then(() => setWord(''));
          }}
        >
          <input type="text" value={word} placeholder={t.addWordPlaceholder} aria-label={t.addWord} maxLength={100}
            onInput={(e) => setWord((e.target as HTMLInputElement).value)} data-testid="add-word" />
          <button type="submit">{t.add}</button>
        </form>
      )}
      <p class="sub">{t.lockedNote}</p>
    </div>
  );
}
