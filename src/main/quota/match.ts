// The quota engine's policy patterns. The matcher itself lives in src/shared so the forms match
// items exactly as the engine prices them.

export { compileMatcher, type Matcher } from '../../shared/policy-match';
