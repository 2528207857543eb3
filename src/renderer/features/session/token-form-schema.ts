import { z } from 'zod';
import { apiTokenIdSchema, apiTokenSecretSchema } from '../../../shared/ids';

/**
 * The API-token form. The secret may stay empty only when one is remembered for this token; the
 * form learns that through `rememberedIds`.
 */
export function tokenFormSchema(
  rememberedIds: readonly string[],
): z.ZodType<
  { tokenId: string; secret: string | undefined; remember: boolean },
  { tokenId: string; secret: string; remember: boolean }
> {
  return z
    .object({
      tokenId: z
        .string()
        .trim()
        .min(1, { error: 'Enter the token id, like alice@pve!desktop.' })
        .pipe(apiTokenIdSchema),
      secret: z.string().trim(),
      remember: z.boolean(),
    })
    .transform((values, ctx) => {
      if (values.secret === '') {
        if (!rememberedIds.includes(values.tokenId)) {
          ctx.addIssue({ code: 'custom', path: ['secret'], message: 'Enter the token secret.' });
          return z.NEVER;
        }
        return { ...values, secret: undefined };
      }
      const secret = apiTokenSecretSchema.safeParse(values.secret);
      if (!secret.success) {
        ctx.addIssue({
          code: 'custom',
          path: ['secret'],
          message: 'The secret is the UUID PVE showed when the token was made.',
        });
        return z.NEVER;
      }
      return { ...values, secret: secret.data };
    });
}

/** What the API-token form holds. */
export interface TokenFormValues {
  tokenId: string;
  secret: string;
  remember: boolean;
}
