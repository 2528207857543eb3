import type { ReactNode } from 'react';

/** Props of a usage meter. */
export interface MeterProps {
  /** The id of the element that names what is measured. */
  labelledBy: string;
  value: number;
  max: number;
  /** Width of the fill, 0 to 100. */
  fillPercent: number;
  /** How the reading is spoken: "12 GiB of 32 GiB, 37 percent". */
  valueText: string;
  tone: 'ok' | 'high' | 'full';
}

/** A horizontal bar showing how much of a limit is used. */
export function Meter({
  labelledBy,
  value,
  max,
  fillPercent,
  valueText,
  tone,
}: MeterProps): ReactNode {
  return (
    <div
      className={`meter meter-${tone}`}
      role="meter"
      aria-labelledby={labelledBy}
      aria-valuemin={0}
      aria-valuemax={max}
      aria-valuenow={Math.min(value, max)}
      aria-valuetext={valueText}
    >
      <div className="meter-fill" style={{ width: `${fillPercent}%` }} />
    </div>
  );
}
