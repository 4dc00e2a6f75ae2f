import { MAX_TOOL_NAME, namespacedName } from './tool-names';

describe(namespacedName.name, () => {
  it('joins server and tool with a double underscore when that fits', () => {
    expect(namespacedName('github', 'create_issue')).toBe('github__create_issue');
  });

  it('cuts a long name to 64 characters ending in a stable hash', () => {
    const long = 'a_really_long_tool_name_that_goes_on_and_on_and_on_forever_and_ever';
    const name = namespacedName('everything', long);
    expect(name).toHaveLength(MAX_TOOL_NAME);
    expect(name).toMatch(/^everything__a_really_long.*_[0-9a-f]{8}$/);
    expect(namespacedName('everything', long)).toBe(name);
    expect(namespacedName('everything', `${long}!`)).not.toBe(name);
  });

  it('replaces characters clients refuse, and keeps look-alikes apart', () => {
    const dotted = namespacedName('fs', 'read.file');
    expect(dotted).toMatch(/^fs__read_file_[0-9a-f]{8}$/);
    expect(dotted).not.toBe(namespacedName('fs', 'read_file'));
    expect(dotted).not.toBe(namespacedName('fs', 'read file'));
  });
});
