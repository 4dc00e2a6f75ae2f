import { randomBytes } from 'node:crypto';
import { SecretCipher } from '@mcp-router/registry';
import { mergeEnv } from './server-view';

describe(mergeEnv.name, () => {
  const cipher = new SecretCipher(randomBytes(32));
  const entry = (key: string, value?: string | null) => ({
    key,
    description: '',
    required: false,
    secret: true,
    value,
  });

  it('encrypts new values, keeps stored ones when no value is sent, and clears on null', () => {
    const first = mergeEnv([], [entry('A', 'one'), entry('B', 'two'), entry('C')], cipher);
    expect(first.map((e) => e.value === undefined)).toEqual([false, false, true]);
    expect(JSON.stringify(first)).not.toMatch(/one|two/);

    const second = mergeEnv(first, [entry('A'), entry('B', null), entry('D', 'four')], cipher);
    expect(second[0]!.value).toBe(first[0]!.value);
    expect(second[1]!.value).toBeUndefined();
    expect(cipher.decrypt(second[2]!.value!, 'D')).toBe('four');
    expect(second.map((e) => e.key)).toEqual(['A', 'B', 'D']);
  });
});
