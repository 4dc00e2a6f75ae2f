import { buildArgsFor, buildContextFor, type BuildSettings, imageTagFor } from './build-plan';
import { RUNTIME_LABELS } from './container-options';
import type { DockerRepository } from './docker.repository';
import type { ServerSpec } from './server-spec';

/** What {@link ImageBuilder.ensureImage} did. */
export interface EnsuredImage {
  /** The image the server's containers run. */
  imageTag: string;
  /** `reused`: it was there already; `built`: built now; `pulled`: pulled now (docker runtime). */
  action: 'reused' | 'built' | 'pulled';
}

/** Options of one {@link ImageBuilder.ensureImage}. */
export interface EnsureImageOptions {
  /** Receives build or pull output, a line at a time. */
  onProgress?: (line: string) => void;
  /** Aborts the build or pull. */
  signal?: AbortSignal;
  /** Build even when an image with the plan's tag exists (e.g. to take a newer release of an unpinned package). */
  force?: boolean;
}

/**
 * Makes sure the image a server needs is present: builds npx/uvx images from the runtime templates (skipped when
 * the plan's tag exists: same plan, same image), pulls a docker server's image when absent, and does nothing for a
 * remote server.
 */
export class ImageBuilder {
  constructor(
    private readonly docker: DockerRepository,
    private readonly settings: BuildSettings = {},
  ) {}

  /**
   * @returns the image and what was done; `null` for a remote server.
   * @throws {InvalidServerSpecError} for a package, executable or image that fails its pattern;
   *   {@link ImageBuildError} / {@link ImagePullError} when the build or pull fails.
   */
  async ensureImage(spec: ServerSpec, options: EnsureImageOptions = {}): Promise<EnsuredImage | null> {
    if (spec.runtime === 'remote') return null;
    const imageTag = imageTagFor(spec);
    const context = buildContextFor(spec);
    if (!options.force && (await this.docker.imageExists(imageTag))) return { imageTag, action: 'reused' };
    if (!context) {
      await this.docker.pullImage(imageTag, { onProgress: options.onProgress, signal: options.signal });
      return { imageTag, action: 'pulled' };
    }
    await this.docker.buildImage(context, {
      tag: imageTag,
      network: this.settings.network,
      buildArgs: buildArgsFor(spec, this.settings),
      labels: { [RUNTIME_LABELS.managed]: 'true', [RUNTIME_LABELS.server]: spec.id },
      onProgress: options.onProgress,
      signal: options.signal,
    });
    return { imageTag, action: 'built' };
  }
}
