import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import {
  type JSONRPCMessage,
  type JSONRPCRequest,
  type RequestId,
  isJSONRPCRequest,
} from '@modelcontextprotocol/sdk/types.js';
import {
  type JsonRpcAnswer,
  describeDeliveryError,
  isAnswer,
  isSessionNotFound,
  negotiatedProtocolVersion,
  undeliveredAnswer,
} from './json-rpc-messages';
import type { ProxyLogger } from './stderr-logger';

/** The router side of the proxy: what `StreamableHTTPClientTransport` offers besides {@link Transport}. */
export interface UpstreamTransport extends Transport {
  /** The router's `Mcp-Session-Id`, once `initialize` was answered. */
  readonly sessionId: string | undefined;
  /** Sends `MCP-Protocol-Version` on every later request. */
  setProtocolVersion(version: string): void;
  /** Sends `DELETE` for the session. */
  terminateSession(): Promise<void>;
}

/** Dependencies and settings of a {@link StdioProxy}. */
export interface StdioProxyOptions {
  /** The client side: MCP over stdin/stdout (`StdioServerTransport`). */
  downstream: Transport;
  /** Makes a new, unstarted router-side transport with no session; called at start and to re-establish a session. */
  createUpstream: () => UpstreamTransport;
  /** The router endpoint, for messages only. */
  url: URL;
  logger: ProxyLogger;
  /** Bound on the proxy's own `initialize` when it re-establishes a session, in milliseconds (default 30 000). */
  reinitializeTimeoutMs?: number;
}

const REINITIALIZE_ID_PREFIX = 'mcp-router-stdio-proxy:reinitialize:';

/**
 * Pipes MCP messages between a stdio client and the router's streamable HTTP endpoint, mapping nothing: client
 * messages go to the router in the order they arrive (nothing is sent before the client's `initialize` is answered;
 * notifications and answers are delivered before the next message), answers and server→client messages go to stdout.
 *
 * When the router answers 404 (its session is gone), the proxy re-establishes it once for that message: a new
 * session initialized with the client's original `initialize` params, `notifications/initialized`, then the failed
 * message again. A request that cannot be delivered is answered with a JSON-RPC error (`-32000`), never dropped.
 */
export class StdioProxy {
  private upstream: UpstreamTransport;
  /** Counts sessions: bumped by each successful re-establishment. */
  private generation = 0;
  private clientInitialize?: JSONRPCRequest;
  private protocolVersion?: string;
  private reestablishing?: Promise<void>;
  private reinitializeCount = 0;
  /** Client requests sent to the router and not answered yet. */
  private readonly inFlight = new Set<RequestId>();
  private readonly answerWaiters = new Map<RequestId, () => void>();
  private readonly internalRequests = new Map<RequestId, (answer: JsonRpcAnswer) => void>();
  private readonly idleWaiters = new Set<() => void>();
  /** Errors a failed send also reported through `onerror`: logged once, by the code that handles them. */
  private readonly handledErrors = new WeakSet<Error>();
  private dispatchChain: Promise<void> = Promise.resolve();
  private shuttingDown?: Promise<void>;

  /** Wires nothing yet; see {@link StdioProxy.start}. */
  constructor(private readonly options: StdioProxyOptions) {
    this.upstream = options.createUpstream();
  }

  /** Starts both transports: from now on stdin is read. */
  async start(): Promise<void> {
    const { downstream, logger } = this.options;
    downstream.onmessage = (message) => {
      this.onClientMessage(message);
    };
    downstream.onerror = (error) => {
      logger.warn(`stdin: ${error.message}`);
    };
    this.attach(this.upstream);
    await this.upstream.start();
    await downstream.start();
  }

  /**
   * Closes the proxy once: waits up to `drainTimeoutMs` for answers to the requests still in flight, sends `DELETE`
   * for the router session, closes both transports. Safe to call more than once; never throws.
   */
  shutdown(drainTimeoutMs: number): Promise<void> {
    this.shuttingDown ??= this.close(drainTimeoutMs);
    return this.shuttingDown;
  }

  /** Client requests sent to the router and not answered yet. */
  get pendingRequests(): number {
    return this.inFlight.size;
  }

