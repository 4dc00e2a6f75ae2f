import { type CallToolResult, ErrorCode, McpError, type Tool } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { CatalogIndex, CatalogServer } from './catalog-index';
import { searchTools } from './tool-search';

/** The tools of the discovery view, for clients drowned by hundreds of tools. */
export const DISCOVERY_TOOLS: Tool[] = [
  {
    name: 'list_servers',
    description: 'List the MCP servers behind this router, with what each does and how many tools it has.',
    inputSchema: { type: 'object', properties: {} },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'search_tools',
    description:
      'Search every tool of every server by words of its name and description; returns the best matches, ranked. ' +
      "Then use describe_tool for a tool's input schema and call_tool to run it.",
    inputSchema: {
      type: 'object',
      properties: {
        query: { type: 'string', description: 'Words describing what you want to do' },
        limit: { type: 'integer', minimum: 1, maximum: 50, description: 'How many results (default 10)' },
      },
      required: ['query'],
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'describe_tool',
    description: "A tool's description and its JSON input schema.",
    inputSchema: {
      type: 'object',
      properties: { server: { type: 'string' }, tool: { type: 'string' } },
      required: ['server', 'tool'],
    },
    annotations: { readOnlyHint: true },
  },
  {
    name: 'call_tool',
    description: 'Call a tool of a server with its arguments (see describe_tool for the schema).',
    inputSchema: {
      type: 'object',
      properties: {
        server: { type: 'string' },
        tool: { type: 'string' },
        arguments: { type: 'object', description: 'The tool arguments', additionalProperties: true },
      },
      required: ['server', 'tool'],
    },
  },
];

const searchArgs = z.object({ query: z.string().min(1), limit: z.number().int().min(1).max(50).optional() });
const toolArgs = z.object({ server: z.string().min(1), tool: z.string().min(1) });
const callArgs = toolArgs.extend({ arguments: z.record(z.string(), z.unknown()).optional() });

function json(value: unknown): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(value, null, 2) }],
    structuredContent: value as Record<string, unknown>,
  };
}

function parse<T>(schema: z.ZodType<T>, args: Record<string, unknown>, tool: string): T {
  const result = schema.safeParse(args);
  if (!result.success) {
    throw new McpError(ErrorCode.InvalidParams, `Invalid arguments for ${tool}: ${z.prettifyError(result.error)}`);
  }
  return result.data;
}

/**
 * Runs a discovery tool against the aggregate index. `call_tool` goes through `callBackend`.
 * @throws {McpError} InvalidParams for an unknown tool, bad arguments, or an unknown server or tool name.
 */
export async function discoveryCall(
  name: string,
  args: Record<string, unknown>,
  index: CatalogIndex,
  callBackend: (server: CatalogServer, tool: string, args: Record<string, unknown>) => Promise<CallToolResult>,
): Promise<CallToolResult> {
  switch (name) {
    case 'list_servers':
      return json({
        servers: index.servers.map((server) => ({
          name: server.name,
          displayName: server.displayName,
          description: server.description,
          tools: server.tools.length,
        })),
      });
    case 'search_tools': {
      const { query, limit } = parse(searchArgs, args, name);
      return json({ results: searchTools(index.servers, query, limit ?? 10) });
    }
    case 'describe_tool': {
      const { server, tool } = parse(toolArgs, args, name);
      const found = findTool(index, server, tool);
      return json({ server, tool: found.name, description: found.description ?? '', inputSchema: found.inputSchema });
    }
    case 'call_tool': {
      const { server, tool, arguments: toolArguments } = parse(callArgs, args, name);
      findTool(index, server, tool);
      const owner = index.server(server);
      if (!owner) throw new McpError(ErrorCode.InvalidParams, `Unknown server: ${server}`);
      return callBackend(owner, tool, toolArguments ?? {});
    }
    default:
      throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}`);
  }
}

function findTool(index: CatalogIndex, serverName: string, toolName: string): Tool {
  const server = index.server(serverName);
  if (!server) throw new McpError(ErrorCode.InvalidParams, `Unknown server: ${serverName} (see list_servers)`);
  const tool = server.tools.find((candidate) => candidate.name === toolName);
  if (!tool)
    throw new McpError(ErrorCode.InvalidParams, `Unknown tool ${toolName} on server ${serverName} (see search_tools)`);
  return tool;
}
