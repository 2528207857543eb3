import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode, type Sim } from '../pve-sim';
import { findChromium } from './browser-bridge';
import type { ProxdeskApp } from './pages/proxdesk-app';
import { openRendererLab, screenshotDir, type RendererLab } from './renderer-lab';

// Carol's account asks for a TOTP code after her password; she signs in through both steps,
// gets a wrong code refused, then signs in again with a recovery key and with an API token.
describe.runIf(findChromium() !== null)('two-factor sign-in in the renderer', () => {
  let lab: RendererLab;
  let sim: Sim;
  let app: ProxdeskApp;
  let secret: string;

  beforeAll(async () => {
    lab = await openRendererLab({ sim: { loginFailureDelayMs: 300, taskDurationMs: 300 } });
    secret = lab.sim.users.find((user) => user.userid === 'carol@pve')?.totpSecret ?? '';
    ({ sim, app } = lab);
  });
  afterAll(() => lab?.close());

  it('asks for a code after the password, with a numeric one-time-code field', async () => {
    await app.connect(sim.url);
    await app.trustCertificate();
    await app.signIn('carol', 'carol-lab-pass');

    const code = app.byTestId('second-factor-code');
    await code.waitFor({ timeout: 20_000 });
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await app.byTestId('second-factor-form').textContent()).toContain('carol@pve');
    expect(await app.byTestId('workspace').count()).toBe(0);
    await app.screenshot(join(screenshotDir, '2fa-01-code-step.png'));
  });

  it('says so when the code is wrong, and stays on the code step', async () => {
    const right = totpCode(secret, Date.now());
    await app.answerSecondFactor(right === '000000' ? '111111' : '000000');

    const failure = app.byTestId('second-factor-failure');
    await failure.waitFor({ timeout: 20_000 });
    expect(await failure.textContent()).toContain('The code was not accepted');
    expect(await app.byTestId('second-factor-code').inputValue()).toBe('');
    await app.screenshot(join(screenshotDir, '2fa-02-wrong-code.png'));
  });

  it('signs in with the current code and shows her (empty) workspace', async () => {
    await app.answerSecondFactor(totpCode(secret, Date.now()));

    await app.byTestId('workspace').waitFor({ timeout: 20_000 });
    await expect.poll(() => app.byTestId('session-user').textContent()).toContain('carol@pve');
    expect(await app.byTestId('session-until').textContent()).toMatch(/signed in until \d\d:\d\d/);
    await app.screenshot(join(screenshotDir, '2fa-03-signed-in.png'));
  });

  it('signs in with a recovery key after signing out', async () => {
    await app.signOut();
    await app.signIn('carol', 'carol-lab-pass');
    await app.byTestId('second-factor-switch').waitFor({ timeout: 20_000 });
    await app.screenshot(join(screenshotDir, '2fa-04-recovery-option.png'));

    await app.answerSecondFactor('d2b7-4e90-a3c8-6f15', 'recovery');

    await app.byTestId('workspace').waitFor({ timeout: 20_000 });
    expect(sim.state.users.get('carol@pve')?.recoveryKeys).not.toContain('d2b7-4e90-a3c8-6f15');
  });

  it('signs in with an API token from the toggle on the sign-in form', async () => {
    await app.signOut();
    await app.byTestId('use-token').click();
    await app.byTestId('token-form').waitFor();
    await app.screenshot(join(screenshotDir, '2fa-05-token-form.png'));
    await app.byTestId('use-password').click();

    await app.signInWithToken('alice@pve!proxdesk', '5d2c4b8e-1f3a-4c6d-9e7b-0a1b2c3d4e5f');

    await app.waitForWorkspace();
    expect(await app.byTestId('session-user').textContent()).toContain('alice@pve');
    expect(await app.byTestId('session-until').textContent()).toContain('API token');
    await app.screenshot(join(screenshotDir, '2fa-06-token-workspace.png'));
  });

  it('sent PVE only requests its official API accepts', () => {
    expect(sim.schemaViolations).toEqual([]);
  });
});
