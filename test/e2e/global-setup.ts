// Runs once, before any real-browser test file (vitest.config.ts gives it to the e2e project only, so a run of unit
// tests never needs a browser). A missing browser fails the run here, at once, with the command that installs it;
// outside CI it is installed first when that is possible (root with apt-get). Nothing is skipped silently:
// KIZUKI_SKIP_BROWSERS=1 (outside CI only) is reported in the run's closing summary (test/e2e/skip-reporter.ts).
import { ensureBrowsers } from '../../scripts/browsers.mjs';

export default function setup(): void {
  try {
    ensureBrowsers();
  } catch (error) {
    // Vitest would print a stack trace and "No test files found" around the message; the message is all there is to say.
    process.stderr.write(`\n\x1b[31mkizuki: ${(error as Error).message}\x1b[0m\n\n`);
    process.exit(1);
  }
}
