import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An MCP API key: only its SHA-256 hash is kept; the key itself is shown once, at creation. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn({ type: 'varchar', length: 36 })
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Hex SHA-256 of the whole key. */
  @Column({ type: 'varchar', length: 64, unique: true })
  hash!: string;

  /** The first characters of the key, to tell keys apart in a list. */
  @Column({ type: 'varchar', length: 16 })
  prefix!: string;

  @CreateDateColumn()
  createdAt!: Date;

  @Column({ type: Date, nullable: true })
  lastUsedAt!: Date | null;

  @Column({ type: Date, nullable: true })
  revokedAt!: Date | null;
}
