// Shared by the send check and controls tests: drafts for the fixtures' customer complaint, and where to send.
import type { Locator, Page } from 'playwright-core';
import type { FixturePage } from './harness';

/** Satisfies the whole checklist for the complaint on every fixture page, and has no error finding. */
export const CLEAN = '山田様、ご不便をおかけしており申し訳ございません。ご不安な思いをおかけしております。確認のうえ、本日中に改めてご連絡いたします。';
/** The same with the conjunction 「でも、」 (an `error` finding) in front. */
export const WITH_ERROR = 'でも、' + CLEAN;

export const sendButton: Record<FixturePage, string> = {
  zendesk: '[data-test-id="submit_button-button"]',
  intercom: '[data-intercom-target="composer-send-button"]',
  textarea: '#reply-form button[type="submit"]',
  contenteditable: '#reply-form button[type="submit"]',
};

export function nudgeOf(page: Page): Locator {
  return page.locator('kizuki-nudge .kizuki-nudge');
}

