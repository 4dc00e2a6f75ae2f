import { computed, Injectable, signal } from '@angular/core';

const STORAGE_KEY = 'mcp-router.admin-token';

/** A stored admin token and when it stops working. */
interface StoredToken {
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
}

function isStoredToken(value: unknown): value is StoredToken {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return typeof record['token'] === 'string' && typeof record['expiresAt'] === 'number';
}

/**
 * The admin's session: the JWT in memory (a signal) and in `sessionStorage`, so a reload keeps the session and
 * closing the tab ends it. Also carries the one-off notice the login page shows ("your session has ended").
 */
@Injectable({ providedIn: 'root' })
export class AuthStore {
  private readonly stored = signal<StoredToken | null>(this.readStorage());
  private readonly noticeState = signal<string | null>(null);

  /** The admin JWT, or null when logged out or expired. */
  readonly token = computed(() => {
    const stored = this.stored();
    return stored && stored.expiresAt > Date.now() ? stored.token : null;
  });

  /** True while a token is held. */
  readonly isLoggedIn = computed(() => this.token() !== null);

  /** A message for the login page (why the admin was sent there), or null. */
  readonly notice = this.noticeState.asReadonly();

  /**
   * Keeps a fresh token.
   * @param expiresIn - lifetime in seconds, as the login answer gives it.
   */
  signIn(token: string, expiresIn: number): void {
    const stored: StoredToken = { token, expiresAt: Date.now() + Math.max(0, expiresIn) * 1000 };
    this.stored.set(stored);
    this.noticeState.set(null);
    this.writeStorage(stored);
  }

  /**
   * Forgets the token.
   * @param notice - why, for the login page to say (omit on a plain log out).
   */
  signOut(notice: string | null = null): void {
    this.stored.set(null);
    this.noticeState.set(notice);
    this.writeStorage(null);
  }

  /** Re-reads the expiry: drops the token once it has expired. Returns whether a token is still held. */
  checkExpiry(): boolean {
    const stored = this.stored();
    if (stored && stored.expiresAt <= Date.now()) this.signOut('Your session has expired. Please log in again.');
    return this.isLoggedIn();
  }

  private readStorage(): StoredToken | null {
    try {
      const raw = sessionStorage.getItem(STORAGE_KEY);
      if (!raw) return null;
      const parsed: unknown = JSON.parse(raw);
      return isStoredToken(parsed) && parsed.expiresAt > Date.now() ? parsed : null;
    } catch {
      // Storage disabled or a corrupt entry: start logged out, which is what the admin will see anyway.
      return null;
    }
  }

  private writeStorage(stored: StoredToken | null): void {
    try {
      if (stored) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(stored));
      else sessionStorage.removeItem(STORAGE_KEY);
    } catch {
      // Storage disabled (private mode): the token still lives in memory for this page.
      return;
    }
  }
}
