// The options page (the QA lead's console) → background. Plain JSON both ways.
import type { PackConfiguration } from '../distribution/configuration';
import type { PackError } from '../engine/pack';
import type { SubscriptionState } from '../distribution/subscription';

export type ConsoleRequest =
  /** The configuration the engine runs with (packs as text, policy, settings); also has the engine host compile it. */
  | { type: 'kizuki:console'; op: 'config' }
  /** Have the engine host store the pack status (the panel's rule names) on a profile where nothing did yet. */
  | { type: 'kizuki:console'; op: 'status' }
  /** Download a pack URL once and check it like a scheduled update would, without subscribing to it. */
  | { type: 'kizuki:console'; op: 'fetch-url'; url: string; sha256?: string }
  /** Subscribe to a URL whose download `state` the console has checked (with the tokenizer and the locks). */
  | { type: 'kizuki:console'; op: 'add-url'; url: string; sha256?: string; updateIntervalMinutes?: number; state: SubscriptionState }
  /** Check one subscribed URL for a new version now. */
  | { type: 'kizuki:console'; op: 'update-now'; url: string };

export interface ConsoleConfigResponse {
  config: PackConfiguration;
}

export interface ConsoleFetchResponse {
  state: SubscriptionState;
  /** The downloaded text, when there was one (also when it was refused: the console shows it with the errors). */
  text?: string;
  errors?: PackError[];
}
