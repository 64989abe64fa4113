// Says in the closing summary, after vitest's own, that the real-browser tests were skipped on purpose
// (KIZUKI_SKIP_BROWSERS=1, honoured outside CI only), so a green run without them cannot be mistaken for a full one.
import type { Reporter, TestSpecification } from 'vitest/node';
import { browsersSkipped } from '../../scripts/browsers.mjs';

export default class BrowserSkipReporter implements Reporter {
  private e2eFiles = 0;

  onTestRunStart(specifications: ReadonlyArray<TestSpecification>): void {
    this.e2eFiles = specifications.filter((s) => s.project.name === 'e2e').length;
  }

  onFinished(): void {
    if (this.e2eFiles === 0 || !browsersSkipped()) return;
    process.stdout.write(
      `\n  SKIPPED  ${this.e2eFiles} real-browser test files (KIZUKI_SKIP_BROWSERS=1): the extension was not tested in Chromium or Firefox.\n` +
        `           Unset KIZUKI_SKIP_BROWSERS to run them (missing browsers are installed as root with apt, or the command is printed).\n\n`,
    );
  }
}
