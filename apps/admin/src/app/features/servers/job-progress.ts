import type { Job } from '../../core/api/api.models';

/** Where a job stands, as the install panel shows it. */
export interface JobView {
  phase: 'running' | 'done' | 'failed';
  /** 0–100, or null when the job reports none yet. */
  percent: number | null;
  message: string | null;
  error: string | null;
}

const DONE_STATES = new Set(['completed', 'done', 'succeeded']);
const FAILED_STATES = new Set(['failed', 'error']);

/** Reads a job answer: its phase, progress (`{percent, message}` or a bare number) and error. */
export function jobView(job: Job): JobView {
  const state = job.state.toLowerCase();
  const progress = job.progress;
  let percent: number | null = null;
  let message: string | null = null;
  if (typeof progress === 'number') percent = progress;
  else if (progress && typeof progress === 'object') {
    percent = typeof progress.percent === 'number' ? progress.percent : null;
    message = progress.message ?? null;
  }
  if (percent !== null) percent = Math.max(0, Math.min(100, Math.round(percent)));
  if (DONE_STATES.has(state)) return { phase: 'done', percent: 100, message, error: null };
  if (FAILED_STATES.has(state)) {
    return { phase: 'failed', percent, message, error: job.error || 'The job failed without saying why.' };
  }
  // BullMQ's answer for a job that is in none of its lists any more: waiting longer would wait forever.
  if (state === 'unknown') {
    return { phase: 'failed', percent, message, error: job.error || 'The job was lost: the queue no longer has it.' };
  }
  return {
    phase: 'running',
    percent,
    message: message ?? (state === 'waiting' ? 'Waiting for a worker…' : null),
    error: null,
  };
}
