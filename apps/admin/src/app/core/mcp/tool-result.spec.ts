import { toToolResultView } from './tool-result';

describe(toToolResultView.name, () => {
  it('shows text, images, audio, links and embedded resources', () => {
    const view = toToolResultView({
      content: [
        { type: 'text', text: 'hello' },
        { type: 'image', data: 'AAA', mimeType: 'image/png' },
        { type: 'audio', data: 'BBB', mimeType: 'audio/wav' },
        { type: 'resource_link', uri: 'file:///a.txt', name: 'a.txt' },
        { type: 'resource', resource: { uri: 'mem://b', text: 'body' } },
      ],
    });
    expect(view).toEqual({
      isError: false,
      parts: [
        { kind: 'text', text: 'hello' },
        { kind: 'image', src: 'data:image/png;base64,AAA', mimeType: 'image/png' },
        { kind: 'audio', src: 'data:audio/wav;base64,BBB', mimeType: 'audio/wav' },
        { kind: 'link', uri: 'file:///a.txt', name: 'a.txt' },
        { kind: 'text', text: 'mem://b\n\nbody' },
      ],
    });
  });

  it('never turns a non-image into an image, and shows unknown content as JSON', () => {
    const view = toToolResultView({
      content: [{ type: 'image', data: 'x', mimeType: 'text/html' }, { type: 'weird' }],
    });
    expect(view.parts.map((part) => part.kind)).toEqual(['json', 'json']);
  });

  it('keeps the error flag and falls back to structured content', () => {
    expect(toToolResultView({ isError: true, content: [{ type: 'text', text: 'boom' }] }).isError).toBe(true);
    expect(toToolResultView({ content: [], structuredContent: { a: 1 } }).parts).toEqual([
      { kind: 'json', label: 'Structured result', text: '{\n  "a": 1\n}' },
    ]);
  });
});
