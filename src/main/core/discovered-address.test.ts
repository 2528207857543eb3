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

  it('offers no address that can never be a node, saying why, but keeps IPv4 loopback', () => {
    const problems = [
      '0.0.0.0',
      '255.255.255.255',
      '169.254.10.20',
      '224.0.0.1',
      '239.255.255.250',
      '::1',
      '::',
      'fe80::1',
      'ff02::1',
      '::ffff:169.254.1.1',
    ].map((ip) => discoveredAddress({ name: 'pve2', ip }, inUse));
    const loopback = ['127.0.0.1', '127.0.0.2', '127.255.0.9'].map(
      (ip) => discoveredAddress({ name: 'pve2', ip }, inUse).url,
    );

    expect(problems.map((found) => [found.url, found.problem])).toEqual([
      [
        null,
        'PVE listed 0.0.0.0 for this node, which is no node\'s address: it is an unspecified ("this host") address.',
      ],
      [
        null,
        "PVE listed 255.255.255.255 for this node, which is no node's address: it is the broadcast address.",
      ],
      [
        null,
        "PVE listed 169.254.10.20 for this node, which is no node's address: it is a link-local address.",
      ],
      [
        null,
        "PVE listed 224.0.0.1 for this node, which is no node's address: it is a multicast address.",
      ],
      [
        null,
        "PVE listed 239.255.255.250 for this node, which is no node's address: it is a multicast address.",
      ],
      [
        null,
        "PVE listed ::1 for this node, which is no node's address: it is this machine's IPv6 loopback address.",
      ],
      [
        null,
        'PVE listed :: for this node, which is no node\'s address: it is an unspecified ("this host") address.',
      ],
      [
        null,
        "PVE listed fe80::1 for this node, which is no node's address: it is a link-local address.",
      ],
      [
        null,
        "PVE listed ff02::1 for this node, which is no node's address: it is a multicast address.",
      ],
      [
        null,
        "PVE listed 169.254.1.1 for this node, which is no node's address: it is a link-local address.",
      ],
    ]);
    expect(loopback).toEqual([
      'https://127.0.0.1:8006',
      'https://127.0.0.2:8006',
      'https://127.255.0.9:8006',
    ]);
  });

  it('offers an IPv4-mapped IPv6 address as the IPv4 node it maps', () => {
    expect(discoveredAddress({ name: 'pve2', ip: '::ffff:10.0.0.2' }, inUse)).toEqual({
      name: 'pve2',
      ip: '::ffff:10.0.0.2',
      url: 'https://10.0.0.2:8006',
      problem: null,
    });
  });
});
