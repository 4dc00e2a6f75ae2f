import { inject, Injectable } from '@angular/core';
import { Router } from '@angular/router';

import { AuthStore } from '../auth/auth.store';
import { redirectToLogin } from '../http/unauthorized.interceptor';
import { findTool, type JsonRpcMessage, type ListedTool, McpError, withMcpSession } from './mcp-http.client';
import { toToolResultView, type ToolResultView } from './tool-result';

/** Options of a tool call through the gateway. */
export interface GatewayCallOptions {
  signal?: AbortSignal;
  /** Receives progress and log notifications while the tool runs. */
  onNotification?: (message: JsonRpcMessage) => void;
  /** The server name, to find a namespaced tool (`<server>__<tool>`). */
  server?: string;
}

/**
 * Calls tools through the router's own MCP endpoint, as a client would, with the admin JWT. A 401 ends the admin
 * session like any other API call.
 */
@Injectable({ providedIn: 'root' })
export class McpGatewayService {
  private readonly auth = inject(AuthStore);
  private readonly router = inject(Router);

  /**
   * Opens a session on `endpoint`, finds `toolName` among the tools it lists, calls it and ends the session.
   * @param args - the arguments, or a function that builds them from the tool's listing (its input schema).
   * @throws {McpError} when the endpoint fails or does not list the tool; the abort reason when cancelled.
   */
  async callTool(
    endpoint: string,
    toolName: string,
    args: Record<string, unknown> | ((tool: ListedTool) => Record<string, unknown>),
    options: GatewayCallOptions = {},
  ): Promise<ToolResultView> {
    return withMcpSession(
      this.clientOptions(endpoint),
      async (client) => {
        const tool = this.resolveTool(await client.listTools(options.signal), toolName, endpoint, options.server);
        const raw = await client.callTool(tool.name, typeof args === 'function' ? args(tool) : args, {
          signal: options.signal,
          onNotification: options.onNotification,
        });
        return toToolResultView(raw);
      },
      options.signal,
    );
  }

  /** The tools `endpoint` lists, in a short-lived session. */
  async listTools(endpoint: string, signal?: AbortSignal): Promise<ListedTool[]> {
    return withMcpSession(this.clientOptions(endpoint), (client) => client.listTools(signal), signal);
  }

  private resolveTool(tools: ListedTool[], toolName: string, endpoint: string, server?: string): ListedTool {
    const tool = findTool(tools, toolName, server);
    if (!tool) {
      throw new McpError(
        'protocol',
        `${endpoint} does not offer the tool "${toolName}". Check that the server is enabled and installed.`,
      );
    }
    return tool;
  }

  private clientOptions(endpoint: string): {
    endpoint: string;
    token: () => string | null;
    onUnauthorized: () => void;
  } {
    return {
      endpoint,
      token: () => this.auth.token(),
      onUnauthorized: () => {
        redirectToLogin(this.auth, this.router);
      },
    };
  }
}
