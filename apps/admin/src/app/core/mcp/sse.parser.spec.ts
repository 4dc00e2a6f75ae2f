import { SseParser } from './sse.parser';

describe(SseParser.name, () => {
  it('yields events as chunks complete them, wherever the chunks split', () => {
    const sut = new SseParser();
    expect(sut.feed('event: message\nda')).toEqual([]);
    expect(sut.feed('ta: {"a":1}\n')).toEqual([]);
    expect(sut.feed('\n')).toEqual([{ event: 'message', data: '{"a":1}' }]);
  });

  it('joins multi-line data, skips comments, reads ids and handles CRLF and a split CR LF', () => {
    const sut = new SseParser();
    const events = [...sut.feed(': keep-alive\r\nid: 7\r\ndata: line 1\r'), ...sut.feed('\ndata: line 2\r\n\r\n')];
    expect(events).toEqual([{ event: 'message', data: 'line 1\nline 2', id: '7' }]);
  });

  it('dispatches a last event that ends without a blank line on flush', () => {
    const sut = new SseParser();
    expect(sut.feed('event: custom\ndata: x')).toEqual([]);
    expect(sut.flush()).toEqual([{ event: 'custom', data: 'x' }]);
  });
});
