import { z } from 'zod';
import { backupModes, backupNotesProblem } from '../../../shared/backup-schemas';

// The "Back up now" form: the values the user picks and types, checked with the same notes rule
// main applies, so the form never sends what main would refuse.

/** What the form holds. */
export const backupFormSchema = z.object({
  storage: z.string().min(1, 'Choose where the backup goes.'),
  mode: z.enum(backupModes),
  notes: z
    .string()
    .trim()
    .superRefine((notes, ctx) => {
      const problem = backupNotesProblem(notes);
      if (problem !== null)
        ctx.addIssue({
          code: 'custom',
          message: `${problem[0]?.toUpperCase() ?? ''}${problem.slice(1)}.`,
        });
    }),
});

/** The form's values. */
export type BackupFormValues = z.infer<typeof backupFormSchema>;
