import { HttpErrorResponse } from '@angular/common/http';

import { describeError, toApiError } from './api-error';

function httpError(status: number, error: unknown): HttpErrorResponse {
  return new HttpErrorResponse({ status, error });
}

describe(toApiError.name, () => {
  it('keeps the field errors of a 400', () => {
    const error = toApiError(
      httpError(400, { message: 'Validation failed', errors: [{ field: 'name', message: 'Too long' }, { bad: 1 }] }),
    );
    expect(error).toEqual({
      status: 400,
      message: 'Some values are not valid.',
      fieldErrors: [{ field: 'name', message: 'Too long' }],
    });
  });

  it('speaks plainly about unreachable servers, throttling and server faults', () => {
    expect(toApiError(httpError(0, null)).message).toContain('Cannot reach the MCP Router server');
    expect(toApiError(httpError(429, null)).message).toBe('Too many attempts. Wait a minute and try again.');
    expect(toApiError(httpError(500, { correlationId: 'req-9' })).message).toContain('reference req-9');
    expect(toApiError(httpError(409, { message: ['a', 'b'] })).message).toBe('a; b');
  });

  it('lets a caller say what a status means for its request', () => {
    expect(describeError(httpError(409, {}), 'Could not save', { 409: 'Name taken.' })).toBe(
      'Could not save: Name taken.',
    );
    expect(describeError(new Error('boom'))).toBe('boom');
  });
});
