/**
 * Calls `handler` on the first Ctrl-C (SIGINT) instead of exiting, so training can stop after the
 * current batch and still save; a second Ctrl-C exits at once. Returns a function that removes it.
 */
export function onInterrupt(handler: () => void): () => void {
  let count = 0;
  const listener = (): void => {
    count++;
    if (count === 1) handler();
    else process.exit(130);
  };
  process.on('SIGINT', listener);
  return () => {
    process.off('SIGINT', listener);
  };
}
