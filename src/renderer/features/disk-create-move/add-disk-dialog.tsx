import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type ReactNode } from 'react';
import type { InstanceRef } from '../../../shared/contract';
import { attachBuses, mountPathSchema, type AttachBus } from '../../../shared/disk-slot-schemas';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { quotaConstraintsQuery } from '../disk-slots/use-disk-slots';
import { QuotaRefusal } from '../disks/quota-refusal';
import { useCreateDisk } from './use-disk-create';

/** Props of the add-disk dialog. */
export interface AddDiskDialogProps {
  instance: InstanceRef;
  onClose: () => void;
}

/** Adds a new VM disk on a bus, or a container mount point, on a storage the policy names. */
export function AddDiskDialog({ instance, onClose }: AddDiskDialogProps): ReactNode {
  const formId = useId();
  const cancelRef = useRef<HTMLButtonElement>(null);
  const constraints = useQuery(quotaConstraintsQuery());
  const create = useCreateDisk(instance);
  const vm = instance.type === 'qemu';
  const storages = (constraints.data?.storages ?? []).filter((entry) =>
    vm ? attachBuses.some((bus) => entry.buses.includes(bus)) : entry.buses.includes('mp'),
  );
  const [storage, setStorage] = useState<string | null>(null);
  const chosenStorage = storage ?? storages[0]?.storage ?? null;
  const buses = attachBuses.filter((bus) =>
    storages.find((entry) => entry.storage === chosenStorage)?.buses.includes(bus),
  );
  const [bus, setBus] = useState<AttachBus | null>(null);
  const chosenBus = bus !== null && buses.includes(bus) ? bus : (buses[0] ?? null);
  const [sizeText, setSizeText] = useState('8');
  const [mountPath, setMountPath] = useState('');
  const sizeGiB = Number(sizeText);
  const sizeValid = /^\d+$/.test(sizeText) && sizeGiB >= 1 && sizeGiB <= 65_536;
  const path = mountPathSchema.safeParse(mountPath);
  const ready =
    chosenStorage !== null &&
    sizeValid &&
    (vm ? chosenBus !== null : path.success) &&
    !create.isPending;

  const submit = (): void => {
    if (!ready || chosenStorage === null) return;
    if (vm && chosenBus !== null)
      create.mutate({ storage: chosenStorage, bus: chosenBus, sizeGiB });
    else if (!vm && path.success)
      create.mutate({ storage: chosenStorage, sizeGiB, mountPath: path.data });
  };

  return (
    <Dialog
      title={vm ? 'Add a disk' : 'Add a mount point'}
      onClose={onClose}
      closable={!create.isPending}
      initialFocusRef={cancelRef}
      testId="disk-create-dialog"
    >
      {create.isSuccess ? (
        <>
          <p className="message message-success" role="status" data-testid="disk-create-done">
            Added {create.data.key}
            {create.data.volume === null ? '.' : ` (${create.data.volume}).`}
          </p>
          <div className="dialog-actions">
            <button type="button" className="button button-primary" onClick={onClose}>
              Done
            </button>
          </div>
        </>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${formId}-storage`}>Storage</label>
            <select
              id={`${formId}-storage`}
              data-testid="disk-create-storage"
              value={chosenStorage ?? ''}
              onChange={(event) => setStorage(event.target.value)}
            >
              {storages.map((entry) => (
                <option key={entry.storage} value={entry.storage}>
                  {entry.storage}
                </option>
              ))}
            </select>
          </div>
          {vm ? (
            <div className="field">
              <label htmlFor={`${formId}-bus`}>Bus</label>
              <select
                id={`${formId}-bus`}
                data-testid="disk-create-bus"
                value={chosenBus ?? ''}
                onChange={(event) => setBus(event.target.value as AttachBus)}
              >
                {buses.map((item) => (
                  <option key={item} value={item}>
                    {item}
                  </option>
                ))}
              </select>
            </div>
          ) : (
            <div className="field">
              <label htmlFor={`${formId}-path`}>Mount path inside the container</label>
              <input
                id={`${formId}-path`}
                data-testid="disk-create-path"
                value={mountPath}
                onChange={(event) => setMountPath(event.target.value)}
              />
            </div>
          )}
          <div className="field">
            <label htmlFor={`${formId}-size`}>Size (GiB)</label>
            <input
              id={`${formId}-size`}
              data-testid="disk-create-size"
              inputMode="numeric"
              value={sizeText}
              onChange={(event) => setSizeText(event.target.value)}
            />
            {!sizeValid ? <p className="field-error">A whole number from 1 to 65536.</p> : null}
          </div>
          {isApiError(create.error, 'QUOTA_EXCEEDED') ? (
            <QuotaRefusal
              message={create.error.message}
              shortfalls={create.error.details?.shortfalls ?? []}
            />
          ) : create.isError ? (
            <ErrorMessage
              error={create.error}
              title="The disk was not added"
              testId="disk-create-error"
            />
          ) : null}
          <div className="dialog-actions">
            <button
              type="button"
              className="button"
              ref={cancelRef}
              onClick={onClose}
              disabled={create.isPending}
            >
              Cancel
            </button>
            <button
              type="button"
              className="button button-primary"
              data-testid="disk-create-confirm"
              disabled={!ready}
              onClick={submit}
            >
              {create.isPending ? 'Adding…' : 'Add'}
            </button>
          </div>
        </>
      )}
    </Dialog>
  );
}
