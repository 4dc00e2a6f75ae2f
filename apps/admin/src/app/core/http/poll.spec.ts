import { HttpErrorResponse } from '@angular/common/http';
import { jest } from '@jest/globals';

import { poll } from './poll';

describe(poll.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('reads until done, reporting every value', async () => {
    const values = [1, 2, 3];
    const read = jest.fn(() => Promise.resolve(values.shift() ?? 0));
    const seen: number[] = [];
    const result = poll(
      read,
      (value) => value === 3,
      (value) => seen.push(value),
      {
        intervalMs: 1000,
        signal: new AbortController().signal,
      },
    );
    await jest.advanceTimersByTimeAsync(2000);
    await expect(result).resolves.toBe(3);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('rides out brief network failures but not a 404', async () => {
    const blip = new HttpErrorResponse({ status: 0 });
    const read = jest.fn<() => Promise<string>>().mockRejectedValueOnce(blip).mockResolvedValueOnce('done');
    const result = poll<string>(
      read,
      () => true,
      () => undefined,
      { intervalMs: 10, signal: new AbortController().signal },
    );
    await jest.advanceTimersByTimeAsync(10);
    await expect(result).resolves.toBe('done');

    const gone = new HttpErrorResponse({ status: 404 });
    const failing = poll(
      jest.fn<() => Promise<unknown>>().mockRejectedValue(gone),
      () => true,
      () => undefined,
      {
        intervalMs: 10,
        signal: new AbortController().signal,
      },
    );
    await expect(failing).rejects.toBe(gone);
  });

  it('stops when aborted, rejecting with the abort reason', async () => {
    const controller = new AbortController();
    const read = jest.fn(() => Promise.resolve(1));
    const result = poll(
      read,
      () => false,
      () => undefined,
      { intervalMs: 1000, signal: controller.signal },
    );
    const outcome = result.catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(0);
    const reason = new Error('left the page');
    controller.abort(reason);
    expect(await outcome).toBe(reason);
    expect(read).toHaveBeenCalledTimes(1);
  });
});
