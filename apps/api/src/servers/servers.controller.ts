import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { openApiSchema } from '../common/openapi';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { createServerSchema, type CreateServerInput, updateServerSchema, type UpdateServerInput } from './server-input';
import { ServerService, type ServerTools } from './server.service';
import type { ServerView } from './server-view';

/** `/api/servers`: the server registry (GET and POST only). */
@ApiTags('servers')
@Controller('api/servers')
export class ServersController {
  constructor(private readonly service: ServerService) {}

  /** Every server, secrets masked. */
  @Get()
  @ApiOperation({ summary: 'List servers' })
  getAll(): Promise<ServerView[]> {
    return this.service.getAll();
  }

  /** One server, secrets masked. */
  @Get(':id')
  @ApiOperation({ summary: 'Get a server' })
  getById(@Param('id') id: string): Promise<ServerView> {
    return this.service.getById(id);
  }

  /** The server's tools, resources and prompts as last probed. */
  @Get(':id/tools')
  @ApiOperation({ summary: "A server's catalog" })
  getTools(@Param('id') id: string): Promise<ServerTools> {
    return this.service.getTools(id);
  }

  /** Recent build, probe and container output. */
  @Get(':id/logs')
  @ApiOperation({ summary: "A server's recent logs" })
  getLogs(@Param('id') id: string): Promise<{ lines: string[] }> {
    return this.service.getLogs(id);
  }

  /** Builds the server's image and probes it → 202 `{jobId}`. */
  @Post(':id/install')
  @HttpCode(202)
  @ApiOperation({ summary: 'Install a server (build its image, probe its tools)' })
  install(@Param('id') id: string): Promise<{ jobId: string }> {
    return this.service.install(id);
  }

  /** Creates a server (accepts an analyzer plan as it is). */
  @Post()
  @ApiOperation({ summary: 'Create a server' })
  @ApiBody({ schema: openApiSchema(createServerSchema) })
  create(@Body(new ZodValidationPipe(createServerSchema)) body: CreateServerInput): Promise<ServerView> {
    return this.service.create(body);
  }

  /** Partial update. */
  @Post(':id/update')
  @HttpCode(200)
  @ApiOperation({ summary: 'Update a server (partial)' })
  @ApiBody({ schema: openApiSchema(updateServerSchema) })
  update(
    @Param('id') id: string,
    @Body(new ZodValidationPipe(updateServerSchema)) body: UpdateServerInput,
  ): Promise<ServerView> {
    return this.service.update(id, body);
  }

  /** Deletes a server and tears down its containers. */
  @Post(':id/delete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Delete a server' })
  delete(@Param('id') id: string): Promise<{ deleted: true; jobId: string }> {
    return this.service.delete(id);
  }
}
