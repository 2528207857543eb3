import type { Locator, Page } from 'playwright-core';

/** Default wait for a step that talks to the simulated cluster. */
const stepTimeoutMs = 20_000;

/** The ProxDesk window, driven the way a person uses it. */
export class ProxdeskApp {
  constructor(readonly page: Page) {}

  /** An element by its test id. */
  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Enters a cluster address and asks for its certificate. */
  async connect(url: string): Promise<void> {
    await this.byTestId('connect-url').fill(url);
    await this.byTestId('connect-button').click();
  }

  /** Accepts the certificate shown in the trust dialog. */
  async trustCertificate(): Promise<void> {
    await this.byTestId('trust-button').click({ timeout: stepTimeoutMs });
  }

  /** Fills in the sign-in form and submits it. */
  async signIn(username: string, password: string, realm?: string): Promise<void> {
    await this.byTestId('username').fill(username, { timeout: stepTimeoutMs });
    if (realm) await this.byTestId('realm-select').selectOption(realm);
    await this.byTestId('password').fill(password);
    await this.byTestId('sign-in-button').click();
  }

  /** Answers the second sign-in step with a TOTP code or, after switching, a recovery key. */
  async answerSecondFactor(code: string, method: 'totp' | 'recovery' = 'totp'): Promise<void> {
    await this.byTestId('second-factor-form').waitFor({ timeout: stepTimeoutMs });
    if (method === 'recovery') await this.byTestId('second-factor-switch').click();
    await this.byTestId('second-factor-code').fill(code);
    await this.byTestId('second-factor-submit').click();
  }

  /** Signs out from the workspace and waits for the sign-in form. */
  async signOut(): Promise<void> {
    await this.byTestId('sign-out-button').click();
    await this.byTestId('workspace').waitFor({ state: 'detached', timeout: stepTimeoutMs });
    await this.byTestId('username').waitFor({ timeout: stepTimeoutMs });
  }

  /** Switches the sign-in form to an API token, fills it in and submits it. */
  async signInWithToken(tokenId: string, secret: string, remember = false): Promise<void> {
    await this.byTestId('use-token').click({ timeout: stepTimeoutMs });
    await this.byTestId('token-id').fill(tokenId);
    await this.byTestId('token-secret').fill(secret);
    if (remember) await this.byTestId('token-remember').check();
    await this.byTestId('token-sign-in-button').click();
  }

  /** Waits until the instance list and the quota panel show data. */
  async waitForWorkspace(): Promise<void> {
    await this.byTestId('workspace').waitFor({ timeout: stepTimeoutMs });
    await this.byTestId('instance-table')
      .locator('[data-testid^="instance-row-"]')
      .first()
      .waitFor({ timeout: stepTimeoutMs });
    await this.byTestId('quota-panel')
      .locator('[data-testid^="quota-"]')
      .first()
      .waitFor({ timeout: stepTimeoutMs });
  }

  /** Connects, trusts the certificate and signs in: the first run of a new user. */
  async firstSignIn(url: string, userid: string, password: string): Promise<void> {
    const [username = userid, realm] = userid.split('@');
    await this.connect(url);
    await this.trustCertificate();
    await this.signIn(username, password, realm);
    await this.waitForWorkspace();
  }

  /** Opens one instance's detail. */
  async openInstance(vmid: number): Promise<void> {
    await this.byTestId(`instance-row-${vmid}`).click();
    await this.byTestId('disk-table').waitFor({ timeout: stepTimeoutMs });
  }

  /** Opens the resize dialog of a disk and asks for more GiB. */
  async resizeDisk(disk: string, addGiB: number): Promise<void> {
    await this.byTestId(`resize-${disk}`).click();
    await this.byTestId('resize-gib').fill(String(addGiB));
    await this.byTestId('resize-submit').click();
  }

  /** Presses a power button of the open instance; a stop is confirmed in its dialog. */
  async power(action: 'start' | 'shutdown' | 'reboot' | 'stop'): Promise<void> {
    await this.byTestId(`power-${action}`).click({ timeout: stepTimeoutMs });
    if (action === 'stop') await this.byTestId('power-stop-confirm-button').click();
  }

  /** Opens the resource editor of the open instance and saves the given values. */
  async changeResources(values: {
    cores?: number;
    sockets?: number;
    memoryMiB?: number;
    swapMiB?: number;
  }): Promise<void> {
    if ((await this.byTestId('resources-dialog').count()) === 0) {
      await this.byTestId('resources-open').click({ timeout: stepTimeoutMs });
    }
    const fields = { cores: 'cores', sockets: 'sockets', memoryMiB: 'memory', swapMiB: 'swap' };
    for (const [key, id] of Object.entries(fields)) {
      const value = values[key as keyof typeof values];
      if (value !== undefined) await this.byTestId(`resources-${id}`).fill(String(value));
    }
    await this.byTestId('resources-submit').click();
  }

  /**
   * Answers the sign-in prompt shown over the page when the session ended; the user name is
   * prefilled with the user whose session ended unless another one is given.
   */
  async signInAgain(password: string, username?: string): Promise<void> {
    const prompt = this.byTestId('sign-in-again-dialog');
    await prompt.waitFor({ timeout: stepTimeoutMs });
    if (username !== undefined) await prompt.getByTestId('username').fill(username);
    await prompt.getByTestId('password').fill(password);
    await prompt.getByTestId('sign-in-button').click();
    await prompt.waitFor({ state: 'detached', timeout: stepTimeoutMs });
  }

  /** Saves a picture of the window. */
  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
