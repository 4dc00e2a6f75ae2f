import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit, Optional } from '@nestjs/common';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { CatalogIndex, type CatalogServer } from './catalog-index';
import { GatewayMetrics } from './gateway.metrics';
import { GatewaySession, type LiveBackend, type SessionContext } from './gateway-session';
import {
  BackendConnector,
  BuiltinTools,
  CatalogSource,
  type GatewayPrincipal,
  type GatewayView,
  ToolCallRecorder,
} from './gateway.types';

/** Settings of the gateway. */
export interface GatewayOptions {
  /** Idle time after which a session and its backends are torn down, in milliseconds. */
  sessionIdleTimeoutMs: number;
}

/** Injection token of {@link GatewayOptions}. */
export const GATEWAY_OPTIONS = Symbol('GATEWAY_OPTIONS');

interface SessionEntry {
  session: GatewaySession;
  transport: Transport;
  timer?: NodeJS.Timeout;
}

/**
 * The sessions of the gateway and the catalog they list from. The catalog is loaded once and rebuilt on
 * {@link GatewayService.refresh} (a server added, changed, enabled, disabled or removed); sessions then drop the
 * backends of servers that changed or left and are told their lists changed.
 */
@Injectable()
export class GatewayService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(GatewayService.name);
  private servers: CatalogServer[] = [];
  private revisions = new Map<string, string>();
  private aggregate = new CatalogIndex([], true);
  private singles = new Map<string, CatalogIndex>();
  private readonly sessions = new Map<string, SessionEntry>();
  private readonly shared = new Map<string, Promise<LiveBackend>>();
  private readonly context: SessionContext;

  constructor(
    @Inject(GATEWAY_OPTIONS) private readonly options: GatewayOptions,
    private readonly source: CatalogSource,
    connector: BackendConnector,
    recorder: ToolCallRecorder,
    readonly metrics: GatewayMetrics,
    @Optional() builtins?: BuiltinTools,
  ) {
    this.context = {
      index: (view) => this.indexFor(view),
      connector,
      recorder,
      metrics,
      builtins,
      logger: this.logger,
      sharedBackend: (server, open) => this.sharedBackend(server, open),
    };
  }

  /** Loads the catalog at boot. */
  async onModuleInit(): Promise<void> {
    await this.refresh();
  }

  /**
   * Reloads the catalog; closes the backends of servers that changed or are gone (in every session, and shared
   * ones); tells every session its lists changed.
   */
  async refresh(): Promise<void> {
    const servers = await this.source.load();
    const next = new Map(servers.map((server) => [server.id, server.revision]));
    const stale = [...this.revisions.keys()].filter((id) => next.get(id) !== this.revisions.get(id));
    this.servers = servers;
    this.revisions = next;
    this.aggregate = new CatalogIndex(servers, true);
    this.singles = new Map();
    for (const serverId of stale) await this.closeServerBackends(serverId);
    await Promise.all([...this.sessions.values()].map((entry) => entry.session.notifyListsChanged()));
  }

  /** The servers in the catalog. */
  catalog(): CatalogServer[] {
    return this.servers;
  }

  /** The index of a view. A single view of an unknown server is empty. */
  indexFor(view: GatewayView): CatalogIndex {
    if (view.kind !== 'single') return this.aggregate;
    let index = this.singles.get(view.server);
    if (!index) {
      const server = this.servers.find((candidate) => candidate.name === view.server);
      index = new CatalogIndex(server ? [server] : [], false);
      this.singles.set(view.server, index);
    }
    return index;
  }

  /** True when a single-server view can be opened for `name`. */
  hasServer(name: string): boolean {
    return this.servers.some((server) => server.name === name);
  }

  /** Creates a session (not yet registered: see {@link GatewayService.register}). */
  createSession(id: string, view: GatewayView, principal: GatewayPrincipal): GatewaySession {
    return new GatewaySession(id, view, principal, this.context);
  }

  /** Registers a connected session and starts its idle clock. */
  register(session: GatewaySession, transport: Transport): void {
    this.sessions.set(session.id, { session, transport });
    this.metrics.liveSessions.set(this.sessions.size);
    this.touch(session.id);
  }

  /** The session and its transport, or undefined. */
  get(sessionId: string): SessionEntry | undefined {
    return this.sessions.get(sessionId);
  }

  /** Pushes back a session's idle teardown. */
  touch(sessionId: string): void {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    if (entry.timer) clearTimeout(entry.timer);
    entry.timer = setTimeout(() => {
      this.logger.log({ sessionId }, 'Closing an idle session');
      void this.closeSession(sessionId);
    }, this.options.sessionIdleTimeoutMs);
    entry.timer.unref();
  }

  /** Closes a session: its backends (containers), its builtin state, its transport. Idempotent. */
  async closeSession(sessionId: string): Promise<void> {
    const entry = this.sessions.get(sessionId);
    if (!entry) return;
    this.sessions.delete(sessionId);
    this.metrics.liveSessions.set(this.sessions.size);
    if (entry.timer) clearTimeout(entry.timer);
    try {
      await entry.session.close();
    } catch (error) {
      this.logger.warn({ sessionId, reason: (error as Error).message }, 'Error while closing a session');
    }
  }

  /** How many live sessions hold a backend of this server (every session, for a shared server in use). */
  liveSessionsOf(serverId: string): number {
    const sessions = [...this.sessions.values()];
    if (this.shared.has(serverId)) return sessions.length;
    return sessions.filter((entry) => entry.session.backendServerIds().includes(serverId)).length;
  }

  /** Closes every session and shared backend. */
  async onApplicationShutdown(): Promise<void> {
    await Promise.all([...this.sessions.keys()].map((id) => this.closeSession(id)));
    await Promise.all([...this.shared.keys()].map((id) => this.closeShared(id)));
  }

  private async closeServerBackends(serverId: string): Promise<void> {
    await Promise.all([...this.sessions.values()].map((entry) => entry.session.closeBackend(serverId)));
    await this.closeShared(serverId);
  }

  private sharedBackend(server: CatalogServer, open: () => Promise<LiveBackend>): Promise<LiveBackend> {
    const existing = this.shared.get(server.id);
    if (existing) {
      return existing.then((live) => {
        if (!live.closed) return live;
        this.shared.delete(server.id);
        return this.sharedBackend(server, open);
      });
    }
    const pending = open();
    this.shared.set(server.id, pending);
    pending.catch(() => {
      if (this.shared.get(server.id) === pending) this.shared.delete(server.id);
    });
    return pending;
  }

  private async closeShared(serverId: string): Promise<void> {
    const pending = this.shared.get(serverId);
    if (!pending) return;
    this.shared.delete(serverId);
    const live = await pending.catch(() => undefined);
    if (!live) return;
    if (!live.closed) this.metrics.liveBackends.dec({ server: live.server.name });
    live.closed = true;
    await live.endSession();
    await live.client.close().catch(() => undefined);
    await live.channel.release().catch(() => undefined);
  }
}
