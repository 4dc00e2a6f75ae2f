import { Injectable, NotFoundException } from '@nestjs/common';
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { ApiKeyRepository, type ApiKeyEntity, AuditRepository } from '@mcp-router/registry';

/** Every key starts with this, so that it is recognisable (and scannable) wherever it leaks. */
export const API_KEY_PREFIX = 'mcpr_';
const DISPLAY_PREFIX_LENGTH = 12;
const TOUCH_INTERVAL_MS = 60_000;

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
export class ApiKeyService {
  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: AuditRepository,
  ) {}

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
    await this.audit.record({ actor: 'admin', action: 'key.revoke', target: id, detail: { name: entity.name } });
    const revoked = await this.keys.getById(id);
    return toView(revoked ?? entity);
  }

  /**
   * The id of the active key `candidate` is, or null. The stored hash is compared in constant time; the key's
   * last use is recorded at most once a minute.
   */
  async verify(candidate: string): Promise<string | null> {
    if (!candidate.startsWith(API_KEY_PREFIX)) return null;
    const hash = hashApiKey(candidate);
    const entity = await this.keys.getActiveByHash(hash);
    if (!entity || !timingSafeEqual(Buffer.from(entity.hash, 'hex'), Buffer.from(hash, 'hex'))) return null;
    const now = new Date();
    if (!entity.lastUsedAt || now.getTime() - entity.lastUsedAt.getTime() > TOUCH_INTERVAL_MS) {
      await this.keys.touch(entity.id, now);
    }
    return entity.id;
  }
}
