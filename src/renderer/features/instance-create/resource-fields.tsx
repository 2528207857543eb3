import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useWatch } from 'react-hook-form';
import type { QuotaConstraints } from '../../../shared/contract';
import { attachBuses } from '../../../shared/disk-slot-schemas';
import { formatBytes } from '../../../shared/units';
import { Field, NumberField, type CreateForm } from './form-field';
import { cpuModelChoices } from './instance-create-form';
import { mediaQuery } from './instance-create-queries';

/** CPU, memory, disk and installation media. */
export function ResourceFields({
  form,
  constraints,
}: {
  form: CreateForm;
  constraints: QuotaConstraints;
}): ReactNode {
  const type = useWatch({ control: form.control, name: 'type' });
  const node = useWatch({ control: form.control, name: 'node' });
  const storage = useWatch({ control: form.control, name: 'storage' });
  const vm = type === 'qemu';
  const media = useQuery({ ...mediaQuery(node, vm ? 'iso' : 'vztmpl'), enabled: node !== '' });
  const storages = constraints.storages.filter((entry) =>
    vm ? attachBuses.some((bus) => entry.buses.includes(bus)) : entry.buses.includes('rootfs'),
  );
  const buses = attachBuses.filter((bus) =>
    storages.find((entry) => entry.storage === storage)?.buses.includes(bus),
  );
  const mediaOptions = (media.data ?? []).map((volume) => (
    <option key={volume.volid} value={volume.volid}>
      {volume.name}
      {volume.sizeBytes === null ? '' : ` (${formatBytes(volume.sizeBytes)})`}
      {volume.label === null ? '' : ` — ${volume.label}`}
    </option>
  ));
  return (
    <>
      <NumberField form={form} name="cores" label="Cores" hint={vm ? 'One socket.' : undefined} />
      <NumberField form={form} name="memoryMiB" label="Memory (MiB)" hint="1 GiB is 1024 MiB." />
      {vm ? (
        <Field form={form} name="cpuType" label="CPU type">
          {(id, invalid) => (
            <select
              id={id}
              className="input"
              aria-invalid={invalid}
              data-testid="create-cpuType"
              {...form.register('cpuType')}
            >
              <option value="">Default</option>
              {cpuModelChoices(constraints.cpuModels).map((model) => (
                <option key={model} value={model}>
                  {model}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <NumberField form={form} name="swapMiB" label="Swap (MiB)" hint="0 turns swap off." />
      )}
      <Field form={form} name="storage" label={vm ? 'Disk storage' : 'Root disk storage'}>
        {(id, invalid) => (
          <select
            id={id}
            className="input"
            aria-invalid={invalid}
            data-testid="create-storage"
            {...form.register('storage')}
          >
            {storages.map((entry) => (
              <option key={entry.storage} value={entry.storage}>
                {entry.storage}
              </option>
            ))}
          </select>
        )}
      </Field>
      {vm ? (
        <Field form={form} name="bus" label="Disk bus">
          {(id, invalid) => (
            <select
              id={id}
              className="input"
              aria-invalid={invalid}
              data-testid="create-bus"
              {...form.register('bus')}
            >
              {buses.map((bus) => (
                <option key={bus} value={bus}>
                  {bus}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      <NumberField form={form} name="sizeGiB" label="Disk size (GiB)" />
      {vm ? (
        <Field form={form} name="iso" label="Installer ISO" hint="Inserted as a CD drive (ide2).">
          {(id, invalid) => (
            <select
              id={id}
              className="input"
              aria-invalid={invalid}
              data-testid="create-iso"
              {...form.register('iso')}
            >
              <option value="">None</option>
              {mediaOptions}
            </select>
          )}
        </Field>
      ) : (
        <>
          <Field form={form} name="ostemplate" label="Container template">
            {(id, invalid) => (
              <select
                id={id}
                className="input"
                aria-invalid={invalid}
                data-testid="create-ostemplate"
                {...form.register('ostemplate')}
              >
                <option value="">Choose…</option>
                {mediaOptions}
              </select>
            )}
          </Field>
          <Field
            form={form}
            name="password"
            label="Root password"
            hint="Optional; sent to PVE once and never stored by ProxDesk."
          >
            {(id, invalid) => (
              <input
                id={id}
                type="password"
                className="input"
                aria-invalid={invalid}
                autoComplete="new-password"
                data-testid="create-password"
                {...form.register('password')}
              />
            )}
          </Field>
        </>
      )}
    </>
  );
}
