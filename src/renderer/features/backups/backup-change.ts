import { backupModes, type BackupMode } from '../../../shared/backup-schemas';
import type { InstanceRef } from '../../../shared/contract';
import type { QuotaChange } from '../../../shared/quota-schemas';
import { isApiError } from '../../api';
import { blocksConfirm, type PreviewVerdict } from '../quota-preview/preview-verdict';

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

/**
 * Whether the preview says no backup can be made now: one more does not fit, or the count cannot
 * be read under a limit (QUOTA_UNDEFINED), which backup:create refuses just the same.
 */
export function previewHoldsBack(verdict: PreviewVerdict): boolean {
  return (
    blocksConfirm(verdict) ||
    (verdict.status === 'error' && isApiError(verdict.error, 'QUOTA_UNDEFINED'))
  );
}
