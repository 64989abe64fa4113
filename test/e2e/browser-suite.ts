// The browser set-up shared by the real-browser test files. Apart from harness.ts and firefox.ts because it registers
// vitest hooks, and those are also loaded outside vitest (the benchmarks and the screenshot scripts).
import { afterAll, beforeAll } from 'vitest';
import { buildOncePerRun, fixturesDir, focusEditor, launch, openFixture, startFixtureServer, type FixturePage, type FixtureServer } from './harness';
import { launchFirefox, openFixtureInFirefox } from './firefox';

interface Closable {
  close(): Promise<unknown>;
}

/**
 * One browser with the extension and one fixture server for the tests of a describe block (registered as its
 * beforeAll/afterAll). `fresh` closes the tabs opened before (the extension's per-tab state and the machine's memory
 * stay small) and opens a fixture, its editor focused where the browser's driver can (unless `focus: false`); `keep`
 * adds a tab for the next `fresh` (or `closeTabs`) to close.
 */
function browserSuite<S extends Closable, P extends Closable>(
  start: () => Promise<S>,
  open: (session: S, server: FixtureServer, fixture: FixturePage) => Promise<P>,
  focus?: (page: P, fixture: FixturePage) => Promise<void>,
) {
  let session: S;
  let server: FixtureServer;
  const pages: P[] = [];
  beforeAll(async () => {
    await buildOncePerRun();
    server = await startFixtureServer(fixturesDir);
    session = await start();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });
  const suite = {
    session: () => session,
    server: () => server,
    async closeTabs(): Promise<void> {
      for (const old of pages.splice(0)) await old.close();
    },
    async fresh(fixture: FixturePage, options: { focus?: boolean } = {}): Promise<P> {
      await suite.closeTabs();
      const page = await open(session, server, fixture);
      pages.push(page);
      if (focus && options.focus !== false) await focus(page, fixture);
      return page;
    },
    keep<T extends P>(page: T): T {
      pages.push(page);
      return page;
    },
  };
  return suite;
}

/** Chromium (Playwright), editors focused by `fresh`. */
export const chromiumSuite = () => browserSuite(() => launch(), (session, server, fixture) => openFixture(session.context, server, fixture), focusEditor);

/** Firefox (Puppeteer over WebDriver BiDi). */
export const firefoxSuite = () => browserSuite(() => launchFirefox(), (session, server, fixture) => openFixtureInFirefox(session.browser, server, fixture));
