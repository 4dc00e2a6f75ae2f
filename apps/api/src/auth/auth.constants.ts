/** Issuer claim of admin JWTs. */
export const JWT_ISSUER = 'mcp-router';
/** Audience claim of admin JWTs. */
export const JWT_AUDIENCE = 'mcp-router-admin';
/** Lifetime of an admin JWT, in seconds (12 h). */
export const JWT_TTL_SECONDS = 12 * 3600;
/** Injection token of the admin passcode state. */
export const PASSCODE_STATE = Symbol('PASSCODE_STATE');
