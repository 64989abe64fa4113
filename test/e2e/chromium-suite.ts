// The Chromium set-up shared by the real-browser test files. Apart from harness.ts because it registers vitest hooks,
// and harness.ts is also loaded outside vitest (the benchmarks and the screenshot scripts, through scripts/start.mjs).
import { afterAll, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { buildOncePerRun, fixturesDir, focusEditor, launch, openFixture, startFixtureServer, type FixturePage, type FixtureServer, type Session } from './harness';

/**
 * One Chromium with the extension and one fixture server for the tests of a describe block (registered as its
 * beforeAll/afterAll). `fresh` closes the tabs opened before (the extension's per-tab state and the machine's memory
 * stay small) and opens a fixture with its editor focused (unless `focus: false`); `keep` adds a tab for the next `fresh` (or `closeTabs`) to close.
 */
export function chromiumSuite(): { session(): Session; server(): FixtureServer; fresh(fixture: FixturePage, options?: { focus?: boolean }): Promise<Page>; keep(page: Page): Page; closeTabs(): Promise<void> } {
  let session: Session;
  let server: FixtureServer;
  const pages: Page[] = [];
  beforeAll(async () => {
    await buildOncePerRun();
    server = await startFixtureServer(fixturesDir);
    session = await launch();
  });
  afterAll(async () => {
    await session?.close();
    await server?.close();
  });
  return {
    session: () => session,
    server: () => server,
    async fresh(fixture, { focus = true } = {}) {
      await this.closeTabs();
      const page = await openFixture(session.context, server, fixture);
      pages.push(page);
      if (focus) await focusEditor(page, fixture);
      return page;
    },
    keep(page) {
      pages.push(page);
      return page;
    },
    async closeTabs() {
      for (const old of pages.splice(0)) await old.close();
    },
  };
}
