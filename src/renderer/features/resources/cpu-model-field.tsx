import { useQuery } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { FieldError } from '../../components/field-error';
import { quotaConstraintsQuery } from '../disk-slots/use-disk-slots';
import { quotaUsageQuery } from '../quota/quota-queries';
import {
  cpuModelHint,
  cpuModelLabel,
  cpuModelOptions,
  cpuModelUnavailableNote,
} from './cpu-model-options';
import type { ResourcesFormValues } from './resources-form-schema';

/** Props of the CPU model select. */
export interface CpuModelFieldProps {
  form: UseFormReturn<ResourcesFormValues>;
  /** The VM's model; null when it runs PVE's default. */
  current: string | null;
  /** The node the VM runs on, whose per-node limits apply to a new model. */
  node: string;
  disabled: boolean;
  onChange: () => void;
}

/** A VM's CPU model, chosen among the models the lab policy names; see cpu-model-options.ts. */
export function CpuModelField({
  form,
  current,
  node,
  disabled,
  onChange,
}: CpuModelFieldProps): ReactNode {
  const id = useId();
  const constraints = useQuery(quotaConstraintsQuery());
  const usage = useQuery(quotaUsageQuery());
  const room = {
    node,
    used: usage.data?.resources ?? null,
    defaultModel: constraints.data?.defaultCpuModel ?? null,
  };
  const options = cpuModelOptions(constraints.data?.cpuModels ?? [], current, room);
  const unavailable = cpuModelUnavailableNote(options);
  const error = form.formState.errors.cpuType?.message;
  const hint = constraints.isPending
    ? 'Reading which CPU models the lab policy allows…'
    : constraints.isError
      ? 'The lab policy could not be read, so only the current model is offered.'
      : cpuModelHint(options);

  return (
    <div className="field">
      <label htmlFor={id}>CPU model</label>
      <select
        id={id}
        className="input"
        data-testid="resources-cpuType"
        aria-invalid={error !== undefined}
        aria-describedby={`${id}-${error !== undefined ? 'error' : 'hint'}`}
        disabled={disabled}
        {...form.register('cpuType', { onChange })}
      >
        {current === null ? <option value="">PVE default (no model set)</option> : null}
        {options.models.map((choice) => (
          <option key={choice.model} value={choice.model} disabled={!choice.available}>
            {cpuModelLabel(choice, current)}
          </option>
        ))}
      </select>
      {error !== undefined ? (
        <FieldError id={`${id}-error`} message={error} testId="resources-cpuType-error" />
      ) : (
        <p className="field-hint" id={`${id}-hint`} data-testid="resources-cpuType-hint">
          {hint}
        </p>
      )}
      {unavailable !== null ? (
        <p className="field-hint" data-testid="resources-cpuType-unavailable">
          {unavailable}
        </p>
      ) : null}
    </div>
  );
}
