import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { type ConnectInfo, buildConnectInfo } from './client-configs';

/** The router's endpoints and client configurations, for its configured `PUBLIC_URL`. */
@Injectable()
export class ConnectService {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  /** Endpoints and ready-to-paste configurations; the key is a placeholder, never a real key. */
  get(): ConnectInfo {
    return buildConnectInfo(this.config.publicUrl);
  }
}
