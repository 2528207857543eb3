import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findChromium } from './browser-bridge';
import { demoPolicyFile, openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

const newerModels = '/^x86-64-v[34]$/';

/**
 * The demo policy with CPU model rules for alice where a pattern limits a named model per node:
 * x86-64-v4 is named with room for three, but the pattern over v3 and v4 allows one on pve1.
 */
function policyWithPatternRule(): string {
  const policy = JSON.parse(readFileSync(demoPolicyFile, 'utf8')) as {
    users: Record<string, Record<string, unknown>>;
  };
  policy.users['alice@pve'] = {
    ...policy.users['alice@pve'],
    cpuModels: [
      { match: 'x86-64-v2*', max: 3 },
      { match: 'x86-64-v4', max: 3 },
      { match: newerModels, max: 3, perNode: { pve1: 1 } },
    ],
  };
  return JSON.stringify(policy);
}

// Alice's extra VM 102 on pve1 runs x86-64-v3, which takes the pattern's one place on pve1.
describe.runIf(findChromium() !== null)('the CPU model field under a pattern rule', () => {
  let lab: RendererLab;

  beforeAll(async () => {
    lab = await openRendererLab({
      policyText: policyWithPatternRule(),
      prepareSim: (sim) => {
        sim.state.instances.set(102, {
          vmid: 102,
          type: 'qemu',
          node: 'pve1',
          name: 'alice-extra',
          status: 'stopped',
          pool: 'alice',
          config: { cores: 1, cpu: 'x86-64-v3', memory: '512', name: 'alice-extra', ostype: 'l26' },
          startedAtSeconds: null,
        });
      },
      user: { userid: 'alice@pve', password: 'alice-lab-pass' },
    });
  });
  afterAll(() => lab?.close());

  it("marks the named model the pattern's room on pve1 rules out, naming the pattern", async () => {
    await lab.app.openInstance(100);
    await lab.app.byTestId('resources-open').click();
    const select = lab.app.byTestId('resources-cpuType');
    const full = select.locator('option[value="x86-64-v4"]');
    await expect
      .poll(() => full.textContent())
      .toBe(`x86-64-v4 (1 of 1 used on pve1 under ${newerModels})`);

    expect(await select.locator('option').allTextContents()).toEqual([
      'x86-64-v2-AES (current)',
      `x86-64-v4 (1 of 1 used on pve1 under ${newerModels})`,
    ]);
    expect(await full.isDisabled()).toBe(true);
    expect(await lab.app.byTestId('resources-cpuType-unavailable').textContent()).toBe(
      `Cannot be chosen now: x86-64-v4 (1 of 1 used on pve1 under ${newerModels}).`,
    );
    await lab.app.screenshot(join(screenshotDir, 'cpu-model-pattern-01-full-on-pve1.png'));
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('offers the same model on pve2, where the pattern sets no per-node limit', async () => {
    await lab.app.openInstance(101);
    await lab.app.byTestId('resources-open').click();
    const select = lab.app.byTestId('resources-cpuType');
    await select.locator('option[value="x86-64-v4"]').waitFor({ state: 'attached' });

    expect(await select.locator('option').allTextContents()).toEqual([
      'x86-64-v2-AES (current)',
      'x86-64-v4',
    ]);
    expect(await select.locator('option[value="x86-64-v4"]').isDisabled()).toBe(false);
    expect(await lab.app.byTestId('resources-cpuType-unavailable').count()).toBe(0);
    await lab.bridge.page.getByRole('button', { name: 'Cancel' }).click();
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(lab.sim.schemaViolations).toEqual([]);
  });
});
