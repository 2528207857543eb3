import type { Locator, Page } from 'playwright-core';

/** Default wait for a step that talks to the simulated cluster. */
const stepTimeoutMs = 20_000;

/** What the New instance form is filled with; absent fields keep their defaults. */
export interface NewInstanceValues {
  type: 'qemu' | 'lxc';
  node?: string;
  template?: string;
  name: string;
  vmid?: number;
  cores?: number;
  memoryMiB?: number;
  swapMiB?: number;
  cpuType?: string;
  storage?: string;
  bus?: string;
  sizeGiB?: number;
  iso?: string;
  ostemplate?: string;
  password?: string;
}

/** The New instance dialog, driven the way a person uses it. */
export class InstanceCreateDialog {
  constructor(readonly page: Page) {}

  /** An element by its test id. */
  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Opens the dialog from the instance list. */
  async open(): Promise<void> {
    await this.byTestId('create-open').click({ timeout: stepTimeoutMs });
    await this.byTestId('create-name').waitFor({ timeout: stepTimeoutMs });
  }

  /** Fills in the form, without submitting it. */
  async fill(values: NewInstanceValues): Promise<void> {
    await this.byTestId('create-type').selectOption(values.type);
    if (values.node !== undefined) await this.byTestId('create-node').selectOption(values.node);
    if (values.template !== undefined) {
      await this.byTestId('create-template').selectOption({ label: values.template });
    }
    await this.byTestId('create-name').fill(values.name);
    if (values.vmid !== undefined) await this.byTestId('create-vmid').fill(String(values.vmid));
    const numbers = [
      ['create-cores', values.cores],
      ['create-memoryMiB', values.memoryMiB],
      ['create-swapMiB', values.swapMiB],
      ['create-sizeGiB', values.sizeGiB],
    ] as const;
    for (const [id, value] of numbers) {
      if (value !== undefined) await this.byTestId(id).fill(String(value));
    }
    if (values.cpuType !== undefined)
      await this.byTestId('create-cpuType').selectOption(values.cpuType);
    if (values.storage !== undefined)
      await this.byTestId('create-storage').selectOption(values.storage);
    if (values.bus !== undefined) await this.byTestId('create-bus').selectOption(values.bus);
    if (values.iso !== undefined) await this.pick('create-iso', values.iso);
    if (values.ostemplate !== undefined) await this.pick('create-ostemplate', values.ostemplate);
    if (values.password !== undefined) await this.byTestId('create-password').fill(values.password);
  }

  /** Chooses a volume in a media picker once the node's listing has arrived. */
  private async pick(id: string, volid: string): Promise<void> {
    const select = this.byTestId(id);
    await select
      .locator(`option[value="${volid}"]`)
      .waitFor({ state: 'attached', timeout: stepTimeoutMs });
    await select.selectOption(volid);
  }

  /** Submits the form. */
  async submit(): Promise<void> {
    await this.byTestId('create-submit').click();
  }

  /** Waits until the create has finished. */
  async waitForDone(): Promise<void> {
    await this.byTestId('create-done').waitFor({ timeout: stepTimeoutMs });
  }

  /** Leaves the finished dialog, which opens the new instance. */
  async finish(): Promise<void> {
    await this.byTestId('create-finish').click();
    await this.byTestId('create-dialog').waitFor({ state: 'detached', timeout: stepTimeoutMs });
  }
}
