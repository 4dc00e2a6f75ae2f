import { All, Controller, Get, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { type GatewayView, McpHttpHandler, type McpRequest } from '@mcp-router/gateway';
import { Public } from '../auth/public.decorator';

function viewOf(view: unknown, server?: string): GatewayView {
  if (server) return { kind: 'single', server };
  return view === 'discovery' ? { kind: 'discovery' } : { kind: 'aggregate' };
}

/**
 * The MCP endpoints: streamable HTTP at `/mcp` (every server; `?view=discovery` for the discovery tools) and
 * `/mcp/:server` (one server alone), legacy SSE at `/sse` (same views, `?server=` for one) with `/messages`.
 * They follow the MCP specification (POST, GET and DELETE) and authenticate themselves (API key or admin JWT).
 */
@ApiExcludeController()
@Public()
@Controller()
export class McpController {
  constructor(private readonly handler: McpHttpHandler) {}

  /** Streamable HTTP, aggregate or discovery view. */
  @All('mcp')
  aggregate(@Req() req: McpRequest, @Res() res: Response, @Query('view') view: unknown): Promise<void> {
    return this.handler.handleStreamable(req, res, viewOf(view));
  }

  /** Streamable HTTP, one server alone. */
  @All('mcp/:server')
  single(@Req() req: McpRequest, @Res() res: Response, @Param('server') server: string): Promise<void> {
    return this.handler.handleStreamable(req, res, viewOf(undefined, server));
  }

  /** Legacy SSE: opens the event stream. */
  @Get('sse')
  sse(
    @Req() req: McpRequest,
    @Res() res: Response,
    @Query('view') view: unknown,
    @Query('server') server?: string,
  ): Promise<void> {
    return this.handler.handleSseOpen(
      req,
      res,
      viewOf(view, typeof server === 'string' && server ? server : undefined),
    );
  }

  /** Legacy SSE: a client message. */
  @Post('messages')
  messages(@Req() req: McpRequest, @Res() res: Response): Promise<void> {
    return this.handler.handleSseMessage(req, res);
  }
}
