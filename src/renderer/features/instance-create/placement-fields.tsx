import type { ReactNode } from 'react';
import { useWatch } from 'react-hook-form';
import type { QuotaConstraints } from '../../../shared/contract';
import { formatBytes } from '../../../shared/units';
import { Field, type CreateForm } from './form-field';

function costText(cost: QuotaConstraints['templates'][number]['cost']): string {
  const parts: string[] = [];
  if (cost.cores > 0) parts.push(`${cost.cores} cores`);
  if (cost.memoryBytes > 0) parts.push(`${formatBytes(cost.memoryBytes)} memory`);
  if (cost.swapBytes > 0) parts.push(`${formatBytes(cost.swapBytes)} swap`);
  if (cost.networkBytesPerSecond > 0) {
    parts.push(`${cost.networkBytesPerSecond / 1024 / 1024} MB/s network`);
  }
  for (const [storage, bytes] of Object.entries(cost.storageBytes)) {
    parts.push(`${formatBytes(bytes)} on ${storage}`);
  }
  return parts.length === 0 ? 'No extra cost.' : `Costs ${parts.join(', ')} on top.`;
}

/** Where the guest goes: type, node, pool, template, name and id. */
export function PlacementFields({
  form,
  constraints,
  nodes,
}: {
  form: CreateForm;
  constraints: QuotaConstraints;
  nodes: readonly string[];
}): ReactNode {
  const type = useWatch({ control: form.control, name: 'type' });
  const templateName = useWatch({ control: form.control, name: 'template' });
  const templates = constraints.templates.filter((t) => t.type === type);
  const template = templates.find((t) => t.name === templateName);
  const ranges = constraints.vmidRanges?.map((r) => `${r.min}–${r.max}`).join(', ');
  return (
    <>
      <Field form={form} name="type" label="Type">
        {(id) => (
          <select id={id} className="input" data-testid="create-type" {...form.register('type')}>
            <option value="qemu">Virtual machine</option>
            <option value="lxc">Container</option>
          </select>
        )}
      </Field>
      <Field
        form={form}
        name="node"
        label="Node"
        hint={nodes.length === 0 ? 'The name of a node of the cluster, such as pve1.' : undefined}
      >
        {(id, invalid) =>
          // Without a node list in the policy or a guest to learn one from, the name is typed.
          nodes.length === 0 ? (
            <input
              id={id}
              className="input"
              aria-invalid={invalid}
              data-testid="create-node"
              {...form.register('node')}
            />
          ) : (
            <select
              id={id}
              className="input"
              aria-invalid={invalid}
              data-testid="create-node"
              {...form.register('node')}
            >
              {nodes.map((node) => (
                <option key={node} value={node}>
                  {node}
                </option>
              ))}
            </select>
          )
        }
      </Field>
      {constraints.pools.length > 1 ? (
        <Field form={form} name="pool" label="Pool">
          {(id, invalid) => (
            <select
              id={id}
              className="input"
              aria-invalid={invalid}
              data-testid="create-pool"
              {...form.register('pool')}
            >
              {constraints.pools.map((pool) => (
                <option key={pool} value={pool}>
                  {pool}
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : (
        <p className="field-hint" data-testid="create-pool-fixed">
          It joins your pool {constraints.pools[0] ?? '(none)'}.
        </p>
      )}
      <Field
        form={form}
        name="template"
        label="Template"
        hint={
          template ? `${template.description ?? ''} ${costText(template.cost)}`.trim() : undefined
        }
      >
        {(id, invalid) => (
          <select
            id={id}
            className="input"
            aria-invalid={invalid}
            data-testid="create-template"
            {...form.register('template')}
          >
            <option value="">None</option>
            {templates.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field
        form={form}
        name="name"
        label={type === 'qemu' ? 'Name' : 'Host name'}
        hint="Letters, digits and hyphens; dots between parts."
      >
        {(id, invalid) => (
          <input
            id={id}
            className="input"
            aria-invalid={invalid}
            data-testid="create-name"
            {...form.register('name')}
          />
        )}
      </Field>
      <Field
        form={form}
        name="vmid"
        label="Guest id"
        hint={`Empty: the next free id in your range (${ranges ?? 'any'}).`}
      >
        {(id, invalid) => (
          <input
            id={id}
            inputMode="numeric"
            className="input input-number"
            aria-invalid={invalid}
            data-testid="create-vmid"
            {...form.register('vmid')}
          />
        )}
      </Field>
    </>
  );
}
