import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../auth/public.decorator';
import { type HealthReport, HealthService } from './health.service';

/** `GET /api/health`: 200 whether ok or degraded; 503 only when the database is down. */
@ApiTags('health')
@Controller('api/health')
export class HealthController {
  constructor(private readonly health: HealthService) {}

  /** Reports the state of the database, Redis and the Docker engine. */
  @Public()
  @Get()
  @ApiOperation({ summary: 'Health of the database, Redis and the Docker engine' })
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthReport> {
    const report = await this.health.check();
    if (report.checks.database !== 'ok') response.status(503);
    return report;
  }
}
