import { zodResolver } from '@hookform/resolvers/zod';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { InstanceRef, QuotaConstraints } from '../../../shared/contract';
import { attachBuses } from '../../../shared/disk-slot-schemas';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { DialogActions } from '../../components/dialog-actions';
import { ErrorMessage } from '../../components/error-message';
import { useServerFieldErrors } from '../../components/server-field-errors';
import { Loading } from '../../components/spinner';
import { quotaConstraintsQuery } from '../disk-slots/use-disk-slots';
import { QuotaRefusal } from '../disks/quota-refusal';
import { instanceListQuery } from '../instances/instance-queries';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { useSelectedTask, useTaskFeed } from '../tasks/task-feed-context';
import { TaskProgress } from '../tasks/task-progress';
import { PlacementFields } from './placement-fields';
import { ResourceFields } from './resource-fields';
import {
  createServerFields,
  initialCreateValues,
  instanceCreateFormSchema,
  toCreateInput,
  toPreviewChange,
  type InstanceCreateFormValues,
} from './instance-create-form';
import { useCreateInstance } from './instance-create-queries';

/** Props of the New instance dialog. */
export interface NewInstanceDialogProps {
  onClose: () => void;
  /** Called with the new guest when the user leaves the finished dialog. */
  onCreated: (ref: InstanceRef) => void;
}

/** Keeps the choices consistent with the policy: a storage and bus that allow the disk. */
function useConsistentChoices(
  form: ReturnType<typeof useForm<InstanceCreateFormValues>>,
  constraints: QuotaConstraints,
  nodes: readonly string[],
): void {
  const type = useWatch({ control: form.control, name: 'type' });
  const node = useWatch({ control: form.control, name: 'node' });
  const storage = useWatch({ control: form.control, name: 'storage' });
  const bus = useWatch({ control: form.control, name: 'bus' });
  const template = useWatch({ control: form.control, name: 'template' });
  useEffect(() => {
    const { setValue } = form;
    if (!nodes.includes(node) && nodes[0] !== undefined) setValue('node', nodes[0]);
    if (form.getValues('pool') === '' && constraints.pools.length > 1) {
      setValue('pool', constraints.pools[0] ?? '');
    }
    const storages = constraints.storages.filter((entry) =>
      type === 'qemu'
        ? attachBuses.some((b) => entry.buses.includes(b))
        : entry.buses.includes('rootfs'),
    );
    const chosen = storages.find((entry) => entry.storage === storage) ?? storages[0];
    if (chosen !== undefined && chosen.storage !== storage) setValue('storage', chosen.storage);
    const buses = attachBuses.filter((b) => chosen?.buses.includes(b));
    if (buses[0] !== undefined && !buses.includes(bus)) setValue('bus', buses[0]);
    if (
      template !== '' &&
      !constraints.templates.some((t) => t.name === template && t.type === type)
    ) {
      setValue('template', '');
    }
  }, [form, constraints, nodes, type, node, storage, bus, template]);
  useEffect(() => {
    // Media belong to a node: a choice made for another node is dropped.
    form.setValue('iso', '');
    form.setValue('ostemplate', '');
  }, [form, node, type]);
}

