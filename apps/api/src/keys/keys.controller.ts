import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { openApiSchema } from '../common/openapi';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { ApiKeyService, type ApiKeyView, type CreatedApiKey } from './api-key.service';

const createKeySchema = z.object({ name: z.string().trim().min(1, 'is required').max(100) });

/** `/api/keys`: MCP API keys. */
@ApiTags('keys')
@Controller('api/keys')
export class KeysController {
  constructor(private readonly service: ApiKeyService) {}

  /** Creates a key; the answer holds the key, shown this once. */
  @Post()
  @ApiOperation({ summary: 'Create an API key (returned once)' })
  @ApiBody({ schema: openApiSchema(createKeySchema) })
  create(@Body(new ZodValidationPipe(createKeySchema)) body: z.infer<typeof createKeySchema>): Promise<CreatedApiKey> {
    return this.service.create(body.name);
  }

  /** Every key (never the key itself). */
  @Get()
  @ApiOperation({ summary: 'List API keys' })
  getAll(): Promise<ApiKeyView[]> {
    return this.service.getAll();
  }

  /** Revokes a key at once. */
  @Post(':id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an API key' })
  revoke(@Param('id') id: string): Promise<ApiKeyView> {
    return this.service.revoke(id);
  }
}
