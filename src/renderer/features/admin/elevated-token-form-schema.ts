import { z } from 'zod';
import { apiTokenIdSchema } from '../../../shared/ids';

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The lab token form: a full token id and the UUID secret PVE showed when it was made. */
export const elevatedTokenFormSchema = z.object({
  tokenId: z
    .string()
    .trim()
    .min(1, { error: 'Enter the token id, like proxdesk@pve!commit.' })
    .pipe(apiTokenIdSchema),
  secret: z
    .string()
    .trim()
    .min(1, { error: 'Enter the token secret.' })
    .toLowerCase()
    .regex(uuid, { error: 'The secret is the UUID PVE showed when the token was made.' }),
});

/** Per-field messages for the form, or the values to send. */
export function readElevatedTokenForm(values: {
  tokenId: string;
  secret: string;
}):
  | { ok: true; values: { tokenId: string; secret: string } }
  | { ok: false; errors: Partial<Record<'tokenId' | 'secret', string>> } {
  const parsed = elevatedTokenFormSchema.safeParse(values);
  if (parsed.success) return { ok: true, values: parsed.data };
  const errors: Partial<Record<'tokenId' | 'secret', string>> = {};
  for (const issue of parsed.error.issues) {
    const field = issue.path[0];
    if ((field === 'tokenId' || field === 'secret') && errors[field] === undefined) {
      errors[field] = issue.message;
    }
  }
  return { ok: false, errors };
}
