import { headersFromEnv } from './remote-transport';

describe(headersFromEnv.name, () => {
  it('reads env keys as header names', () => {
    expect(headersFromEnv({ AUTHORIZATION: 'Bearer x', X_API_KEY: 'k' })).toEqual({
      Authorization: 'Bearer x',
      'X-Api-Key': 'k',
    });
  });
});
