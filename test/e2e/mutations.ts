// A MutationObserver log of one editor subtree, installed in the page's main world, so a test can tell whether
// anything besides the editor itself changed the editor's DOM.
import type { Page } from 'playwright-core';

declare global {
  interface Window {
    __mutationLog?: { signatures: string[]; stop(): void };
  }
}

export interface MutationLog {
  /** One line per mutation record: kind, where (tag path below the editor root) and what changed. */
  signatures: string[];
  /** The editor subtree's markup when the log was read. */
  html: string;
}

/** Starts recording every node, attribute and text change inside the element matching `selector`. */
export async function startMutationLog(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const root = document.querySelector(sel);
    if (!root) throw new Error(`startMutationLog: ${sel} not found`);
    const where = (node: Node): string => {
      const parts: string[] = [];
      for (let n: Node | null = node; n && n !== root; n = n.parentNode) parts.unshift(n.nodeName);
      return parts.length ? parts.join('>') : ':root';
    };
    const names = (nodes: NodeList) => Array.from(nodes, (n) => n.nodeName).join(',');
    const signatures: string[] = [];
    const observer = new MutationObserver((records) => {
      for (const r of records) {
        if (r.type === 'attributes') signatures.push(`attr ${where(r.target)} ${r.attributeName}`);
        else if (r.type === 'characterData') signatures.push(`text ${where(r.target)}`);
        else signatures.push(`child ${where(r.target)} +[${names(r.addedNodes)}] -[${names(r.removedNodes)}]`);
      }
    });
    observer.observe(root, { subtree: true, childList: true, attributes: true, characterData: true });
    window.__mutationLog = { signatures, stop: () => observer.disconnect() };
  }, selector);
}

export async function readMutationLog(page: Page, selector: string): Promise<MutationLog> {
  return page.evaluate((sel) => {
    const log = window.__mutationLog;
    if (!log) throw new Error('readMutationLog: startMutationLog was not called');
    log.stop();
    const root = document.querySelector(sel);
    return { signatures: [...log.signatures], html: root instanceof HTMLTextAreaElement ? root.value : (root?.innerHTML ?? '') };
  }, selector);
}
