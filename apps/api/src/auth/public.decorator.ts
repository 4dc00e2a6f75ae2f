import { SetMetadata } from '@nestjs/common';

/** Metadata key set by {@link Public}. */
export const IS_PUBLIC = 'mcp-router:public';

/** Exempts a route from the global admin-JWT guard (login, health, and the MCP endpoints with their own auth). */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);
