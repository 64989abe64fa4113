/**
 * Runs `fn` in a task of its own, as soon as the current one and its microtasks are done. A message, not a timer:
 * timers are clamped to 1 s or more in hidden tabs and may be throttled in hidden extension pages; messages are not.
 */
export function inNextTask(fn: () => void): () => void {
  const channel = new MessageChannel();
  let cancelled = false;
  channel.port1.onmessage = () => {
    channel.port1.close();
    if (!cancelled) fn();
  };
  channel.port2.postMessage(null);
  return () => {
    cancelled = true;
    channel.port1.close();
  };
}

/** Resolves in a later task (see inNextTask): lets other work run in the middle of a long job. */
export function nextTask(): Promise<void> {
  return new Promise((resolve) => inNextTask(resolve));
}
