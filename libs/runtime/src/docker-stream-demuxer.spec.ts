import { DockerStreamDemuxer, type OutputStream } from './docker-stream-demuxer';

function frame(type: number, text: string): Buffer {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

function run(chunks: Buffer[]) {
  const out: Record<OutputStream, string> = { stdout: '', stderr: '' };
  const corrupt: number[] = [];
  const sut = new DockerStreamDemuxer(
    (stream, payload) => {
      out[stream] += payload.toString();
    },
    (type) => corrupt.push(type),
  );
  for (const chunk of chunks) sut.push(chunk);
  return { out, corrupt };
}

describe(DockerStreamDemuxer.name, () => {
  const stream = Buffer.concat([
    frame(1, '{"jsonrpc":"2.0"'),
    frame(2, 'warn: x\n'),
    frame(1, ',"id":1}\n'),
    frame(0, 'in'),
  ]);

  it('separates stdout and stderr when the whole stream comes in one chunk', () => {
    expect(run([stream]).out).toEqual({ stdout: '{"jsonrpc":"2.0","id":1}\nin', stderr: 'warn: x\n' });
  });

  it('gives the same result whatever the chunk boundaries (headers and payloads split)', () => {
    const expected = run([stream]).out;
    for (let a = 1; a < stream.length; a += 3) {
      for (let b = a; b < stream.length; b += 5) {
        expect(run([stream.subarray(0, a), stream.subarray(a, b), stream.subarray(b)]).out).toEqual(expected);
      }
    }
    expect(run([...stream].map((byte) => Buffer.from([byte]))).out).toEqual(expected);
  });

  it('passes a stream that is not multiplexed through as stdout and says so once', () => {
    const { out, corrupt } = run([Buffer.from('{"jsonrpc":"2.0"}\n'), Buffer.from('more\n')]);
    expect(out.stdout).toBe('{"jsonrpc":"2.0"}\nmore\n');
    expect(corrupt).toEqual([0x7b]);
  });
});
