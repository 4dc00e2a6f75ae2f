import { type DynamicModule, type InjectionToken, Module, type ModuleMetadata } from '@nestjs/common';
import { ANALYZER_OPTIONS, type AnalyzerOptions } from './analyzer.options';
import { AnalyzerService } from './analyzer.service';
import { AnthropicRepository } from './anthropic.repository';
import { GithubRepository } from './github.repository';

/** Options of {@link AnalyzerModule.registerAsync}: a factory of {@link AnalyzerOptions} and what it needs. */
export interface AnalyzerModuleAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...deps: never[]) => AnalyzerOptions | Promise<AnalyzerOptions>;
}

const repositories = [
  {
    provide: GithubRepository,
    inject: [ANALYZER_OPTIONS],
    useFactory: (options: AnalyzerOptions) =>
      new GithubRepository({
        apiUrl: options.githubApiUrl,
        ...(options.githubToken ? { token: options.githubToken } : {}),
        ...(options.rateLimitWaitMaxMs !== undefined ? { rateLimitWaitMaxMs: options.rateLimitWaitMaxMs } : {}),
      }),
  },
  {
    provide: AnthropicRepository,
    inject: [ANALYZER_OPTIONS],
    useFactory: (options: AnalyzerOptions) =>
      new AnthropicRepository({
        model: options.anthropicModel,
        ...(options.anthropicApiKey ? { apiKey: options.anthropicApiKey } : {}),
        ...(options.anthropicBaseUrl ? { baseUrl: options.anthropicBaseUrl } : {}),
      }),
  },
];

/**
 * Provides {@link AnalyzerService} (and the GitHub and Anthropic repositories it uses). Settings come in through
 * {@link AnalyzerModule.register} or {@link AnalyzerModule.registerAsync}, never from `process.env`.
 */
@Module({})
export class AnalyzerModule {
  /** The module with fixed options. */
  static register(options: AnalyzerOptions): DynamicModule {
    return {
      module: AnalyzerModule,
      providers: [{ provide: ANALYZER_OPTIONS, useValue: options }, ...repositories, AnalyzerService],
      exports: [AnalyzerService, GithubRepository, AnthropicRepository],
    };
  }

  /** The module with options built by a factory (for example from the validated `APP_CONFIG`). */
  static registerAsync(options: AnalyzerModuleAsyncOptions): DynamicModule {
    return {
      module: AnalyzerModule,
      imports: options.imports ?? [],
      providers: [
        { provide: ANALYZER_OPTIONS, inject: options.inject ?? [], useFactory: options.useFactory },
        ...repositories,
        AnalyzerService,
      ],
      exports: [AnalyzerService, GithubRepository, AnthropicRepository],
    };
  }
}
