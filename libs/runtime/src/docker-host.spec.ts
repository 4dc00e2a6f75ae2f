import { dockerConnectionOptions } from './docker-host';

describe('dockerConnectionOptions', () => {
  it('uses the local socket by default', () => {
    expect(dockerConnectionOptions(undefined)).toMatchObject({ socketPath: '/var/run/docker.sock', host: undefined });
  });

  it('reads unix and tcp addresses', () => {
    expect(dockerConnectionOptions('unix:///run/user/1000/docker.sock')).toMatchObject({
      socketPath: '/run/user/1000/docker.sock',
      host: undefined,
    });
    expect(dockerConnectionOptions('tcp://10.0.0.5:2375')).toEqual({
      socketPath: undefined,
      host: '10.0.0.5',
      port: 2375,
      protocol: 'http',
    });
    expect(dockerConnectionOptions('https://docker.internal')).toMatchObject({ port: 2376, protocol: 'https' });
  });

  it('refuses other schemes with a message naming DOCKER_HOST', () => {
    expect(() => dockerConnectionOptions('ssh://user@host')).toThrow(/DOCKER_HOST/);
    expect(() => dockerConnectionOptions('localhost:2375')).toThrow(/DOCKER_HOST/);
  });
});
