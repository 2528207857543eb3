import { describe, expect, it } from 'vitest';
import { asSentence } from './field-error';

describe('asSentence', () => {
  it('capitalises and closes a lower-case schema message', () => {
    expect(asSentence('expected https://host:8006 with no path or query')).toBe(
      'Expected https://host:8006 with no path or query.',
    );
  });

  it('leaves a finished sentence alone', () => {
    expect(asSentence('Add at least 1 GiB.')).toBe('Add at least 1 GiB.');
  });

  it('keeps an empty message empty', () => {
    expect(asSentence('  ')).toBe('');
  });
});
