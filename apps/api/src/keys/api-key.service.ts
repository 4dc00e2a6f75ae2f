import { Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';
import { EventsRepository } from '@mcp-router/queue';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiKeyRepository, type ApiKeyEntity, AuditRepository } from '@mcp-router/registry';

/** Every key starts with this, so that it is recognisable (and scannable) wherever it leaks. */
export const API_KEY_PREFIX = 'mcpr_';
const DISPLAY_PREFIX_LENGTH = 12;
const TOUCH_INTERVAL_MS = 60_000;
/** How long a verified key is trusted without asking the database again (revocation evicts it at once). */
const VERIFIED_TTL_MS = 30_000;

interface VerifiedKey {
  id: string;
  verifiedAt: number;
  touchedAt: number;
}

/** A key as the API lists it: never the key, never its hash. */
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

/** The answer to a key creation: the only time the key itself is shown. */
export interface CreatedApiKey extends ApiKeyView {
  key: string;
}

/** The SHA-256 (hex) under which a key is stored. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

function toView(entity: ApiKeyEntity): ApiKeyView {
  return {
    id: entity.id,
    name: entity.name,
    prefix: entity.prefix,
    createdAt: entity.createdAt.toISOString(),
    lastUsedAt: entity.lastUsedAt?.toISOString() ?? null,
    revokedAt: entity.revokedAt?.toISOString() ?? null,
  };
}

/** MCP API keys: `mcpr_` + 32 random bytes (base64url), stored as a SHA-256 hash, revocable at once. */
@Injectable()
export class ApiKeyService implements OnModuleInit {
  private readonly logger = new Logger(ApiKeyService.name);
  /** Verified keys by hash: every MCP request is authenticated, and most of them by the same few keys. */
  private readonly verified = new Map<string, VerifiedKey>();

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditRepository,
    private readonly events: EventsRepository,
  ) {}

  /** Listens for revocations on other api replicas. */
  async onModuleInit(): Promise<void> {
    await this.events.subscribe((event) => {
      if (event.type === 'key-revoked') this.evict(event.keyId);
    });
  }

  private evict(keyId: string): void {
    for (const [hash, entry] of this.verified) if (entry.id === keyId) this.verified.delete(hash);
  }

  /** Creates a key and returns it, in clear, this once. */
  async create(name: string): Promise<CreatedApiKey> {
    const key = `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
    const entity = await this.keys.create({ name, hash: hashApiKey(key), prefix: key.slice(0, DISPLAY_PREFIX_LENGTH) });
    await this.audit.record({ actor: 'admin', action: 'key.create', target: entity.id, detail: { name } });
    return { ...toView(entity), key };
  }

  /** Every key, newest first. */
  async getAll(): Promise<ApiKeyView[]> {
    return (await this.keys.getAll()).map(toView);
  }

  /**
   * Revokes a key; it stops working at once. Idempotent.
   * @throws {NotFoundException} for an unknown id.
   */
  async revoke(id: string): Promise<ApiKeyView> {
    const entity = await this.keys.getById(id);
    if (!entity) throw new NotFoundException(`No API key with id ${id}`);
    await this.keys.revoke(id);
    this.evict(id);
    await this.events.publish({ type: 'key-revoked', keyId: id });
    await this.audit.record({ actor: 'admin', action: 'key.revoke', target: id, detail: { name: entity.name } });
    const revoked = await this.keys.getById(id);
    return toView(revoked ?? entity);
  }

  /**
   * The id of the active key `candidate` is, or null. The stored hash is compared in constant time; the key's
   * last use is recorded at most once a minute. A verified key is remembered for 30 s; revoking it (here or on
   * another replica, told through Redis) forgets it at once.
   */
  async verify(candidate: string): Promise<string | null> {
    if (!candidate.startsWith(API_KEY_PREFIX)) return null;
    const hash = hashApiKey(candidate);
    const now = Date.now();
    const cached = this.verified.get(hash);
    if (cached && now - cached.verifiedAt < VERIFIED_TTL_MS) {
      if (now - cached.touchedAt > TOUCH_INTERVAL_MS) {
        cached.touchedAt = now;
        this.keys.touch(cached.id, new Date(now)).catch((error: unknown) => {
          this.logger.warn({ keyId: cached.id, reason: (error as Error).message }, 'Could not record a key use');
        });
      }
      return cached.id;
    }
    const entity = await this.keys.getActiveByHash(hash);
    if (!entity || !timingSafeEqual(Buffer.from(entity.hash, 'hex'), Buffer.from(hash, 'hex'))) {
      this.verified.delete(hash);
      return null;
    }
    let touchedAt = entity.lastUsedAt?.getTime() ?? 0;
    if (now - touchedAt > TOUCH_INTERVAL_MS) {
      await this.keys.touch(entity.id, new Date(now));
      touchedAt = now;
    }
    this.verified.set(hash, { id: entity.id, verifiedAt: now, touchedAt });
    return entity.id;
  }
}
