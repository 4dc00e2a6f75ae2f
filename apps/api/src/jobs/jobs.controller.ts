import { Controller, Get, NotFoundException, Param } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { JobRepository, type JobStatus } from '@mcp-router/queue';

/** `GET /api/jobs/:id`: the state, progress and outcome of a queued job. */
@ApiTags('jobs')
@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: JobRepository) {}

  /** @throws {NotFoundException} for an unknown (or expired) job. */
  @Get(':id')
  @ApiOperation({ summary: 'State of a job' })
  async getById(@Param('id') id: string): Promise<JobStatus> {
    const status = await this.jobs.getStatus(id);
    if (!status) throw new NotFoundException(`No job with id ${id}`);
    return status;
  }
}
