import { GithubUrlError } from './analyzer.errors';
import { parseGithubUrl, splitRefAndPath } from './github-url';

describe(parseGithubUrl.name, () => {
  it.each([
    ['https://github.com/microsoft/playwright-mcp', { owner: 'microsoft', repo: 'playwright-mcp' }],
    ['https://github.com/microsoft/playwright-mcp.git', { owner: 'microsoft', repo: 'playwright-mcp' }],
    ['https://github.com/microsoft/playwright-mcp/', { owner: 'microsoft', repo: 'playwright-mcp' }],
    [
      '  http://www.github.com/GLips/Figma-Context-MCP?tab=readme-ov-file  ',
      { owner: 'GLips', repo: 'Figma-Context-MCP' },
    ],
    ['redis/mcp-redis', { owner: 'redis', repo: 'mcp-redis' }],
    [
      'https://github.com/modelcontextprotocol/servers/tree/main/src/memory',
      { owner: 'modelcontextprotocol', repo: 'servers', treePath: ['main', 'src', 'memory'] },
    ],
  ])('reads %s', (url, expected) => {
    expect(parseGithubUrl(url)).toEqual(expected);
  });

  it.each([
    '',
    'playwright-mcp',
    'https://gitlab.com/a/b',
    'https://github.com/a',
    'https://github.com/a/b/blob/main/README.md',
    'https://github.com/a/b/tree',
    'https://github.com/a/b/tree/main/../../etc',
    'ftp://github.com/a/b',
    'https://user:pass@github.com/a/b',
    'a/b; rm -rf /',
  ])('rejects %j with a message naming the accepted forms', (url) => {
    expect(() => parseGithubUrl(url)).toThrow(GithubUrlError);
    expect(() => parseGithubUrl(url)).toThrow(/github\.com\/<owner>\/<repo>.*tree\/<ref>\/<subdir>.*<owner>\/<repo>/);
  });
});

describe(splitRefAndPath.name, () => {
  it('offers the shortest ref first, since GitHub alone knows where a ref with slashes ends', () => {
    expect(splitRefAndPath(['feature', 'x', 'src', 'time'])).toEqual([
      { ref: 'feature', subdir: 'x/src/time' },
      { ref: 'feature/x', subdir: 'src/time' },
      { ref: 'feature/x/src', subdir: 'time' },
    ]);
    expect(splitRefAndPath(['main'])).toEqual([{ ref: 'main', subdir: '' }]);
  });
});
