import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { GiB } from '../../../shared/units';
import { QuotaRow } from './quota-row';

describe('QuotaRow', () => {
  it('shows used and limit in human units with the percent and an amber bar above 80%', () => {
    const html = renderToStaticMarkup(
      <QuotaRow
        resource={{
          resource: 'storage:local-lvm',
          label: 'Disk on local-lvm',
          unit: 'bytes',
          used: 54 * GiB,
          limit: 64 * GiB,
          available: 10 * GiB,
        }}
      />,
    );

    expect(html).toContain('data-testid="quota-storage:local-lvm"');
    expect(html).toContain('data-level="high"');
    expect(html).toContain('54 GiB / 64 GiB');
    expect(html).toContain('>84%<');
    expect(html).toContain('aria-valuetext="54 GiB of 64 GiB, 84 percent"');
    expect(html).toContain('class="meter meter-high"');
  });

  it('draws a full red bar and reports the true percent when over the limit', () => {
    const html = renderToStaticMarkup(
      <QuotaRow
        resource={{
          resource: 'cores',
          label: 'Cores',
          unit: 'count',
          used: 10,
          limit: 8,
          available: 0,
        }}
      />,
    );

    expect(html).toContain('data-level="full"');
    expect(html).toContain('10 / 8');
    expect(html).toContain('>125%<');
    expect(html).toContain('width:100%');
    expect(html).toContain('aria-valuenow="8"');
  });

  it('says "no limit" and draws no bar for a resource without a limit', () => {
    const html = renderToStaticMarkup(
      <QuotaRow
        resource={{
          resource: 'memory',
          label: 'Memory',
          unit: 'bytes',
          used: 2 * GiB,
          limit: null,
          available: null,
        }}
      />,
    );

    expect(html).toContain('2 GiB');
    expect(html).toContain('no limit');
    expect(html).not.toContain('role="meter"');
  });
});
