import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import { openApiSchema } from '../common/openapi';
import { ZodValidationPipe } from '../common/zod-validation.pipe';
import { AnalysisService, type AnalysisView } from './analysis.service';

const startSchema = z.object({ url: z.string().trim().min(1, 'is required').max(500) });

/** `/api/analyses`: from a GitHub URL to an install-and-run plan. */
@ApiTags('analyses')
@Controller('api/analyses')
export class AnalysesController {
  constructor(private readonly service: AnalysisService) {}

  /** Starts an analysis → 202 `{id}`. */
  @Post()
  @HttpCode(202)
  @ApiOperation({ summary: 'Analyze a GitHub repository' })
  @ApiBody({ schema: openApiSchema(startSchema) })
  start(@Body(new ZodValidationPipe(startSchema)) body: z.infer<typeof startSchema>): Promise<{ id: string }> {
    return this.service.start(body.url);
  }

  /** The analysis' state, progress, and plan once done. */
  @Get(':id')
  @ApiOperation({ summary: 'State of an analysis' })
  getById(@Param('id') id: string): Promise<AnalysisView> {
    return this.service.getById(id);
  }
}
