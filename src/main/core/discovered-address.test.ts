import { describe, expect, it } from 'vitest';
import { discoveredAddress } from './discovered-address';

const inUse = new URL('https://pve1.lab.example:8006');

describe('discoveredAddress', () => {
  it('offers an IPv4 or IPv6 node on the port of the node in use', () => {
    expect(discoveredAddress({ name: 'pve2', ip: '10.0.0.2' }, inUse)).toEqual({
      name: 'pve2',
      ip: '10.0.0.2',
      url: 'https://10.0.0.2:8006',
      problem: null,
    });
    expect(discoveredAddress({ name: 'pve3', ip: 'fd00::3' }, inUse).url).toBe(
      'https://[fd00::3]:8006',
    );
    expect(discoveredAddress({ name: 'pve4', ip: '10.0.0.4' }, new URL('https://pve1')).url).toBe(
      'https://10.0.0.4',
    );
  });

  it('offers no address for an IP that is not one, whatever it smuggles in', () => {
    for (const ip of [
      '10.0.0.2/evil',
      '10.0.0.2:1@evil.example',
      'evil.example',
      '',
      '1.2.3.4\n',
    ]) {
      expect(discoveredAddress({ name: 'pve2', ip }, inUse), JSON.stringify(ip)).toMatchObject({
        url: null,
        problem: 'PVE listed no usable IP address for this node.',
      });
    }
  });

  it('offers nothing for a node name that is not a PVE node name, and shows none of it', () => {
    const hostile = discoveredAddress({ name: '<img src=x>', ip: '10.0.0.2\u0007' }, inUse);

    expect(hostile).toEqual({
      name: '(not a valid node name)',
      ip: '10.0.0.2?',
      url: null,
      problem: 'PVE listed a node name that is not valid.',
    });
    expect(discoveredAddress({ ip: '10.0.0.2' }, inUse).url).toBeNull();
  });
});
