import { z } from 'zod';
import { channels } from '../../../shared/contract';

// The contract's own limits for `addGiB`, so the form can never accept what main would refuse.
const contractAddGiB = channels['disk:resize'].input.shape.addGiB;
const maxAddGiB = contractAddGiB.maxValue ?? Number.MAX_SAFE_INTEGER;
const wholeGiB = 'Enter a whole number of GiB.';

/** The resize form: how many whole GiB to add, with messages a person can act on. */
export const resizeFormSchema = z.object({
  addGiB: z
    .number({ error: wholeGiB })
    .int({ error: wholeGiB })
    .min(1, { error: 'Add at least 1 GiB.' })
    .max(maxAddGiB, { error: `You can add at most ${maxAddGiB} GiB at a time.` })
    .pipe(contractAddGiB),
});

/** What the resize form holds. */
export type ResizeFormValues = z.infer<typeof resizeFormSchema>;
