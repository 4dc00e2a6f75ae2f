import { Logger } from '@nestjs/common';
import Anthropic from '@anthropic-ai/sdk';
import Bottleneck from 'bottleneck';
import { AnthropicError } from './analyzer.errors';
import { redactSecrets } from './secret-redaction';

/** Settings of {@link AnthropicRepository}. Without `apiKey` the repository is disabled. */
export interface AnthropicRepositoryOptions {
  apiKey?: string;
  /** Model id, e.g. `claude-sonnet-4-5`. */
  model: string;
  /** API base URL; the SDK's default (api.anthropic.com) when unset. */
  baseUrl?: string;
  /** SDK retries on 429, 5xx, connection errors and timeouts. Default 2. */
  maxRetries?: number;
  /** Bound on one HTTP attempt, in milliseconds. Default 120 000. */
  timeoutMs?: number;
  /** Calls in flight at once. Default 2. */
  maxConcurrent?: number;
  /** Least time between two calls starting, in milliseconds. Default 250. */
  minTimeMs?: number;
}

/** A Messages API request, without streaming. */
export type MessageRequest = Anthropic.Messages.MessageCreateParamsNonStreaming;
/** A Messages API answer. */
export type MessageAnswer = Anthropic.Messages.Message;

/**
 * The analyzer's only door to the Anthropic Messages API: the official SDK (its own retries with backoff) behind a
 * Bottleneck rate limiter. Errors are {@link AnthropicError}s whose messages never hold the API key.
 */
export class AnthropicRepository {
  private readonly logger = new Logger(AnthropicRepository.name);
  private readonly client?: Anthropic;
  private readonly limiter: Bottleneck;
  private readonly secrets: string[];
  /** The configured model. */
  readonly model: string;

  constructor(options: AnthropicRepositoryOptions) {
    this.model = options.model;
    this.secrets = options.apiKey ? [options.apiKey] : [];
    this.limiter = new Bottleneck({ maxConcurrent: options.maxConcurrent ?? 2, minTime: options.minTimeMs ?? 250 });
    if (!options.apiKey) return;
    const log = (level: 'debug' | 'log' | 'warn' | 'error') => (message: string) => {
      this.logger[level](redactSecrets(message, this.secrets));
    };
    this.client = new Anthropic({
      apiKey: options.apiKey,
      baseURL: options.baseUrl ?? null,
      maxRetries: options.maxRetries ?? 2,
      timeout: options.timeoutMs ?? 120_000,
      logLevel: 'warn',
      logger: { debug: log('debug'), info: log('log'), warn: log('warn'), error: log('error') },
      openTelemetry: false,
    });
  }

  /** True when an API key is configured. */
  get enabled(): boolean {
    return this.client !== undefined;
  }

  /**
   * Sends one Messages API request, through the rate limiter.
   * @throws {AnthropicError} when disabled, or when the API still fails after the SDK's retries.
   */
  async createMessage(request: MessageRequest): Promise<MessageAnswer> {
    const client = this.client;
    if (!client) throw new AnthropicError('No Anthropic API key is configured');
    try {
      return await this.limiter.schedule(() => client.messages.create(request));
    } catch (error) {
      const status = error instanceof Anthropic.APIError && error.status !== undefined ? ` (${error.status})` : '';
      const reason = error instanceof Error ? error.message : String(error);
      throw new AnthropicError(
        redactSecrets(`Anthropic API call failed${status}: ${reason}`.slice(0, 1000), this.secrets),
      );
    }
  }
}
