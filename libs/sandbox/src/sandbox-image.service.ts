import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { runDetached } from '@mcp-router/common';
import { APP_CONFIG, type AppConfig } from '@mcp-router/config';
import { type BuildContext, DockerRepository } from '@mcp-router/runtime';
import { SANDBOX_IMAGE } from './sandbox-container-options';
import { SandboxImageError } from './sandbox.errors';

/**
 * Reads the sandbox image's build context: `Dockerfile` and the other regular files of `dir` (text files, no
 * subfolders: `kernel.py`, `check_image.py`).
 * @throws {SandboxImageError} when the folder or its Dockerfile cannot be read.
 */
export async function readSandboxBuildContext(dir: string): Promise<BuildContext> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    const files: Record<string, string> = {};
    for (const entry of entries) {
      if (!entry.isFile() || entry.name === 'Dockerfile') continue;
      files[entry.name] = await readFile(join(dir, entry.name), 'utf8');
    }
    return { dockerfile: await readFile(join(dir, 'Dockerfile'), 'utf8'), files };
  } catch (error) {
    throw new SandboxImageError(
      `cannot read the sandbox image's build context ${dir} (SANDBOX_CONTEXT_DIR): ${(error as Error).message}`,
      { cause: error },
    );
  }
}

/**
 * Makes sure the sandbox image ({@link SANDBOX_IMAGE}) exists, building it from `config.sandbox.contextDir` on
 * `config.docker.buildNetwork` when it is missing. The worker registers it to build the image at boot, in the
 * background; the api's sandbox builds it at first use through {@link SandboxImageService.ensureImage}.
 */
@Injectable()
export class SandboxImageService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SandboxImageService.name);
  private readonly shutdown = new AbortController();
  private present = false;
  private pending: Promise<void> | undefined;

  constructor(
    private readonly docker: DockerRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Starts building the image in the background when the sandbox is enabled and the image is missing. */
  onApplicationBootstrap(): void {
    if (!this.config.sandbox.enabled) return;
    runDetached(this.logger, 'Preparing the sandbox image', this.ensureImage());
  }

  /** Cancels a build in progress. */
  onApplicationShutdown(): void {
    this.shutdown.abort();
  }

  /**
   * Resolves once the image is present; builds it first when it is missing (minutes: Debian's Python stack).
   * Concurrent callers share one check or build; once the image was seen it is not checked again until
   * {@link SandboxImageService.forget}.
   * @throws {SandboxImageError} when the image is missing and cannot be built (the message carries the build's
   *   error); a later call tries again.
   */
  ensureImage(): Promise<void> {
    if (this.present) return Promise.resolve();
    this.pending ??= this.checkOrBuild().finally(() => {
      this.pending = undefined;
    });
    return this.pending;
  }

  /** Forgets that the image was seen (a container create said it is gone), so that the next ensure checks again. */
  forget(): void {
    this.present = false;
  }

  private async checkOrBuild(): Promise<void> {
    if (await this.docker.imageExists(SANDBOX_IMAGE)) {
      this.present = true;
      return;
    }
    const dir = this.config.sandbox.contextDir;
    this.logger.log({ image: SANDBOX_IMAGE, context: dir }, 'The sandbox image is missing: building it');
    const context = await readSandboxBuildContext(dir);
    const started = Date.now();
    try {
      await this.docker.buildImage(context, {
        tag: SANDBOX_IMAGE,
        network: this.config.docker.buildNetwork,
        signal: this.shutdown.signal,
        onProgress: (line) => {
          this.logger.debug({ image: SANDBOX_IMAGE }, line);
        },
      });
    } catch (error) {
      throw new SandboxImageError(
        `the sandbox image ${SANDBOX_IMAGE} is missing and could not be built from ${dir}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    this.present = true;
    this.logger.log(
      { image: SANDBOX_IMAGE, seconds: Math.round((Date.now() - started) / 1000) },
      'Sandbox image built',
    );
  }
}
