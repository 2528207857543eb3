import type { ReactNode } from 'react';
import type { PciFlags } from '../../../shared/pci-schemas';
import { FieldError } from '../../components/field-error';

/** The flags as the form holds them: every one set, rombar on unless turned off. */
export interface PciFlagValues {
  pcie: boolean;
  xVga: boolean;
  rombar: boolean;
}

const labels: Record<keyof PciFlagValues, string> = {
  pcie: 'PCI Express (needs the q35 machine type)',
  xVga: 'Primary GPU (x-vga)',
  rombar: 'Expose the ROM BAR',
};

/** Checkboxes for the pcie, x-vga and rombar flags. */
export function PciFlagFields({
  values,
  disabled,
  onChange,
  errors = {},
}: {
  values: PciFlagValues;
  disabled: boolean;
  onChange: (values: PciFlagValues) => void;
  /** Reasons main or PVE gave for a flag, shown under it. */
  errors?: Partial<Record<keyof PciFlagValues, string>>;
}): ReactNode {
  return (
    <fieldset className="field">
      <legend>Options</legend>
      {(Object.keys(labels) as (keyof PciFlagValues)[]).map((flag) => (
        <div key={flag}>
          <label className="checkbox">
            <input
              type="checkbox"
              data-testid={`pci-flag-${flag}`}
              checked={values[flag]}
              disabled={disabled}
              onChange={(event) => onChange({ ...values, [flag]: event.target.checked })}
            />{' '}
            {labels[flag]}
          </label>
          {errors[flag] !== undefined ? (
            <FieldError message={errors[flag]} testId={`pci-flag-${flag}-error`} />
          ) : null}
        </div>
      ))}
    </fieldset>
  );
}

/** The flags to send: rombar only when it is turned off, so PVE's default stays implicit. */
export function flagsToSend(values: PciFlagValues): PciFlags {
  return { pcie: values.pcie, xVga: values.xVga, ...(values.rombar ? {} : { rombar: false }) };
}
