import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from './logger';

describe('createLogger', () => {
  let directory: string | undefined;
  afterEach(() => {
    if (directory) rmSync(directory, { recursive: true, force: true });
  });

  it('writes area-prefixed lines to its file, with secrets filtered out', async () => {
    directory = mkdtempSync(join(tmpdir(), 'proxdesk-log-'));
    const log = createLogger({ directory, level: 'info' });

    log.child('pve').info('GET /version -> 200 in 3 ms');
    log.debug('below the level');
    await log.close();

    const lines = readFileSync(join(directory, 'proxdesk.log'), 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] ?? '{}')).toMatchObject({
      msg: '[pve] GET /version -> 200 in 3 ms',
    });
  });

  it('drops a line logged while closing instead of writing to the ending stream', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
      // Closing a log file takes a moment, during which late lines used to arrive.
      final(done) {
        setTimeout(done, 20);
      },
    });
    const failures: Error[] = [];
    destination.on('error', (error) => failures.push(error));
    const log = createLogger({ destination, level: 'info' });
    log.info('before close');

    const closing = log.close();
    log.child('pve').info('a task poll that finished during shutdown');
    await closing;

    expect(failures).toEqual([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('before close');
  });
});
