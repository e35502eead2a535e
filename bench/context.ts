import type { Database } from '../src/db/database.js';
import type { Dataset } from './dataset.js';
import type { Served } from './proc.js';

/** The fixed sizes of the bench's load; run.ts sets them and records them in latest.json. */
export interface Settings {
  seconds: number;
  warmupSeconds: number;
  pageConnections: number;
  writeRate: number;
  writers: number;
  votedPosts: number;
  signedInViewers: number;
}

/** What run.ts gives every part of the bench: the loaded dataset, the running service, the signed-in users. */
export interface BenchContext {
  settings: Settings;
  db: Database;
  dataset: Dataset;
  /** The bench's database; the titles of its PostgreSQL backends name it. */
  databaseName: string;
  /** Session tokens of users 1 to `settings.writers`. */
  tokens: Map<number, string>;
  /** The service as it runs, its url that of /graphql. */
  service: Served;
  /** Starts another service on the same database (stopped at the end of the run if not before). */
  startService(extraEnv?: Record<string, string>): Promise<Served>;
  /** Every line the services print. */
  serviceOutput: string[];
  /** Where the services' processes write their event-loop delay (bench/loop-delay.ts). */
  loopDelayDir: string;
  log: (line: string) => void;
}
