/** Runs `task` once after `delayMs`; the returned function cancels it. Injected so tests drive time. */
export type Scheduler = (delayMs: number, task: () => void) => () => void;

/** The real timer. Unref'd, so a pending renewal never keeps the process alive on its own. */
export const timerScheduler: Scheduler = (delayMs, task) => {
  const timer = setTimeout(task, Math.max(0, delayMs));
  timer.unref();
  return () => clearTimeout(timer);
};
