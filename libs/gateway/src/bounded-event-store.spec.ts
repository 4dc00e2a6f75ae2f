import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';
import { BoundedEventStore } from './bounded-event-store';

const message = (id: number): JSONRPCMessage => ({ jsonrpc: '2.0', id, result: {} });

describe(BoundedEventStore.name, () => {
  it('replays the later events of the same stream only', async () => {
    const sut = new BoundedEventStore();
    const first = await sut.storeEvent('a', message(1));
    await sut.storeEvent('b', message(2));
    await sut.storeEvent('a', message(3));
    const sent: unknown[] = [];
    expect(await sut.replayEventsAfter(first, { send: (_id, m) => Promise.resolve(void sent.push(m)) })).toBe('a');
    expect(sent).toEqual([message(3)]);
    expect(await sut.getStreamIdForEventId(first)).toBe('a');
  });

  it('forgets events beyond its capacity', async () => {
    const sut = new BoundedEventStore(2);
    const first = await sut.storeEvent('a', message(1));
    await sut.storeEvent('a', message(2));
    await sut.storeEvent('a', message(3));
    expect(await sut.getStreamIdForEventId(first)).toBeUndefined();
    expect(await sut.replayEventsAfter(first, { send: () => Promise.resolve() })).toBe('');
  });
});
