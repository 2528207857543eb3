import type { Locator, Page } from 'playwright-core';

/** Default wait for a step that talks to the simulated cluster. */
const stepTimeoutMs = 20_000;

/** The Network section of the open instance, driven the way a person uses it. */
export class NetworkSection {
  constructor(readonly page: Page) {}

  /** An element by its test id. */
  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Opens the add dialog and fills in a VM interface, without submitting it. */
  async fillVmInterface(values: {
    model: string;
    bridge: string;
    vlanTag?: number;
    rateMBps?: string;
  }): Promise<void> {
    await this.byTestId('network-add').click({ timeout: stepTimeoutMs });
    await this.byTestId('network-model').selectOption(values.model);
    await this.byTestId('network-bridge').fill(values.bridge);
    await this.byTestId('network-vlan').fill(
      values.vlanTag === undefined ? '' : String(values.vlanTag),
    );
    await this.byTestId('network-rate').fill(values.rateMBps ?? '');
  }

  /** Submits the add dialog. */
  async submitInterface(): Promise<void> {
    await this.byTestId('network-add-submit').click();
  }

  /** Opens the rate dialog of one interface and saves a rate (empty for no limit). */
  async changeRate(key: string, rateMBps: string): Promise<void> {
    if ((await this.byTestId('network-rate-dialog').count()) === 0) {
      await this.byTestId(`network-modify-${key}`).click({ timeout: stepTimeoutMs });
    }
    await this.byTestId('network-rate-input').fill(rateMBps);
    await this.byTestId('network-rate-submit').click();
  }

  /** Closes the open dialog with its Done button. */
  async done(): Promise<void> {
    await this.page.getByRole('button', { name: 'Done' }).click();
  }
}
