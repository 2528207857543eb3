// Patterns in the quota policy that pick CPU models and PCI devices or mappings. A pattern is
// either a glob (`*` any run of characters, `?` one character, matched against the whole value)
// or a regular expression written between slashes (`/^x86-64-v[23]$/`, optionally `/…/i`).
// Pure and shared: the quota engine prices with it, and the forms use it to show the same room.

/** Tests one value against a compiled policy pattern. */
export type Matcher = (value: string) => boolean;

const regexForm = /^\/(.+)\/(i?)$/s;

/** Compiles a policy pattern; throws an Error saying what is wrong when it is not valid. */
export function compileMatcher(pattern: string): Matcher {
  if (typeof pattern !== 'string' || pattern.length === 0) throw new Error('a pattern is empty');
  if (pattern.length > 200) throw new Error('a pattern is longer than 200 characters');
  if (hasControlCharacters(pattern)) throw new Error('a pattern has control characters');

  const regex = regexForm.exec(pattern);
  if (regex) {
    let compiled: RegExp;
    try {
      compiled = new RegExp(regex[1] ?? '', regex[2] ?? '');
    } catch {
      throw new Error(`${pattern} is not a valid regular expression`);
    }
    return (value) => compiled.test(value);
  }

  const source = [...pattern]
    .map((char) => {
      if (char === '*') return '.*';
      if (char === '?') return '.';
      return char.replace(/[\\^$.|+()[\]{}/-]/g, '\\$&');
    })
    .join('');
  const glob = new RegExp(`^${source}$`, 's');
  return (value) => glob.test(value);
}

function hasControlCharacters(text: string): boolean {
  return [...text].some((char) => {
    const code = char.charCodeAt(0);
    return code < 0x20 || code === 0x7f;
  });
}
