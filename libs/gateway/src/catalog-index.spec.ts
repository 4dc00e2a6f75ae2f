import type { Tool } from '@modelcontextprotocol/sdk/types.js';
import { type CatalogServer, CatalogIndex } from './catalog-index';
import { searchTools } from './tool-search';

function tool(name: string, description = ''): Tool {
  return { name, description, inputSchema: { type: 'object' } };
}

function server(overrides: Partial<CatalogServer> & { name: string }): CatalogServer {
  return {
    id: `id-${overrides.name}`,
    displayName: overrides.name,
    description: '',
    isolation: 'session',
    revision: '1',
    tools: [],
    resources: [],
    resourceTemplates: [],
    prompts: [],
    ...overrides,
  };
}

describe(CatalogIndex.name, () => {
  const everything = server({
    name: 'everything',
    tools: [tool('echo', 'Echoes back the input'), tool('add', 'Adds two numbers')],
    prompts: [{ name: 'simple_prompt' }],
    resources: [{ uri: 'test://static/resource/1', name: 'Resource 1' }],
    resourceTemplates: [{ uriTemplate: 'test://static/resource/{id}', name: 'Static Resource' }],
  });
  const memory = server({
    name: 'memory',
    tools: [tool('create_entities', 'Create multiple new entities in the knowledge graph'), tool('echo', 'x')],
    resources: [{ uri: 'memory://graph', name: 'graph' }],
  });

  it('namespaces tools and prompts and routes them back', () => {
    const sut = new CatalogIndex([everything, memory], true);
    expect(sut.tools.map((t) => t.name)).toEqual([
      'everything__echo',
      'everything__add',
      'memory__create_entities',
      'memory__echo',
    ]);
    expect(sut.routeTool('memory__echo')).toEqual({ server: memory, name: 'echo' });
    expect(sut.routeTool('echo')).toBeUndefined();
    expect(sut.prompts).toEqual([{ name: 'everything__simple_prompt' }]);
    expect(sut.routePrompt('everything__simple_prompt')?.name).toBe('simple_prompt');
  });

  it('keeps resource URIs and routes them, through templates too', () => {
    const sut = new CatalogIndex([everything, memory], true);
    expect(sut.resources.map((r) => r.uri)).toEqual(['test://static/resource/1', 'memory://graph']);
    expect(sut.routeResource('memory://graph')).toBe(memory);
    expect(sut.routeResource('test://static/resource/42')).toBe(everything);
    expect(sut.routeResource('nope://x')).toBeUndefined();
    expect(sut.routeTemplate('test://static/resource/{id}')).toBe(everything);
  });

  it('serves one server alone with its own names', () => {
    const sut = new CatalogIndex([memory], false);
    expect(sut.tools.map((t) => t.name)).toEqual(['create_entities', 'echo']);
    expect(sut.routeTool('echo')?.server).toBe(memory);
  });
});

describe(searchTools.name, () => {
  const servers = [
    server({
      name: 'github',
      tools: [
        tool('create_issue', 'Create a new issue in a GitHub repository'),
        tool('list_issues', 'List issues in a repository'),
        tool('create_pull_request', 'Open a pull request'),
      ],
    }),
    server({ name: 'memory', tools: [tool('create_entities', 'Create entities in the knowledge graph')] }),
    server({ name: 'fetch', tools: [tool('fetch', 'Fetches a URL and returns its content as markdown')] }),
  ];

  it('ranks tools whose name matches every word first', () => {
    const hits = searchTools(servers, 'create issue');
    expect(hits[0]).toMatchObject({ server: 'github', tool: 'create_issue' });
    expect(hits.map((h) => h.tool)).toEqual(
      expect.arrayContaining(['list_issues', 'create_pull_request', 'create_entities']),
    );
  });

  it('finds by description words and by server name, and honours the limit', () => {
    expect(searchTools(servers, 'markdown')[0]).toMatchObject({ tool: 'fetch' });
    expect(searchTools(servers, 'knowledge graph')[0]).toMatchObject({ tool: 'create_entities' });
    expect(searchTools(servers, 'github', 2)).toHaveLength(2);
    expect(searchTools(servers, 'zzz')).toEqual([]);
    expect(searchTools(servers, '   ')).toEqual([]);
  });
});
