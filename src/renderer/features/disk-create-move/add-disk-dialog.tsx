import { useQuery } from '@tanstack/react-query';
import { useId, useRef, useState, type ReactNode } from 'react';
import type { InstanceRef, MediaVolume } from '../../../shared/contract';
import { attachBuses, mountPathSchema, type AttachBus } from '../../../shared/disk-slot-schemas';
import { isApiError } from '../../api';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { FieldError } from '../../components/field-error';
import { fieldErrorsFrom } from '../../components/server-field-errors';
import { quotaConstraintsQuery } from '../disk-slots/use-disk-slots';
import { QuotaRefusal } from '../disks/quota-refusal';
import { diskCreateChange } from '../quota-preview/disk-create-change';
import { QuotaPreviewPanel } from '../quota-preview/quota-preview-panel';
import { blocksConfirm } from '../quota-preview/preview-verdict';
import { useQuotaPreview } from '../quota-preview/use-quota-preview';
import { DiskKindChoice, IsoPicker, type DiskKind } from './iso-picker';
import { useCreateDisk } from './use-disk-create';

/** Props of the add-disk dialog. */
export interface AddDiskDialogProps {
  instance: InstanceRef;
  onClose: () => void;
}

// The input fields main and PVE name in a refusal, and the fields of this form that show them.
const serverFields = {
  storage: 'storage',
  bus: 'bus',
  mountPath: 'mountPath',
  sizeGiB: 'sizeGiB',
} as const;

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
  const [kind, setKind] = useState<DiskKind>('disk');
  const [iso, setIso] = useState<MediaVolume | null>(null);
  const cdrom = vm && kind === 'cdrom';
  const fieldErrors = fieldErrorsFrom(create.error, serverFields);
  const ready = cdrom
    ? iso !== null && !create.isPending
    : chosenStorage !== null &&
      sizeValid &&
      (vm ? chosenBus !== null : path.success) &&
      !create.isPending;

  const preview = useQuotaPreview(
    ready
      ? diskCreateChange(instance, {
          storage: chosenStorage,
          bus: chosenBus,
          sizeGiB,
          mountPath: path.success ? path.data : null,
          iso: cdrom && iso !== null ? { storage: iso.storage, volid: iso.volid } : null,
        })
      : null,
  );

  const submit = (): void => {
    if (cdrom) {
      if (ready && iso !== null) create.mutate({ storage: iso.storage, iso: iso.volid });
      return;
    }
    if (!ready || chosenStorage === null) return;
    if (vm && chosenBus !== null)
      create.mutate({ storage: chosenStorage, bus: chosenBus, sizeGiB });
    else if (!vm && path.success)
      create.mutate({ storage: chosenStorage, sizeGiB, mountPath: path.data });
  };

  return (
    <Dialog
      title={vm ? (cdrom ? 'Add a CD drive' : 'Add a disk') : 'Add a mount point'}
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
          {vm ? <DiskKindChoice kind={kind} onChange={setKind} /> : null}
          {cdrom ? (
            <IsoPicker node={instance.node} value={iso} onChange={setIso} />
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
                {fieldErrors.storage !== undefined ? (
                  <FieldError message={fieldErrors.storage} testId="disk-create-storage-error" />
                ) : null}
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
                  {fieldErrors.bus !== undefined ? (
                    <FieldError message={fieldErrors.bus} testId="disk-create-bus-error" />
                  ) : null}
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
                  {fieldErrors.mountPath !== undefined ? (
                    <FieldError message={fieldErrors.mountPath} testId="disk-create-path-error" />
                  ) : null}
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
                {fieldErrors.sizeGiB !== undefined ? (
                  <FieldError message={fieldErrors.sizeGiB} testId="disk-create-size-error" />
                ) : null}
              </div>
            </>
          )}
          <QuotaPreviewPanel verdict={preview} />
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
              placedFields={serverFields}
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
              disabled={!ready || blocksConfirm(preview)}
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
