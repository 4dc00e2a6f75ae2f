import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { type AppConfig, loadConfig } from '@mcp-router/config';
import { type BuildContext, type BuildImageOptions, type DockerRepository, ImageBuildError } from '@mcp-router/runtime';
import { SANDBOX_IMAGE } from './sandbox-container-options';
import { SandboxImageService } from './sandbox-image.service';
import { SandboxImageError } from './sandbox.errors';

/** The two engine calls the service makes, recorded. */
class FakeEngine {
  present = false;
  builds: { context: BuildContext; options: BuildImageOptions }[] = [];
  buildError: Error | undefined;

  imageExists(ref: string): Promise<boolean> {
    return Promise.resolve(ref === SANDBOX_IMAGE && this.present);
  }

  async buildImage(context: BuildContext, options: BuildImageOptions): Promise<void> {
    this.builds.push({ context, options });
    await new Promise((resolve) => setImmediate(resolve));
    if (this.buildError) throw this.buildError;
    this.present = true;
  }
}

describe(SandboxImageService.name, () => {
  let contextDir: string;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });

  beforeEach(() => {
    contextDir = mkdtempSync(join(tmpdir(), 'sandbox-context-'));
    writeFileSync(join(contextDir, 'Dockerfile'), 'FROM debian:trixie-slim\nCOPY kernel.py /opt/sandbox/\n');
    writeFileSync(join(contextDir, 'kernel.py'), 'print("kernel")\n');
  });

  afterEach(() => {
    rmSync(contextDir, { recursive: true, force: true });
  });

  function setup(env: Record<string, string> = {}) {
    const engine = new FakeEngine();
    const config: AppConfig = loadConfig({
      SANDBOX_CONTEXT_DIR: contextDir,
      BUILD_NETWORK: 'host',
      ...env,
    }).config;
    const sut = new SandboxImageService(engine as unknown as DockerRepository, config);
    return { sut, engine };
  }

  it('does not build an image that is present', async () => {
    const { sut, engine } = setup();
    engine.present = true;

    await sut.ensureImage();

    expect(engine.builds).toEqual([]);
  });

  it('builds a missing image once from the context folder on the build network, for concurrent callers', async () => {
    const { sut, engine } = setup();

    await Promise.all([sut.ensureImage(), sut.ensureImage()]);
    await sut.ensureImage();

    expect(engine.builds).toHaveLength(1);
    expect(engine.builds[0]?.context).toEqual({
      dockerfile: 'FROM debian:trixie-slim\nCOPY kernel.py /opt/sandbox/\n',
      files: { 'kernel.py': 'print("kernel")\n' },
    });
    expect(engine.builds[0]?.options).toMatchObject({ tag: SANDBOX_IMAGE, network: 'host' });
  });

  it('fails with the build error when the image cannot be built, and tries again next time', async () => {
    const { sut, engine } = setup();
    engine.buildError = new ImageBuildError('building image mcp-router/sandbox-python failed: apt-get: 404', []);

    const failure = sut.ensureImage();

    await expect(failure).rejects.toBeInstanceOf(SandboxImageError);
    await expect(failure).rejects.toThrow(/is missing and could not be built from .*: building image .* apt-get: 404/);
    engine.buildError = undefined;
    await sut.ensureImage();
    expect(engine.builds).toHaveLength(2);
  });

  it('names SANDBOX_CONTEXT_DIR when the build context is not there', async () => {
    const { sut } = setup({ SANDBOX_CONTEXT_DIR: join(contextDir, 'missing') });

    await expect(sut.ensureImage()).rejects.toThrow(
      /cannot read the sandbox image's build context .*SANDBOX_CONTEXT_DIR/,
    );
  });
});
