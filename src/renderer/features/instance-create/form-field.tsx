import { useId, type ReactNode } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { FieldError } from '../../components/field-error';
import type { InstanceCreateFormValues } from './instance-create-form';

/** The New instance form. */
export type CreateForm = UseFormReturn<InstanceCreateFormValues>;
/** A field of the New instance form. */
export type CreateFieldName = keyof InstanceCreateFormValues;

/** One labelled field with its hint or error. */
export function Field({
  form,
  name,
  label,
  hint,
  children,
}: {
  form: CreateForm;
  name: CreateFieldName;
  label: string;
  hint?: string;
  children: (id: string, invalid: boolean) => ReactNode;
}): ReactNode {
  const id = useId();
  const error = form.formState.errors[name]?.message;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {children(id, error !== undefined)}
      {error !== undefined ? (
        <FieldError message={error} testId={`create-${name}-error`} />
      ) : hint !== undefined ? (
        <p className="field-hint">{hint}</p>
      ) : null}
    </div>
  );
}

/** A whole-number field. */
export function NumberField({
  form,
  name,
  label,
  hint,
}: {
  form: CreateForm;
  name: CreateFieldName;
  label: string;
  hint?: string;
}): ReactNode {
  return (
    <Field form={form} name={name} label={label} hint={hint}>
      {(id, invalid) => (
        <input
          id={id}
          type="number"
          inputMode="numeric"
          step={1}
          className="input input-number"
          aria-invalid={invalid}
          data-testid={`create-${name}`}
          {...form.register(name, { valueAsNumber: true })}
        />
      )}
    </Field>
  );
}
