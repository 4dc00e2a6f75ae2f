import type { EventStore } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { JSONRPCMessage } from '@modelcontextprotocol/sdk/types.js';

/** How many events a session keeps for replay by default. */
export const DEFAULT_REPLAY_EVENTS = 500;

interface StoredEvent {
  id: string;
  streamId: string;
  message: JSONRPCMessage;
}

/**
 * The events of one client session, so that a client whose SSE stream dropped can resume it with `Last-Event-ID`
 * (streamable HTTP resumability). Keeps the last `capacity` events of the session in memory; an id older than that
 * replays nothing. Event ids are `<stream>.<sequence>`, ordered within the session.
 */
export class BoundedEventStore implements EventStore {
  private readonly events: StoredEvent[] = [];
  private sequence = 0;

  constructor(private readonly capacity = DEFAULT_REPLAY_EVENTS) {}

  /** Stores a message sent on a stream; returns its event id. */
  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    this.sequence += 1;
    const id = `${streamId}.${this.sequence}`;
    this.events.push({ id, streamId, message });
    if (this.events.length > this.capacity) this.events.splice(0, this.events.length - this.capacity);
    return Promise.resolve(id);
  }

  /** The stream an event id belongs to, or undefined when it is unknown (or too old). */
  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(this.events.find((event) => event.id === eventId)?.streamId);
  }

  /** Sends the events of the same stream that came after `lastEventId`; returns that stream's id ('' when unknown). */
  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const index = this.events.findIndex((event) => event.id === lastEventId);
    const last = this.events[index];
    if (!last) return '';
    for (const event of this.events.slice(index + 1)) {
      if (event.streamId === last.streamId) await send(event.id, event.message);
    }
    return last.streamId;
  }
}
