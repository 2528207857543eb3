import type { Locator, Page } from 'playwright-core';

const stepTimeoutMs = 20_000;

/** The cluster profiles on the connect page and the node list of the workspace. */
export class ClusterNodesSection {
  constructor(readonly page: Page) {}

  /** An element by its test id. */
  byTestId(id: string): Locator {
    return this.page.getByTestId(id);
  }

  /** Asks PVE for the cluster's nodes and opens the confirmation for one of them. */
  async offerNode(name: string): Promise<void> {
    await this.byTestId('discover-nodes').click({ timeout: stepTimeoutMs });
    await this.byTestId(`add-node-${name}`).click({ timeout: stepTimeoutMs });
    await this.byTestId('add-node-dialog').waitFor({ timeout: stepTimeoutMs });
  }

  /** The fingerprint the add-node confirmation shows. */
  async shownFingerprint(): Promise<string | null> {
    return this.byTestId('add-node-fingerprint').getAttribute('data-fingerprint');
  }

  /** Confirms the shown certificate and waits until the node is listed in the profile. */
  async confirmNode(name: string): Promise<void> {
    await this.byTestId('add-node-confirm').click();
    await this.byTestId(`cluster-node-${name}`).waitFor({ timeout: stepTimeoutMs });
  }

  /** Waits for the failover notice and returns its text. */
  async failoverText(): Promise<string | null> {
    await this.byTestId('failover-notice').waitFor({ timeout: stepTimeoutMs });
    return this.byTestId('failover-text').textContent();
  }

  /** Renames the profile in use from the node list. */
  async renameProfile(name: string): Promise<void> {
    await this.byTestId('profile-rename').click({ timeout: stepTimeoutMs });
    await this.byTestId('profile-name-input').fill(name);
    await this.byTestId('profile-name-input').press('Enter');
    await this.page.getByTestId('profile-name').filter({ hasText: name }).waitFor({
      timeout: stepTimeoutMs,
    });
  }

  /** From the sign-in page, goes back to the connect page with its list of profiles. */
  async backToProfiles(): Promise<void> {
    await this.page.getByRole('button', { name: 'Use another cluster' }).click({
      timeout: stepTimeoutMs,
    });
    await this.byTestId('profile-list').waitFor({ timeout: stepTimeoutMs });
  }
}
