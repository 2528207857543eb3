import { describe, expect, it } from 'vitest';
import { isTrustedSender } from './sender-check';

describe('isTrustedSender', () => {
  it('accepts the app page in its top frame', () => {
    expect(isTrustedSender({ url: 'app://proxdesk/index.html', parent: null })).toBe(true);
  });

  it.each([
    ['a web page', 'https://evil.example/'],
    ['a look-alike host', 'app://proxdesk.evil/index.html'],
    ['a user-info trick', 'app://proxdesk@evil/index.html'],
    ['a file page', 'file:///tmp/index.html'],
    ['a blank page', 'about:blank'],
    ['garbage', 'not a url'],
  ])('refuses %s', (_name, url) => {
    expect(isTrustedSender({ url, parent: null })).toBe(false);
  });

  it('refuses a sub-frame even on the app origin', () => {
    expect(isTrustedSender({ url: 'app://proxdesk/index.html', parent: {} })).toBe(false);
  });

  it('refuses a missing frame', () => {
    expect(isTrustedSender(null)).toBe(false);
  });
});
