// The QA lead's console (options page): the pack sources and adding packs (file, URL, paste; each checked at once,
// refused with every error at its line and column), the rules of the current stack in readable Japanese, a
// playground shaped like the editor, and the managed policy for IT. It compiles the configuration itself
// (model.ts), so it works on a fresh profile before any reply was analysed. Pack text is always rendered as text by
// Preact, never as markup.
import { render } from 'preact';
import { useConsoleState } from './model';
import { PacksSection } from './packs';
import { RulesSection } from './rules';
import { PlaygroundSection } from './playground';
import { PolicySection } from './policy';
import './controls-section';

function Options() {
  const state = useConsoleState();
  return (
    <>
      <header class="top">
        <h1>kizuki の設定</h1>
        <nav aria-label="ページ内の移動">
          <a href="#packs">ルールパック</a>
          <a href="#rules">ルール</a>
          <a href="#playground">試してみる</a>
          <a href="#policy">チームに配布</a>
        </nav>
      </header>
      <main>
        {state === undefined ? (
          <p class="muted" data-testid="loading">読み込み中…</p>
        ) : (
          <>
            <PacksSection state={state} />
            <RulesSection state={state} />
            <PlaygroundSection state={state} />
            <PolicySection state={state} />
          </>
        )}
      </main>
    </>
  );
}

render(<Options />, document.getElementById('app')!);
