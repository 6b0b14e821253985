/**
 * How long a test waits for background work (the queue consumer, the cron's re-queued rows,
 * after-answer work) before it fails. Generous: on a loaded 2-core CI machine a queue delivery
 * has taken several seconds; a wait that succeeds returns as soon as it does.
 */
export const BACKGROUND_WAIT = { timeout: 20_000, interval: 50 } as const;
