import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { ConnectInfo } from './client-configs';
import { ConnectService } from './connect.service';

/** `GET /api/connect`: what a user pastes into an MCP client to reach this router. */
@ApiTags('connect')
@Controller('api/connect')
export class ConnectController {
  constructor(private readonly service: ConnectService) {}

  /** The endpoints and one configuration per client (Claude Desktop, Claude Code, Cursor, VS Code, raw). */
  @Get()
  @ApiOperation({
    summary: 'Client configurations: Claude Desktop (stdio-proxy), Claude Code, Cursor, VS Code, raw URLs',
  })
  get(): ConnectInfo {
    return this.service.get();
  }
}
