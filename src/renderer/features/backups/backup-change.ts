import { backupModes, type BackupMode } from '../../../shared/backup-schemas';
import type { InstanceRef } from '../../../shared/contract';
import type { QuotaChange } from '../../../shared/quota-schemas';
import type { PreviewVerdict } from '../quota-preview/preview-verdict';

/** The `backup:create` change the "Back up now" form describes; null until it names a storage. */
export function backupCreateChange(
  instance: InstanceRef,
  values: { storage: string; mode: string },
): QuotaChange | null {
  const mode = backupModes.find((candidate): candidate is BackupMode => candidate === values.mode);
  if (values.storage === '' || mode === undefined) return null;
  // Notes cost nothing, so typing them does not price the backup again.
  const { node, type, vmid } = instance;
  return { kind: 'backup:create', node, type, vmid, storage: values.storage, mode };
}

/** The backup count the preview priced on (kept and being made), or null when it gave none. */
export function pricedBackupsUsed(verdict: PreviewVerdict): number | null {
  const preview =
    verdict.status === 'fits' || verdict.status === 'refused' ? verdict.preview : null;
  return preview?.items.find((item) => item.resource === 'backups')?.used ?? null;
}
