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

  /** Saves a picture of the window. */
  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path, fullPage: true });
  }
}
