import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './browser-bridge';
import { demoPolicyFile, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

/**
 * The demo policy with CPU model rules for alice: two guests on an x86-64-v2 model (her VMs 100
 * and 101 both run x86-64-v2-AES, so that rule is full), one on the host CPU, one on x86-64-v3.
 */
function policyWithCpuRules(): string {
  const policy = JSON.parse(readFileSync(demoPolicyFile, 'utf8')) as {
    users: Record<string, Record<string, unknown>>;
  };
  policy.users['alice@pve'] = {
    ...policy.users['alice@pve'],
    cpuModels: [
      { match: 'x86-64-v2*', max: 2 },
      { match: 'host', max: 1 },
      { match: 'x86-64-v3', max: 1 },
    ],
  };
  return JSON.stringify(policy);
}

// Alice's VM 101 moves from x86-64-v2-AES to the host CPU through the resources dialog.
describe.runIf(findChromium() !== null)('changing the CPU model in the renderer', () => {
  let lab: RendererLab;

  beforeAll(async () => {
    lab = await openRendererLab({
      policyText: policyWithCpuRules(),
      sim: { taskDurationMs: 300 },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
    await lab.app.openInstance(101);
  });
  afterAll(() => lab?.close());

  it('shows the CPU model among the facts of the VM', async () => {
    const fact = lab.app.byTestId('instance-detail').locator('[data-term="CPU model"] dd');

    expect(await fact.textContent()).toBe('x86-64-v2-AES');
  });

  it('offers the current model and the models the policy names, and says what the list is', async () => {
    await lab.app.byTestId('resources-open').click();
    const select = lab.app.byTestId('resources-cpuType');
    await select.waitFor();
    await expect
      .poll(() => lab.app.byTestId('resources-cpuType-hint').textContent())
      .toContain('x86-64-v2*');

    const offered = await select.locator('option').allTextContents();

    expect(offered).toEqual(['x86-64-v2-AES (current)', 'host', 'x86-64-v3']);
    expect(await lab.app.byTestId('resources-cpuType-hint').textContent()).toBe(
      'Lists the current model and the models the lab policy allows by name. The policy also allows models matching x86-64-v2*, which cannot be listed here.',
    );
  });

  it('prices a move to the host CPU in the preview, then saves it', async () => {
    await lab.app.byTestId('resources-cpuType').selectOption('host');

    const hostItem = lab.app.byTestId('preview-after-cpuModel:host');
    await hostItem.waitFor({ timeout: 10_000 });
    expect(await hostItem.textContent()).toBe('1 of 1');
    expect(await lab.app.byTestId('preview-after-cpuModel:x86-64-v2*').textContent()).toBe(
      '1 of 2',
    );
    await lab.app.screenshot(join(screenshotDir, 'cpu-model-01-preview.png'));

    await lab.app.byTestId('resources-submit').click();
    await lab.app.byTestId('resources-saved').waitFor({ timeout: 10_000 });
    expect(lab.sim.state.instances.get(101)?.config.cpu).toBe('host');
    await lab.bridge.page.getByRole('button', { name: 'Done' }).click();

    const fact = lab.app.byTestId('instance-detail').locator('[data-term="CPU model"] dd');
    await expect.poll(() => fact.textContent()).toBe('host');
    await lab.app.screenshot(join(screenshotDir, 'cpu-model-02-saved.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
