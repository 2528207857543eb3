import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { quotaUsageQuery } from '../quota/quota-queries';

/** Props of the header's admin button. */
export interface AdminButtonProps {
  open: boolean;
  onToggle: () => void;
}

/** Opens and closes the admin view; shown only to users the policy makes admins. */
export function AdminButton({ open, onToggle }: AdminButtonProps): ReactNode {
  const usage = useQuery(quotaUsageQuery());
  if (usage.data?.admin !== true) return null;
  return (
    <button
      type="button"
      className={open ? 'button button-small button-primary' : 'button button-small'}
      data-testid="admin-button"
      aria-pressed={open}
      onClick={onToggle}
    >
      Admin
    </button>
  );
}
