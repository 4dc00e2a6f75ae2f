import { LineSplitter } from './line-splitter';

function collect(options?: ConstructorParameters<typeof LineSplitter>[1]) {
  const lines: string[] = [];
  const sut = new LineSplitter((line) => lines.push(line), options);
  return { sut, lines };
}

describe(LineSplitter.name, () => {
  it('joins lines split over chunks, at every possible boundary, including inside a multi-byte character', () => {
    const text = Buffer.from('{"a":"é€😀"}\r\nsecond\n', 'utf8');
    for (let cut = 0; cut <= text.length; cut += 1) {
      const { sut, lines } = collect();
      sut.push(text.subarray(0, cut));
      sut.push(text.subarray(cut));
      expect(lines).toEqual(['{"a":"é€😀"}', 'second']);
    }
  });

  it('keeps an unfinished line until flush', () => {
    const { sut, lines } = collect();
    sut.push(Buffer.from('one\ntw'));
    expect(lines).toEqual(['one']);
    sut.flush();
    expect(lines).toEqual(['one', 'tw']);
  });

  it('drops an over-long line, reports it, and goes on with the next', () => {
    const overflows: number[] = [];
    const { sut, lines } = collect({ maxLineBytes: 8, onOverflow: (bytes) => overflows.push(bytes) });
    sut.push(Buffer.from('0123456'));
    sut.push(Buffer.from('789abc\nok\n'));
    expect(lines).toEqual(['ok']);
    expect(overflows).toEqual([13]);
  });

  it('cuts an over-long line when told to truncate', () => {
    const { sut, lines } = collect({ maxLineBytes: 4, overflow: 'truncate' });
    sut.push(Buffer.from('abcdefgh\nxy\n'));
    expect(lines).toEqual(['abcd', 'xy']);
  });
});
