import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Duplex, Readable } from 'node:stream';
import Docker from 'dockerode';
import type { ContainerCreateOptions, ContainerInspectInfo, ImageInspectInfo } from 'dockerode';
import { z } from 'zod';
import type { BuildContext } from './build-plan';
import { dockerConnectionOptions } from './docker-host';
import { LineSplitter } from './line-splitter';
import {
  type ContainerExit,
  ContainerStartError,
  DockerUnavailableError,
  ImageBuildError,
  ImageNotFoundError,
  ImagePullError,
} from './runtime.errors';

/** How to reach the engine. */
export interface DockerRepositoryOptions {
  /** `DOCKER_HOST` syntax: `unix:///var/run/docker.sock` or `tcp://host:port`; default the local socket. */
  dockerHost?: string;
}

/** Options of one image build. */
export interface BuildImageOptions {
  /** The tag to give the image (`mcp-router/srv-<name>:<hash>`). */
  tag: string;
  /** The network the build's `RUN` steps use (`host` where the engine has no NAT); engine default when unset. */
  network?: string;
  /** Build arguments (`ARG`s of the Dockerfile). */
  buildArgs?: Record<string, string>;
  /** Labels of the image. */
  labels?: Record<string, string>;
  /** Receives each line of build output as it comes. */
  onProgress?: (line: string) => void;
  /** Aborts the build. */
  signal?: AbortSignal;
}

/** Options of one image pull. */
export interface PullImageOptions {
  /** Receives one line per pull status update (`<layer>: Downloading`). */
  onProgress?: (line: string) => void;
  /** Aborts the pull. */
  signal?: AbortSignal;
}

/** A container as the engine lists it. */
export interface ContainerSummary {
  id: string;
  /** Its name without the leading `/`. */
  name: string;
  image: string;
  /** `created`, `running`, `exited`, … */
  state: string;
  labels: Record<string, string>;
  /** Creation time, seconds since the epoch. */
  created: number;
}

/** An image as the engine lists it. */
export interface ImageSummary {
  id: string;
  tags: string[];
  labels: Record<string, string>;
  /** Creation time, seconds since the epoch. */
  created: number;
  /** Size in bytes. */
  size: number;
}

const progressEventSchema = z.looseObject({
  stream: z.string().optional(),
  status: z.string().optional(),
  id: z.string().optional(),
  progress: z.string().optional(),
  error: z.string().optional(),
  errorDetail: z.looseObject({ message: z.string().optional() }).optional(),
});
type ProgressEvent = z.infer<typeof progressEventSchema>;

const waitResultSchema = z.looseObject({ StatusCode: z.number() });

