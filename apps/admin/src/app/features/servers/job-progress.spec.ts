import { jobView } from './job-progress';

describe(jobView.name, () => {
  it('reads progress objects and bare numbers', () => {
    expect(jobView({ state: 'active', progress: { percent: 42.4, step: 'building', message: 'Building' } })).toEqual({
      phase: 'running',
      percent: 42,
      message: 'Building',
      error: null,
    });
    expect(jobView({ state: 'active', progress: 130 }).percent).toBe(100);
    expect(jobView({ state: 'waiting', progress: null }).message).toBe('Waiting for a worker…');
  });

  it('tells success from failure', () => {
    expect(jobView({ state: 'completed', progress: 90 })).toMatchObject({ phase: 'done', percent: 100 });
    expect(jobView({ state: 'failed', progress: null, error: 'npm ERR! 404' })).toMatchObject({
      phase: 'failed',
      error: 'npm ERR! 404',
    });
    expect(jobView({ state: 'failed', progress: null }).error).toBe('The job failed without saying why.');
    expect(jobView({ state: 'unknown', progress: 0 })).toMatchObject({
      phase: 'failed',
      error: 'The job was lost: the queue no longer has it.',
    });
  });
});
