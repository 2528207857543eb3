import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { appInfoQuery } from '../features/app/app-queries';

/** Props of the centred layout of the pages before sign-in. */
export interface AuthLayoutProps {
  title: string;
  lead: ReactNode;
  testId: string;
  children: ReactNode;
}

/** A calm centred card with the product name, for the connect and sign-in steps. */
export function AuthLayout({ title, lead, testId, children }: AuthLayoutProps): ReactNode {
  const info = useQuery(appInfoQuery());

  return (
    <main className="auth" data-testid={testId}>
      <div className="auth-card">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true" />
          <span className="brand-name">ProxDesk</span>
        </div>
        <h1 className="auth-title">{title}</h1>
        <div className="auth-lead">{lead}</div>
        {children}
      </div>
      <p className="auth-footer">
        {info.data ? `ProxDesk ${info.data.version}` : 'ProxDesk'} · Proxmox VE self-service
      </p>
    </main>
  );
}
