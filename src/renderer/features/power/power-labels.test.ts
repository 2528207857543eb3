import { describe, expect, it } from 'vitest';
import { isPowerActionAvailable, powerButtons } from './power-labels';

function available(status: string): string[] {
  return powerButtons.filter((b) => isPowerActionAvailable(b.action, status)).map((b) => b.action);
}

describe('isPowerActionAvailable', () => {
  it('offers only start for a stopped guest', () => {
    expect(available('stopped')).toEqual(['start']);
  });

  it('offers shut down, reboot and stop for a running guest', () => {
    expect(available('running')).toEqual(['shutdown', 'reboot', 'stop']);
  });

  it('offers nothing for a template or a guest of unknown state', () => {
    expect(available('template')).toEqual([]);
    expect(available('unknown')).toEqual([]);
  });
});
