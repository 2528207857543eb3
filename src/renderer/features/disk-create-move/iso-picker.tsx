import { useQuery } from '@tanstack/react-query';
import { useId, type ReactNode } from 'react';
import type { MediaVolume } from '../../../shared/contract';
import { formatBytes } from '../../../shared/units';
import { ErrorMessage } from '../../components/error-message';
import { mediaQuery } from '../instance-create/instance-create-queries';

/** What a VM's Add disk dialog adds: a new disk, or a CD drive with an ISO. */
export type DiskKind = 'disk' | 'cdrom';

/** The choice between a new disk and a CD drive with an ISO. */
export function DiskKindChoice({
  kind,
  onChange,
}: {
  kind: DiskKind;
  onChange: (kind: DiskKind) => void;
}): ReactNode {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Add</label>
      <select
        id={id}
        className="input"
        data-testid="disk-create-kind"
        value={kind}
        onChange={(event) => onChange(event.target.value === 'cdrom' ? 'cdrom' : 'disk')}
      >
        <option value="disk">A new disk</option>
        <option value="cdrom">A CD drive with an ISO image</option>
      </select>
    </div>
  );
}

/** The ISO images on the node that the user may insert, as the quota policy allows them. */
export function IsoPicker({
  node,
  value,
  onChange,
}: {
  node: string;
  value: MediaVolume | null;
  onChange: (volume: MediaVolume | null) => void;
}): ReactNode {
  const id = useId();
  const isos = useQuery(mediaQuery(node, 'iso'));
  if (isos.isError) {
    return (
      <ErrorMessage
        error={isos.error}
        title="Could not list the ISO images"
        onRetry={() => void isos.refetch()}
        testId="disk-create-iso-error"
      />
    );
  }
  const volumes = isos.data ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>ISO image</label>
      <select
        id={id}
        className="input"
        data-testid="disk-create-iso"
        value={value?.volid ?? ''}
        disabled={isos.isPending}
        onChange={(event) =>
          onChange(volumes.find((volume) => volume.volid === event.target.value) ?? null)
        }
      >
        <option value="">{isos.isPending ? 'Reading the ISO images…' : 'Choose an ISO…'}</option>
        {volumes.map((volume) => (
          <option key={volume.volid} value={volume.volid}>
            {volume.name}
            {volume.sizeBytes === null ? '' : ` (${formatBytes(volume.sizeBytes)})`} on{' '}
            {volume.storage}
            {volume.label === null ? '' : ` — ${volume.label}`}
          </option>
        ))}
      </select>
      {isos.isSuccess && volumes.length === 0 ? (
        <p className="field-hint" data-testid="disk-create-iso-none">
          No ISO image on {node} is one you may use.
        </p>
      ) : (
        <p className="field-hint">Only images the quota policy allows on {node} are listed.</p>
      )}
    </div>
  );
}