  private onClientMessage(message: JSONRPCMessage): void {
    if (this.shuttingDown) {
      this.options.logger.warn('a message arrived while closing; dropped');
      return;
    }
    this.dispatchChain = this.dispatchChain
      .then(() => this.dispatch(message))
      .catch((error: unknown) => {
        // Only writing to stdout can fail here; the chain must go on for the messages behind this one.
        this.options.logger.error(`handling a client message failed: ${describe(error)}`);
      });
  }

  /** Runs in arrival order. */
  private async dispatch(message: JSONRPCMessage): Promise<void> {
    if (!isJSONRPCRequest(message)) {
      // Notifications and answers to server requests: quick (202), and later messages may depend on them.
      await this.deliver(message);
      return;
    }
    this.inFlight.add(message.id);
    if (message.method === 'initialize') {
      this.clientInitialize = message;
      const answered = this.waitForAnswer(message.id);
      this.deliverDetached(message);
      // Nothing else goes out before the session exists.
      await answered;
      return;
    }
    // Requests are not awaited: a long tool call must not hold up the next one.
    this.deliverDetached(message);
  }

  private deliverDetached(message: JSONRPCMessage): void {
    this.deliver(message).catch((error: unknown) => {
      this.options.logger.error(`delivering a message failed: ${describeDeliveryError(error, this.options.url)}`);
    });
  }

  /** Sends one client message, re-establishing a lost session once; a request that fails is answered with an error. */
  private async deliver(message: JSONRPCMessage, retry = true): Promise<void> {
    await this.reestablishing;
    const generation = this.generation;
    try {
      await this.upstream.send(message);
    } catch (error: unknown) {
      if (error instanceof Error) this.handledErrors.add(error);
      const canReestablish =
        retry && isSessionNotFound(error) && this.clientInitialize !== undefined && !isInitialize(message);
      if (canReestablish) {
        try {
          await this.reestablish(generation);
        } catch (reinitError: unknown) {
          await this.fail(message, `the session expired and re-initializing failed: ${describe(reinitError)}`);
          return;
        }
        await this.deliver(message, false);
        return;
      }
      await this.fail(message, describeDeliveryError(error, this.options.url));
    }
  }

  private async fail(message: JSONRPCMessage, reason: string): Promise<void> {
    const { logger } = this.options;
    if (!isJSONRPCRequest(message)) {
      logger.error(`a ${describeMessage(message)} was not delivered: ${reason}`);
      return;
    }
    logger.error(`request ${String(message.id)} (${message.method}) was not delivered: ${reason}`);
    const answer = undeliveredAnswer(message.id, reason);
    this.settle(message.id);
    await this.toClient(answer);
  }

  /** One re-establishment at a time; a message that failed in an older session just goes again. */
  private reestablish(failedGeneration: number): Promise<void> {
    if (this.reestablishing) return this.reestablishing;
    if (failedGeneration !== this.generation) return Promise.resolve();
    this.reestablishing = this.reinitialize().finally(() => {
      this.reestablishing = undefined;
    });
    return this.reestablishing;
  }

  private async reinitialize(): Promise<void> {
    const { logger, createUpstream } = this.options;
    const initialize = this.clientInitialize;
    if (!initialize) throw new Error('the client never initialized');
    logger.warn(`session ${this.upstream.sessionId ?? '(none)'} not found (HTTP 404); re-initializing`);
    const previous = this.upstream;
    this.detach(previous);
    // The old session is gone on the router: close the transport (its GET stream) without DELETE.
    await previous.close().catch((error: unknown) => {
      logger.warn(`closing the previous transport failed: ${describe(error)}`);
    });
    const next = createUpstream();
    this.attach(next);
    await next.start();
    this.upstream = next;
    const id = `${REINITIALIZE_ID_PREFIX}${++this.reinitializeCount}`;
    const answer = await this.request(next, { jsonrpc: '2.0', id, method: 'initialize', params: initialize.params });
    if (!('result' in answer)) throw new Error(`initialize was refused: ${answer.error.message}`);
    const version = negotiatedProtocolVersion(answer) ?? this.protocolVersion;
    if (version) next.setProtocolVersion(version);
    await next.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    this.generation += 1;
    logger.info(`session re-established (${next.sessionId ?? 'no session id'})`);
  }