const OUTPUT_TAIL_LINES = 20;
// eslint-disable-next-line no-control-regex -- matching the escape character is the point.
const ANSI_ESCAPE = /\u001b\[[0-9;]*[A-Za-z]/g;

/**
 * The only code that talks to the Docker engine (through dockerode): images, builds, pulls and containers. Every
 * method either does what it says or throws one of the runtime's typed errors (or the engine's error for a plain
 * engine failure); removals are idempotent.
 */
export class DockerRepository {
  private readonly docker: Docker;
  /** The engine address, for messages. */
  readonly address: string;

  constructor(options: DockerRepositoryOptions = {}) {
    this.docker = new Docker(dockerConnectionOptions(options.dockerHost));
    this.address = options.dockerHost ?? 'unix:///var/run/docker.sock';
  }

  /**
   * Checks that the engine answers.
   * @throws {DockerUnavailableError} naming the address when it does not.
   */
  async ping(): Promise<void> {
    try {
      await this.docker.ping();
    } catch (error) {
      throw new DockerUnavailableError(`the Docker engine at ${this.address} does not answer: ${engineMessage(error)}`);
    }
  }

  /** Whether an image with this reference (tag or id) is present locally. */
  async imageExists(ref: string): Promise<boolean> {
    return (await this.inspectImage(ref)) !== null;
  }

  /** The engine's description of a local image; `null` when it is absent. */
  async inspectImage(ref: string): Promise<ImageInspectInfo | null> {
    try {
      return await this.docker.getImage(ref).inspect();
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Removes a local image; no-op when it is absent. `force` also removes it when stopped containers use it. */
  async removeImage(ref: string, options: { force?: boolean } = {}): Promise<void> {
    try {
      await this.docker.getImage(ref).remove({ force: options.force ?? false });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
  }

  /** Local images that carry every one of `labels`. */
  async listImages(labels: Record<string, string>): Promise<ImageSummary[]> {
    const images = await this.docker.listImages({ filters: { label: labelFilters(labels) } });
    return images.map((image) => ({
      id: image.Id,
      tags: (image.RepoTags ?? []).filter((tag) => tag !== '<none>:<none>'),
      labels: { ...image.Labels },
      created: image.Created,
      size: image.Size,
    }));
  }

  /**
   * Builds an image from an in-memory context (written to a temporary folder, removed afterwards), streaming the
   * build output to `onProgress`.
   * @throws {ImageBuildError} with the build's own error and the last lines of its output when it fails.
   */
  async buildImage(context: BuildContext, options: BuildImageOptions): Promise<void> {
    const dir = await mkdtemp(join(tmpdir(), 'mcp-router-build-'));
    const tail: string[] = [];
    const onLine = (raw: string): void => {
      // The engine colours a step's stderr with ANSI escapes: keep the text only.
      const line = raw.replace(ANSI_ESCAPE, '');
      if (line.trim() === '') return;
      tail.push(line);
      if (tail.length > OUTPUT_TAIL_LINES) tail.shift();
      options.onProgress?.(line);
    };
    try {
      const names = Object.keys(context.files);
      await writeFile(join(dir, 'Dockerfile'), context.dockerfile);
      for (const name of names) {
        if (basename(name) !== name || name === 'Dockerfile') throw new Error(`bad build context file name ${name}`);
        await writeFile(join(dir, name), context.files[name] ?? '');
      }
      let error: string | undefined;
      try {
        const stream = await this.docker.buildImage(
          { context: dir, src: ['Dockerfile', ...names] },
          {
            t: options.tag,
            networkmode: options.network,
            buildargs: options.buildArgs,
            labels: options.labels,
            rm: true,
            forcerm: true,
            abortSignal: options.signal,
          },
        );
        error = await followProgress(stream, (event) => {
          for (const line of (event.stream ?? '').split('\n')) onLine(line);
        });
      } catch (cause) {
        error = engineMessage(cause);
      }
      if (error !== undefined) {
        const reasons = tail.filter((line) => line.startsWith('mcp-router:'));
        const detail = (reasons.length > 0 ? reasons : tail.slice(-5)).join('\n');
        throw new ImageBuildError(`building image ${options.tag} failed: ${error.trim()}\n${detail}`.trim(), [...tail]);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /**
   * Pulls an image from its registry.
   * @throws {ImagePullError} naming the image and the engine's reason when it cannot.
   */
  async pullImage(ref: string, options: PullImageOptions = {}): Promise<void> {
    let error: string | undefined;
    try {
      const stream = await this.docker.pull(ref, { abortSignal: options.signal });
      error = await followProgress(stream, (event) => {
        if (event.status !== undefined) {
          options.onProgress?.([event.id, event.status, event.progress].filter(Boolean).join(' '));
        }
      });
    } catch (cause) {
      error = engineMessage(cause);
    }
    if (error !== undefined) throw new ImagePullError(`cannot pull image ${ref}: ${error.trim()}`);
  }

  /**
   * Creates a container; returns its id.
   * @throws {ImageNotFoundError} when its image is absent; {@link ContainerStartError} for another refusal (the
   *   message never carries an env value).
   */
  async createContainer(options: ContainerCreateOptions): Promise<string> {
    try {
      const container = await this.docker.createContainer(options);
      return container.id;
    } catch (error) {
      const message = redact(engineMessage(error), options.Env ?? []);
      if (statusOf(error) === 404) {
        throw new ImageNotFoundError(`image ${options.Image ?? '?'} is not installed: ${message}`);
      }
      throw new ContainerStartError(`creating a container from ${options.Image ?? '?'} failed: ${message}`);
    }
  }

  /**
   * Starts a created container.
   * @throws {ContainerStartError} with the engine's reason.
   */
  async startContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).start();
    } catch (error) {
      if (statusOf(error) === 304) return;
      throw new ContainerStartError(`starting container ${id.slice(0, 12)} failed: ${engineMessage(error)}`);
    }
  }

  /**
   * Attaches to a container's stdin, stdout and stderr (hijacked connection, multiplexed output since the container
   * has no TTY). Attach before starting it, so that no early output is lost.
   * @throws {ContainerStartError} when the engine refuses.
   */
  async attachContainer(id: string): Promise<Duplex> {
    let stream: unknown;
    try {
      stream = await this.docker
        .getContainer(id)
        .attach({ stream: true, stdin: true, stdout: true, stderr: true, hijack: true });
    } catch (error) {
      throw new ContainerStartError(`attaching to container ${id.slice(0, 12)} failed: ${engineMessage(error)}`);
    }
    if (!(stream instanceof Duplex)) throw new ContainerStartError('the engine answered attach with a one-way stream');
    return stream;
  }

  /**
   * Waits until the container is not running (at most `timeoutMs`), then reports how it ended. A container that is
   * gone, or still running after the wait, gives `exitCode: null`.
   */
  async waitForExit(id: string, timeoutMs = 5000): Promise<ContainerExit> {
    try {
      const result = waitResultSchema.parse(
        await this.docker
          .getContainer(id)
          .wait({ condition: 'not-running', abortSignal: AbortSignal.timeout(timeoutMs) }),
      );
      let info = await this.inspectContainer(id);
      // The OOM event and the exit event reach the engine separately: look once more before calling a 137 a kill.
      if (result.StatusCode === 137 && info && !info.State.OOMKilled) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        info = await this.inspectContainer(id);
      }
      return { exitCode: result.StatusCode, oomKilled: info?.State.OOMKilled ?? false };
    } catch (error) {
      if (statusOf(error) === 404 || isAbort(error)) return { exitCode: null, oomKilled: false };
      throw error;
    }
  }

  /** The engine's description of a container; `null` when it does not exist. */
  async inspectContainer(id: string): Promise<ContainerInspectInfo | null> {
    try {
      return await this.docker.getContainer(id).inspect();
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Sends a signal to a container's main process (default SIGKILL); no-op when it is not running or gone. */
  async killContainer(id: string, signal = 'SIGKILL'): Promise<void> {
    try {
      await this.docker.getContainer(id).kill({ signal });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 404 && status !== 409) throw error;
    }
  }

  /**
   * Stops a container gracefully: SIGTERM, then SIGKILL after `timeoutSeconds` (default 10). No-op when it is not
   * running or gone.
   */
  async stopContainer(id: string, timeoutSeconds = 10): Promise<void> {
    try {
      await this.docker.getContainer(id).stop({ t: timeoutSeconds });
    } catch (error) {
      const status = statusOf(error);
      if (status !== 304 && status !== 404 && status !== 409) throw error;
    }
  }

  /** Removes a container (forcibly, with its anonymous volumes); no-op when it is gone or already being removed. */
  async removeContainer(id: string): Promise<void> {
    try {
      await this.docker.getContainer(id).remove({ force: true, v: true });
    } catch (error) {
      const status = statusOf(error);
      if (status === 404) return;
      if (status === 409 && /already in progress|is not running|marked for removal/i.test(engineMessage(error))) return;
      throw error;
    }
  }

  /** {@link stopContainer} then {@link removeContainer}: idempotent teardown. */
  async stopAndRemoveContainer(id: string, timeoutSeconds = 10): Promise<void> {
    await this.stopContainer(id, timeoutSeconds);
    await this.removeContainer(id);
  }

  /** Containers (running or not) that carry every one of `labels`. */
  async listContainers(labels: Record<string, string>): Promise<ContainerSummary[]> {
    const containers = await this.docker.listContainers({ all: true, filters: { label: labelFilters(labels) } });
    return containers.map((container) => ({
      id: container.Id,
      name: (container.Names[0] ?? '').replace(/^\//, ''),
      image: container.Image,
      state: container.State,
      labels: { ...container.Labels },
      created: container.Created,
    }));
  }
}

/** Reads a stream of JSON progress events (build or pull) to its end; resolves with the error it reported, if any. */
function followProgress(
  stream: NodeJS.ReadableStream,
  onEvent: (event: ProgressEvent) => void,
): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let error: string | undefined;
    const splitter = new LineSplitter((line) => {
      if (line.trim() === '') return;
      let parsed: unknown;
      try {
        parsed = JSON.parse(line);
      } catch {
        parsed = { stream: line };
      }
      const event = progressEventSchema.safeParse(parsed);
      if (!event.success) return;
      if (event.data.error !== undefined || event.data.errorDetail?.message !== undefined) {
        error ??= event.data.error ?? event.data.errorDetail?.message;
      }
      onEvent(event.data);
    });
    if (!(stream instanceof Readable)) {
      reject(new Error('the engine answered with something that is not a stream'));
      return;
    }
    const readable = stream;
    readable.on('data', (chunk: Buffer | string) => {
      splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    });
    readable.once('end', () => {
      splitter.flush();
      resolve(error);
    });
    readable.once('error', reject);
  });
}

function labelFilters(labels: Record<string, string>): string[] {
  return Object.entries(labels).map(([key, value]) => `${key}=${value}`);
}

/** The HTTP status of an engine error from docker-modem, if any. */
function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'statusCode' in error && typeof error.statusCode === 'number') {
    return error.statusCode;
  }
  return undefined;
}

/** Whether an error is an abort (by signal or timeout); checked by name, since Node's errors come from another realm under Jest. */
function isAbort(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'name' in error &&
    (error.name === 'AbortError' || error.name === 'TimeoutError')
  );
}

/** The engine's own message for an error (its JSON `message`), else the error's message. */
function engineMessage(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'json' in error) {
    const json = error.json;
    if (typeof json === 'object' && json !== null && 'message' in json && typeof json.message === 'string') {
      return json.message;
    }
  }
  const message =
    typeof error === 'object' && error !== null && 'message' in error && typeof error.message === 'string'
      ? error.message
      : String(error);
  // docker-modem prefixes the engine's text with its own summary: "(HTTP code 500) server error - ".
  return message.replace(/^\(HTTP code \d+\) [^-]*- /, '').trim();
}

/** Removes every env value of `env` (`KEY=value` strings) from `text`, in case the engine quoted one. */
function redact(text: string, env: string[]): string {
  let result = text;
  for (const entry of env) {
    const value = entry.slice(entry.indexOf('=') + 1);
    if (value.length >= 4) result = result.split(value).join('[redacted]');
  }
  return result;
}
