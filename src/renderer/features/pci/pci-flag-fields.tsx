import type { ReactNode } from 'react';
import type { PciFlags } from '../../../shared/pci-schemas';

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
}: {
  values: PciFlagValues;
  disabled: boolean;
  onChange: (values: PciFlagValues) => void;
}): ReactNode {
  return (
    <fieldset className="field">
      <legend>Options</legend>
      {(Object.keys(labels) as (keyof PciFlagValues)[]).map((flag) => (
        <label key={flag} className="checkbox">
          <input
            type="checkbox"
            data-testid={`pci-flag-${flag}`}
            checked={values[flag]}
            disabled={disabled}
            onChange={(event) => onChange({ ...values, [flag]: event.target.checked })}
          />{' '}
          {labels[flag]}
        </label>
      ))}
    </fieldset>
  );
}

/** The flags to send: rombar only when it is turned off, so PVE's default stays implicit. */
export function flagsToSend(values: PciFlagValues): PciFlags {
  return { pcie: values.pcie, xVga: values.xVga, ...(values.rombar ? {} : { rombar: false }) };
}