  /** Sends a request of the proxy's own and waits for its answer, which never reaches the client. */
  private request(transport: UpstreamTransport, request: JSONRPCRequest): Promise<JsonRpcAnswer> {
    const timeoutMs = this.options.reinitializeTimeoutMs ?? 30_000;
    return new Promise<JsonRpcAnswer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.internalRequests.delete(request.id);
        reject(new Error(`no answer to ${request.method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.internalRequests.set(request.id, (answer) => {
        clearTimeout(timer);
        this.internalRequests.delete(request.id);
        resolve(answer);
      });
      transport.send(request).catch((error: unknown) => {
        clearTimeout(timer);
        this.internalRequests.delete(request.id);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  private attach(transport: UpstreamTransport): void {
    transport.onmessage = (message) => {
      this.onRouterMessage(transport, message);
    };
    transport.onerror = (error) => {
      // A failed send reports its error here first, then rejects; only errors nobody handles are logged here
      // (the GET stream of server messages, a broken answer stream).
      setImmediate(() => {
        if (!this.handledErrors.has(error)) this.options.logger.warn(`router: ${error.message}`);
      });
    };
  }

  private detach(transport: UpstreamTransport): void {
    transport.onmessage = undefined;
    transport.onerror = undefined;
    transport.onclose = undefined;
  }

  private onRouterMessage(transport: UpstreamTransport, message: JSONRPCMessage): void {
    if (isAnswer(message) && message.id !== undefined) {
      const internal = this.internalRequests.get(message.id);
      if (internal) {
        internal(message);
        return;
      }
      if (this.clientInitialize?.id === message.id && this.inFlight.has(message.id)) {
        this.protocolVersion = negotiatedProtocolVersion(message);
        if (this.protocolVersion) transport.setProtocolVersion(this.protocolVersion);
        this.options.logger.info(`session opened (${transport.sessionId ?? 'no session id'})`);
      }
      this.settle(message.id);
    }
    this.toClient(message).catch((error: unknown) => {
      this.options.logger.error(`writing to stdout failed: ${describe(error)}`);
    });
  }

  private toClient(message: JSONRPCMessage): Promise<void> {
    return this.options.downstream.send(message);
  }

  private waitForAnswer(id: RequestId): Promise<void> {
    return new Promise((resolve) => this.answerWaiters.set(id, resolve));
  }

  private settle(id: RequestId): void {
    this.inFlight.delete(id);
    this.answerWaiters.get(id)?.();
    this.answerWaiters.delete(id);
    if (this.inFlight.size === 0) {
      for (const resolve of this.idleWaiters) resolve();
      this.idleWaiters.clear();
    }
  }

  private async close(drainTimeoutMs: number): Promise<void> {
    const { logger, downstream } = this.options;
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, drainTimeoutMs);
    });
    const idle = this.dispatchChain.then(
      () =>
        new Promise<void>((resolve) => {
          if (this.inFlight.size === 0) resolve();
          else this.idleWaiters.add(resolve);
        }),
    );
    await Promise.race([idle, deadline]);
    clearTimeout(timer);
    if (this.inFlight.size > 0) logger.warn(`closing with ${this.inFlight.size} request(s) unanswered`);
    const upstream = this.upstream;
    if (upstream.sessionId !== undefined) {
      const sessionId = upstream.sessionId;
      try {
        await upstream.terminateSession();
        logger.info(`session ${sessionId} closed`);
      } catch (error: unknown) {
        logger.warn(`DELETE of session ${sessionId} failed: ${describeDeliveryError(error, this.options.url)}`);
      }
    }
    this.detach(upstream);
    await upstream.close().catch((error: unknown) => {
      logger.warn(`closing the router transport failed: ${describe(error)}`);
    });
    await downstream.close().catch((error: unknown) => {
      logger.warn(`closing stdio failed: ${describe(error)}`);
    });
  }
}

function isInitialize(message: JSONRPCMessage): boolean {
  return isJSONRPCRequest(message) && message.method === 'initialize';
}

function describeMessage(message: JSONRPCMessage): string {
  if ('method' in message) return `${message.method} notification`;
  return `answer to ${String(message.id)}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