function CreateForm({
  constraints,
  nodes,
  create,
  onClose,
  onCreated,
}: NewInstanceDialogProps & {
  constraints: QuotaConstraints;
  nodes: readonly string[];
  create: ReturnType<typeof useCreateInstance>;
}): ReactNode {
  const feed = useTaskFeed();
  const doneRef = useRef<HTMLButtonElement>(null);
  const [taskMark, setTaskMark] = useState<number | null>(null);
  const form = useForm<InstanceCreateFormValues>({
    resolver: zodResolver(instanceCreateFormSchema),
    defaultValues: initialCreateValues,
    mode: 'onChange',
  });
  useConsistentChoices(form, constraints, nodes);
  const node = useWatch({ control: form.control, name: 'node' });
  const failedUpid = isApiError(create.error) ? create.error.details?.upid : undefined;
  const task = useSelectedTask(
    taskMark === null
      ? null
      : { node, since: taskMark, upid: create.data?.task.upid ?? failedUpid },
  );

  const watched = useWatch({ control: form.control });
  // Priced as the form stands; main prices the create again when it is sent.
  const preview = useQuotaPreview(
    create.isPending || create.isSuccess ? null : toPreviewChange(watched),
  );
  useServerFieldErrors(form.setError, create.error, createServerFields);
  // A value the preview's pricing refuses (an id outside the range) is shown under its field too.
  useServerFieldErrors(
    form.setError,
    preview.status === 'error' ? preview.error : null,
    createServerFields,
  );
  useEffect(() => {
    if (create.isSuccess) doneRef.current?.focus();
  }, [create.isSuccess]);

  const submit = form.handleSubmit((values) => {
    setTaskMark(feed.mark());
    create.mutate(toCreateInput(values));
  });

  if (create.isSuccess) {
    const { vmid, type } = create.data;
    return (
      <>
        <p className="message message-success" role="status" data-testid="create-done">
          Created {type === 'qemu' ? 'VM' : 'container'} {vmid} on {create.data.node}
          {create.data.task.status === 'warnings' ? ', with warnings (see the task log).' : '.'}
        </p>
        {task !== null ? <TaskProgress task={task} running={false} preparingText="" /> : null}
        <div className="dialog-actions">
          <button
            type="button"
            className="button button-primary"
            ref={doneRef}
            data-testid="create-finish"
            onClick={() => onCreated({ node: create.data.node, type, vmid })}
          >
            Show it
          </button>
        </div>
      </>
    );
  }

  return (
    <form
      className="form"
      noValidate
      onSubmit={(event) => void submit(event)}
      onChange={() => {
        if (create.isError) create.reset();
      }}
      aria-busy={create.isPending}
    >
      <PlacementFields form={form} constraints={constraints} nodes={nodes} />
      <ResourceFields form={form} constraints={constraints} />
      <QuotaPreviewPanel verdict={preview} />
      {isApiError(create.error, 'QUOTA_EXCEEDED') ? (
        <QuotaRefusal
          message={create.error.message}
          shortfalls={create.error.details?.shortfalls ?? []}
        />
      ) : create.isError ? (
        <ErrorMessage
          error={create.error}
          title="The instance was not created"
          testId="create-error"
        />
      ) : null}
      {taskMark !== null && (create.isPending || task !== null) ? (
        <TaskProgress
          task={task}
          running={create.isPending}
          preparingText="Checking your quota, choosing an id and sending the create…"
        />
      ) : null}
      <DialogActions
        busy={create.isPending}
        blocked={blocksConfirm(preview)}
        onCancel={onClose}
        confirmLabel="Create"
        busyLabel="Creating…"
        confirmTestId="create-submit"
      />
    </form>
  );
}

/** Creates a VM or container in one of the user's pools, with choices the policy allows. */
export function NewInstanceDialog({ onClose, onCreated }: NewInstanceDialogProps): ReactNode {
  const constraints = useQuery(quotaConstraintsQuery());
  const create = useCreateInstance();
  const instances = useQuery(instanceListQuery());
  // Without a node list in the policy, offer the nodes the user's guests are on.
  const nodes =
    constraints.data?.nodes ?? [...new Set((instances.data ?? []).map((row) => row.node))].sort();
  return (
    <Dialog
      title="New instance"
      onClose={onClose}
      closable={!create.isPending}
      testId="create-dialog"
    >
      {constraints.isPending ? <Loading>Reading your quota…</Loading> : null}
      {constraints.isError ? (
        <ErrorMessage
          error={constraints.error}
          title="Could not read your quota"
          testId="create-constraints-error"
        />
      ) : null}
      {constraints.data ? (
        <CreateForm
          constraints={constraints.data}
          nodes={nodes}
          create={create}
          onClose={onClose}
          onCreated={onCreated}
        />
      ) : null}
    </Dialog>
  );
}
