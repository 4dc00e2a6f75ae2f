import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { GithubUrlError, parseGithubUrl } from '@mcp-router/analyzer';
import { type AnalysisEntity, AnalysisRepository } from '@mcp-router/registry';
import { JobName, JobRepository } from '@mcp-router/queue';

/** An analysis as the API shows it. */
export interface AnalysisView {
  id: string;
  url: string;
  state: AnalysisEntity['state'];
  progress: AnalysisEntity['progress'];
  plan?: Record<string, unknown>;
  error?: string;
}

/** Starts repository analyses (run by the worker) and reports them. */
@Injectable()
export class AnalysisService {
  constructor(
    private readonly analyses: AnalysisRepository,
    private readonly jobs: JobRepository,
  ) {}

  /**
   * Validates the URL, records a queued analysis and enqueues `analyze-repo`.
   * @throws {BadRequestException} 400 naming the accepted URL forms.
   */
  async start(url: string): Promise<{ id: string }> {
    try {
      parseGithubUrl(url);
    } catch (error) {
      if (error instanceof GithubUrlError) {
        throw new BadRequestException({
          statusCode: 400,
          message: error.message,
          errors: [{ field: 'url', message: error.message }],
        });
      }
      throw error;
    }
    const analysis = await this.analyses.create(url.trim());
    await this.jobs.enqueue(JobName.AnalyzeRepo, { analysisId: analysis.id }, { key: analysis.id });
    return { id: analysis.id };
  }

  /** @throws {NotFoundException} for an unknown id. */
  async getById(id: string): Promise<AnalysisView> {
    const analysis = await this.analyses.getById(id);
    if (!analysis) throw new NotFoundException(`No analysis with id ${id}`);
    const view: AnalysisView = {
      id: analysis.id,
      url: analysis.url,
      state: analysis.state,
      progress: analysis.progress,
    };
    if (analysis.plan) view.plan = analysis.plan;
    if (analysis.error) view.error = analysis.error;
    return view;
  }
}
