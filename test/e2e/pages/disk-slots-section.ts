import type { Locator, Page } from 'playwright-core';

/** Default wait for a step that talks to the simulated cluster. */
const stepTimeoutMs = 20_000;

/** The disk slot actions of the open instance, driven the way a person uses them. */
export class DiskSlotsSection {
  constructor(readonly page: Page) {}

  /** An element by its test id. */
  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Opens the detach confirmation of a disk. */
  async openDetach(key: string): Promise<void> {
    await this.byTestId(`detach-${key}`).click({ timeout: stepTimeoutMs });
    await this.byTestId('disk-detach-dialog').waitFor();
  }

  /** Opens the attach dialog of an unused volume. */
  async openAttach(key: string): Promise<void> {
    await this.byTestId(`attach-${key}`).click({ timeout: stepTimeoutMs });
    await this.byTestId('disk-attach-bus').waitFor({ timeout: stepTimeoutMs });
  }

  /** Closes a dialog that shows its result. */
  async done(): Promise<void> {
    await this.page.getByRole('button', { name: 'Done' }).click();
  }
}
