import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GiB } from '../../../shared/units';
import { QuotaRefusal } from './quota-refusal';

describe('QuotaRefusal', () => {
  it('lists limit, used, requested and shortfall of each resource in human units', () => {
    const html = renderToStaticMarkup(
      <QuotaRefusal
        message="Growing scsi0 by 40 GiB does not fit your quota."
        shortfalls={[
          {
            resource: 'storage:local-lvm',
            label: 'Disk on local-lvm',
            unit: 'bytes',
            limit: 64 * GiB,
            used: 48 * GiB,
            requested: 40 * GiB,
            shortfall: 24 * GiB,
          },
        ]}
      />,
    );

    expect(html).toContain('data-testid="quota-refusal"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('Growing scsi0 by 40 GiB does not fit your quota.');
    const row = html.slice(html.indexOf('data-testid="shortfall-storage:local-lvm"'));
    expect(row).toMatch(
      /Disk on local-lvm<\/th><td[^>]*>64 GiB<\/td><td[^>]*>48 GiB<\/td><td[^>]*>40 GiB<\/td><td[^>]*>24 GiB<\/td>/,
    );
  });
});
