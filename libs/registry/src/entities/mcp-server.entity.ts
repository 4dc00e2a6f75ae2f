import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { ContainerLimits } from '@mcp-router/config';
import type {
  InstallStatus,
  Isolation,
  NetworkMode,
  Runtime,
  StoredEnvVar,
  ToolCatalog,
  Transport,
} from '../registry.types';

/** An MCP server the router fronts: how to install and run it, its env definitions, and its install state. */
@Entity('mcp_servers')
export class McpServerEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  /** Slug, unique: it prefixes the server's tool names. */
  @Column({ type: 'varchar', length: 32, unique: true })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  displayName!: string;

  @Column({ type: 'text', default: '' })
  description!: string;

  @Column({ type: 'varchar', length: 500, nullable: true })
  sourceUrl!: string | null;

  @Column({ type: 'varchar', length: 16 })
  runtime!: Runtime;

  @Column({ type: 'varchar', length: 300, nullable: true })
  package!: string | null;

  @Column({ type: 'varchar', length: 300, nullable: true })
  image!: string | null;

  @Column({ type: 'varchar', length: 2000, nullable: true })
  url!: string | null;

  @Column({ type: 'int', nullable: true })
  port!: number | null;

  @Column({ type: 'simple-json' })
  args!: string[];

  @Column({ type: 'varchar', length: 20 })
  transport!: Transport;

  @Column({ type: 'simple-json' })
  env!: StoredEnvVar[];

  @Column({ type: 'varchar', length: 10, default: 'session' })
  isolation!: Isolation;

  @Column({ type: 'varchar', length: 10, default: 'none' })
  network!: NetworkMode;

  @Column({ type: 'simple-json' })
  limits!: ContainerLimits;

  @Column({ type: 'int', default: 0 })
  warmPool!: number;

  @Column({ type: Boolean, default: true })
  enabled!: boolean;

  @Column({ type: 'varchar', length: 10, default: 'none' })
  installStatus!: InstallStatus;

  @Column({ type: 'varchar', length: 300, nullable: true })
  imageTag!: string | null;

  @Column({ type: Date, nullable: true })
  builtAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  installError!: string | null;

  @Column({ type: 'simple-json', nullable: true })
  catalog!: ToolCatalog | null;

  @CreateDateColumn()
  createdAt!: Date;

  @UpdateDateColumn()
  updatedAt!: Date;
}
