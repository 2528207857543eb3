import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact';

describe('redactSecrets', () => {
  it('removes a PVE ticket but keeps the text around it', () => {
    const ticket = 'PVE:alice@pve:6752A1B3::dGhpcyBpcyBub3QgYSByZWFsIHNpZ25hdHVyZQ==';

    expect(redactSecrets(`got ${ticket} back`)).toBe('got PVE:[ticket redacted] back');
  });

  it('removes the cookie value and the CSRF header value', () => {
    const text =
      'Cookie: PVEAuthCookie=PVE%3Aalice; CSRFPreventionToken: 6752A1B3:Zm9vYmFyYmF6cXV4cXV1eA';

    const result = redactSecrets(text);

    expect(result).not.toContain('PVE%3Aalice');
    expect(result).not.toContain('Zm9vYmFyYmF6cXV4cXV1eA');
    expect(result).toContain('PVEAuthCookie=[redacted]');
  });

  it('removes an API-token secret', () => {
    const header = 'PVEAPIToken=admin@pve!proxdesk=5b1c2d3e-aaaa-bbbb-cccc-0123456789ab';

    expect(redactSecrets(header)).toBe('PVEAPIToken=admin@pve!proxdesk=[redacted]');
  });

  it('removes passwords from JSON and form bodies', () => {
    expect(redactSecrets('{"username":"alice","password":"hunter2"}')).toBe(
      '{"username":"alice","password":[redacted]}',
    );
    expect(redactSecrets('username=alice&password=hunter2&realm=pve')).toBe(
      'username=alice&password=[redacted]&realm=pve',
    );
  });

  it('leaves ordinary log lines alone', () => {
    const line = '[pve] PUT /nodes/pve1/qemu/101/resize -> 200 in 84 ms';

    expect(redactSecrets(line)).toBe(line);
  });
});
