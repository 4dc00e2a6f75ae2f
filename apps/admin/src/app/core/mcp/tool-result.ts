import * as z from 'zod/mini';

const contentBlock = z.looseObject({
  type: z.string(),
  text: z.optional(z.string()),
  data: z.optional(z.string()),
  mimeType: z.optional(z.string()),
  uri: z.optional(z.string()),
  name: z.optional(z.string()),
  resource: z.optional(
    z.looseObject({
      uri: z.string(),
      mimeType: z.optional(z.string()),
      text: z.optional(z.string()),
      blob: z.optional(z.string()),
    }),
  ),
});

const callToolResult = z.looseObject({
  content: z.optional(z.array(z.unknown())),
  structuredContent: z.optional(z.unknown()),
  isError: z.optional(z.boolean()),
});

/** One piece of a tool result, ready to show. */
export type ResultPart =
  | { kind: 'text'; text: string }
  | { kind: 'image'; src: string; mimeType: string }
  | { kind: 'audio'; src: string; mimeType: string }
  | { kind: 'link'; uri: string; name: string }
  | { kind: 'json'; label: string; text: string };

/** A tool result as the admin shows it. */
export interface ToolResultView {
  /** The tool reported a failure (`isError`); its parts say why. */
  isError: boolean;
  parts: ResultPart[];
}

function dataUrl(mimeType: string, base64: string): string {
  return `data:${mimeType};base64,${base64}`;
}

function blockToPart(raw: unknown): ResultPart {
  const parsed = contentBlock.safeParse(raw);
  if (!parsed.success) return { kind: 'json', label: 'Unrecognised content', text: JSON.stringify(raw, null, 2) };
  const block = parsed.data;
  if (block.type === 'text' && block.text !== undefined) return { kind: 'text', text: block.text };
  if (block.type === 'image' && block.data && block.mimeType?.startsWith('image/')) {
    return { kind: 'image', src: dataUrl(block.mimeType, block.data), mimeType: block.mimeType };
  }
  if (block.type === 'audio' && block.data && block.mimeType?.startsWith('audio/')) {
    return { kind: 'audio', src: dataUrl(block.mimeType, block.data), mimeType: block.mimeType };
  }
  if (block.type === 'resource_link' && block.uri)
    return { kind: 'link', uri: block.uri, name: block.name ?? block.uri };
  if (block.type === 'resource' && block.resource) {
    const { uri, mimeType, text, blob } = block.resource;
    if (text !== undefined) return { kind: 'text', text: `${uri}\n\n${text}` };
    if (blob && mimeType?.startsWith('image/')) return { kind: 'image', src: dataUrl(mimeType, blob), mimeType };
    return { kind: 'link', uri, name: `${uri}${mimeType ? ` (${mimeType})` : ''}` };
  }
  return { kind: 'json', label: `Content of type "${block.type}"`, text: JSON.stringify(raw, null, 2) };
}

/**
 * Turns a raw `CallToolResult` into parts to show: text, images and audio (as data URLs of their own image/audio
 * type only), resource links, and anything else as JSON. Structured content is shown as JSON when there is no
 * other content. An unreadable result becomes one JSON part.
 */
export function toToolResultView(raw: unknown): ToolResultView {
  const parsed = callToolResult.safeParse(raw);
  if (!parsed.success) {
    return { isError: false, parts: [{ kind: 'json', label: 'Result', text: JSON.stringify(raw, null, 2) }] };
  }
  const parts = (parsed.data.content ?? []).map(blockToPart);
  if (parsed.data.structuredContent !== undefined && parts.length === 0) {
    parts.push({
      kind: 'json',
      label: 'Structured result',
      text: JSON.stringify(parsed.data.structuredContent, null, 2),
    });
  }
  return { isError: parsed.data.isError === true, parts };
}
