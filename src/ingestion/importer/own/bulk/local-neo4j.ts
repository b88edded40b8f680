import { spawn } from 'node:child_process';
import { fromRoot } from '../../../../common/repo-root';

/** Stops, starts and runs neo4j-admin on the Neo4j server a bulk load replaces the database of. */
export interface Neo4jServerControl {
  /** where it is, for messages */
  readonly describe: string;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** neo4j-admin with these arguments, the server stopped */
  admin(args: string[]): Promise<void>;
}

/**
 * The local instance of scripts/services.sh (NEO4J_HOME_DIR/run-<boltport>): stopped and started with that
 * script, neo4j-admin run by scripts/neo4j-admin.sh with the instance's home and conf. The Bolt port is
 * NEO4J_URI's; the script gets this process's environment (NEO4J_HTTP_PORT, NEO4J_PASSWORD, NEO4J_HEAP ...
 * as when the instance was started).
 */
export class LocalNeo4j implements Neo4jServerControl {
  readonly describe: string;
  private readonly env: NodeJS.ProcessEnv;

  constructor(uri: string, env: NodeJS.ProcessEnv = process.env) {
    const m = /^(?:bolt|neo4j):\/\/(127\.0\.0\.1|localhost)(?::(\d+))?\/?$/.exec(uri);
    if (!m)
      throw new BulkServerError(
        `--bulk replaces the database of a Neo4j this machine runs with scripts/services.sh; NEO4J_URI ${uri} is not bolt://127.0.0.1:<port> (with Docker: docs/importing.md, "Bulk first load")`,
      );
    const port = m[2] ?? '7687';
    if (env.NEO4J_BOLT_PORT && env.NEO4J_BOLT_PORT !== port)
      throw new BulkServerError(`NEO4J_BOLT_PORT=${env.NEO4J_BOLT_PORT} but NEO4J_URI names port ${port}`);
    this.env = { ...env, NEO4J_BOLT_PORT: port };
    this.describe = `the local Neo4j on bolt port ${port} (scripts/services.sh)`;
  }

  stop(): Promise<void> {
    return this.script('services.sh', ['stop', 'neo4j']);
  }

  start(): Promise<void> {
    return this.script('services.sh', ['start', 'neo4j']);
  }

  admin(args: string[]): Promise<void> {
    return this.script('neo4j-admin.sh', args);
  }

  /** Runs a repo script; its output goes to stderr (the progress of neo4j-admin included). */
  private script(name: string, args: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
      const child = spawn('bash', [fromRoot(`scripts/${name}`), ...args], { env: this.env, stdio: ['ignore', 2, 2] });
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        code === 0
          ? resolve()
          : reject(new BulkServerError(`scripts/${name} ${args.slice(0, 3).join(' ')} failed (${signal ?? `exit ${code}`})`)),
      );
    });
  }
}

export class BulkServerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BulkServerError';
  }
}
