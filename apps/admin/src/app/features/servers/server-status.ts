import type { McpServer } from '../../core/api/api.models';

/** How a server's state is shown: a label and the chip style that goes with it. */
export interface ServerStatus {
  label: 'installed' | 'building' | 'failed' | 'disabled' | 'not installed';
  /** CSS modifier of the `.chip` class. */
  chip: 'installed' | 'building' | 'failed' | 'plain';
  /** Longer explanation, for a tooltip. */
  detail: string;
}

/** The status a server shows in lists: disabled wins, then its install state. */
export function serverStatus(server: Pick<McpServer, 'enabled' | 'installState'>): ServerStatus {
  if (!server.enabled) {
    return { label: 'disabled', chip: 'plain', detail: 'Disabled: clients do not see its tools.' };
  }
  switch (server.installState.status) {
    case 'installed':
      return {
        label: 'installed',
        chip: 'installed',
        detail: server.installState.imageTag ? `Image ${server.installState.imageTag}` : 'Installed',
      };
    case 'building':
      return { label: 'building', chip: 'building', detail: 'The image is being built and probed.' };
    case 'failed':
      return { label: 'failed', chip: 'failed', detail: server.installState.error ?? 'The install failed.' };
    case 'none':
      return { label: 'not installed', chip: 'plain', detail: 'Not installed yet: install it to use its tools.' };
  }
}

/** What a server runs: its package (npx, uvx), image (docker) or URL (remote); `''` when not set. */
export function runtimeTarget(server: Pick<McpServer, 'runtime' | 'package' | 'image' | 'url'>): string {
  const target = server.runtime === 'docker' ? server.image : server.runtime === 'remote' ? server.url : server.package;
  return target ?? '';
}
