import { z } from 'zod';
import { channels } from '../../../shared/contract';
import { realmSchema, usernameSchema } from '../../../shared/ids';

const loginInput = channels['session:login'].input;

/** The sign-in form: the contract's rules, with a plain request for each empty field first. */
export const signInFormSchema = z.object({
  realm: z.string().min(1, { error: 'Choose a realm.' }).pipe(realmSchema),
  username: z.string().trim().min(1, { error: 'Enter your user name.' }).pipe(usernameSchema),
  password: z.string().min(1, { error: 'Enter your password.' }).pipe(loginInput.shape.password),
  /** Keep the renewable ticket (never the password) in the OS keychain. */
  staySignedIn: loginInput.shape.staySignedIn,
});

/** What the sign-in form holds. */
export type SignInFormValues = z.input<typeof signInFormSchema>;
