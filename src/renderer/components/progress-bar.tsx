import type { ReactNode } from 'react';

/** Props of a progress bar; without a value it shows activity of unknown length. */
export interface ProgressBarProps {
  label: string;
  /** 0 to 100; omitted while the length of the work is unknown. */
  percent?: number;
}

/** A thin progress bar for work in flight. */
export function ProgressBar({ label, percent }: ProgressBarProps): ReactNode {
  const known = percent !== undefined && Number.isFinite(percent);
  const clamped = known ? Math.min(100, Math.max(0, percent)) : 0;
  return (
    <div
      className={known ? 'progress' : 'progress progress-indeterminate'}
      role="progressbar"
      aria-label={label}
      aria-valuemin={known ? 0 : undefined}
      aria-valuemax={known ? 100 : undefined}
      aria-valuenow={known ? Math.round(clamped) : undefined}
    >
      <div className="progress-fill" style={known ? { width: `${clamped}%` } : undefined} />
    </div>
  );
}
