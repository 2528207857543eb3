import { describe, expect, it } from 'vitest';
import { backupFormSchema } from './backup-form-schema';

describe('backupFormSchema', () => {
  it('trims the notes and keeps the variables PVE expands', () => {
    const parsed = backupFormSchema.parse({
      storage: 'local',
      mode: 'snapshot',
      notes: '  before the upgrade of {{guestname}} ',
    });

    expect(parsed.notes).toBe('before the upgrade of {{guestname}}');
  });

  it('says why notes cannot be sent, and asks for a storage', () => {
    const result = backupFormSchema.safeParse({ storage: '', mode: 'stop', notes: 'a\\b' });

    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['storage', 'Choose where the backup goes.'],
      [
        'notes',
        "Notes may hold letters, digits, spaces, the punctuation . , : ; _ - ( ) / # + @ ' ! ? and {{cluster}} {{guestname}} {{node}} {{vmid}}.",
      ],
    ]);
  });
});
