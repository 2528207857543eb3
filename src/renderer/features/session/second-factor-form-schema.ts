import { z } from 'zod';

/** The second-step form: a TOTP code, or a recovery key when the user switched to one. */
export const secondFactorFormSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('totp'),
    code: z
      .string()
      .transform((code) => code.replace(/\s+/g, ''))
      .pipe(
        z
          .string()
          .min(1, { error: 'Enter the code from your authenticator app.', abort: true })
          .regex(/^\d{6}$/, { error: 'The code is six digits.' }),
      ),
  }),
  z.object({
    method: z.literal('recovery'),
    code: z
      .string()
      .trim()
      .min(1, { error: 'Enter one of your recovery keys.', abort: true })
      .regex(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){1,15}$/, {
        error: 'A recovery key is groups of four letters or digits joined by dashes.',
      }),
  }),
]);

/** What the second-step form holds. */
export type SecondFactorFormValues = z.input<typeof secondFactorFormSchema>;
