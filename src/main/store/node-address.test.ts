import { describe, expect, it } from 'vitest';
import { canonicalIp, canonicalNodeUrl, nodeAddressKey } from './node-address';

describe('node addresses', () => {
  it('writes an address with a lower-case host, IPv4-mapped IPv6 as IPv4, no default port', () => {
    expect(canonicalNodeUrl('https://PVE1.Lab.Example:443')).toBe('https://pve1.lab.example');
    expect(canonicalNodeUrl('https://[::ffff:127.0.0.2]:8006')).toBe('https://127.0.0.2:8006');
    expect(canonicalNodeUrl('https://[::FFFF:7f00:2]:8006')).toBe('https://127.0.0.2:8006');
    expect(canonicalNodeUrl('https://[FD00::3]:8006')).toBe('https://[fd00::3]:8006');
    expect(canonicalNodeUrl('https://10.0.0.2:8006')).toBe('https://10.0.0.2:8006');
  });

  it('gives localhost and 127.0.0.1 on the same port the same key, and other ports another', () => {
    expect(nodeAddressKey('https://localhost:8006')).toBe(nodeAddressKey('https://127.0.0.1:8006'));
    expect(nodeAddressKey('https://pve1')).toBe('pve1:443');
    expect(nodeAddressKey('https://127.0.0.1:8007')).not.toBe(
      nodeAddressKey('https://127.0.0.1:8006'),
    );
  });

  it('reads an IPv4-mapped IPv6 IP as the IPv4 address and leaves other IPs alone', () => {
    expect(canonicalIp('::ffff:10.1.2.3')).toBe('10.1.2.3');
    expect(canonicalIp('[::ffff:a01:203]')).toBe('10.1.2.3');
    expect(canonicalIp('FE80::1')).toBe('fe80::1');
    expect(canonicalIp('10.0.0.2')).toBe('10.0.0.2');
  });
});
