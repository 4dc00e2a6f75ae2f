import { fileSizeCap, repoFileKind, selectRepoFiles, type TreeEntry } from './repo-files';

const blob = (path: string): TreeEntry => ({ path, type: 'blob' });

describe(selectRepoFiles.name, () => {
  it("reads the sub-directory's files first, then the root's, and nothing deeper or unrelated", () => {
    const tree = [
      blob('README.md'),
      blob('package.json'),
      blob('LICENSE'),
      blob('src/memory/readme.MD'),
      blob('src/memory/package.json'),
      blob('src/memory/Dockerfile'),
      blob('src/memory/index.ts'),
      blob('src/memory/test/README.md'),
      blob('src/time/pyproject.toml'),
      { path: 'src/memory', type: 'tree' },
    ];

    expect(selectRepoFiles(tree, 'src/memory')).toEqual([
      'src/memory/readme.MD',
      'src/memory/package.json',
      'src/memory/Dockerfile',
      'README.md',
      'package.json',
    ]);
  });

  it('knows every kind of file the brief lists', () => {
    expect(
      [
        'Readme.rst',
        'pyproject.toml',
        'setup.py',
        'setup.cfg',
        'smithery.yaml',
        'server.json',
        '.env.sample',
        'compose.yaml',
        'openapi.yml',
      ].map(repoFileKind),
    ).toEqual([
      'readme',
      'pyproject',
      'setup.py',
      'setup.cfg',
      'smithery',
      'server.json',
      'env-example',
      'compose',
      'openapi',
    ]);
    expect(repoFileKind('src/index.ts')).toBeUndefined();
    expect(fileSizeCap('README.md')).toBeGreaterThan(fileSizeCap('package.json'));
  });
});
