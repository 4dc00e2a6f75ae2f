import { Processor } from '@nestjs/bullmq';
import { type Job, UnrecoverableError } from 'bullmq';
import { AnalyzerService, isPermanentAnalysisError } from '@mcp-router/analyzer';
import { AnalysisRepository } from '@mcp-router/registry';
import { JobName, type JobPayload, JobProcessor, QueueName } from '@mcp-router/queue';

/** The `analysis` queue: a repository URL → an install-and-run plan, stored on its Analysis. */
@Processor(QueueName.Analysis)
export class AnalysisProcessor extends JobProcessor {
  protected readonly queue = QueueName.Analysis;
  protected readonly handlers = {
    [JobName.AnalyzeRepo]: (payload: JobPayload<typeof JobName.AnalyzeRepo>, job: Job) =>
      this.handleAnalyzeRepo(payload, job),
  };

  constructor(
    private readonly analyses: AnalysisRepository,
    private readonly analyzer: AnalyzerService,
  ) {
    super();
  }

  /**
   * Runs the analysis, reporting each step to the Analysis row and the job. A transient failure is retried by
   * BullMQ; a permanent one (unknown repository, bad URL) or the last attempt marks the analysis failed.
   */
  async handleAnalyzeRepo(payload: JobPayload<typeof JobName.AnalyzeRepo>, job: Job): Promise<{ analysisId: string }> {
    const analysis = await this.analyses.getById(payload.analysisId);
    if (!analysis) throw new UnrecoverableError(`Analysis ${payload.analysisId} does not exist`);
    if (analysis.state === 'done') return { analysisId: analysis.id };
    await this.analyses.patch(analysis.id, { state: 'running', error: null });
    try {
      const plan = await this.analyzer.analyze(analysis.url, async (step, percent) => {
        await this.analyses.patch(analysis.id, { progress: { step, percent } });
        await job.updateProgress({ step, percent });
      });
      await this.analyses.patch(analysis.id, {
        state: 'done',
        plan,
        progress: { step: 'done', percent: 100 },
      });
      return { analysisId: analysis.id };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = isPermanentAnalysisError(error);
      const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      if (permanent || lastAttempt) {
        await this.analyses.patch(analysis.id, { state: 'failed', error: message });
        throw new UnrecoverableError(message);
      }
      this.logger.warn({ analysisId: analysis.id, reason: message }, 'Analysis failed; BullMQ will retry');
      throw error;
    }
  }
}
