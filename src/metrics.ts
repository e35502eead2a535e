import cluster from 'node:cluster';
import { AggregatorRegistry, Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Database, PoolCounts } from './db/database.js';

/** What an operation was, as far as the server got with it. */
export type OperationType = 'query' | 'mutation' | 'subscription' | 'unknown';

/** The operation label of operations without a name. */
export const anonymousOperation = '(anonymous)';
/** The operation label of named operations past {@link operationNameCapacity}. */
export const otherOperation = '(other)';
/**
 * Distinct operation names labelled as themselves; later ones count as {@link otherOperation}, so that
 * a client sending random names cannot grow the series without bound.
 */
export const operationNameCapacity = 200;

/** The service's Prometheus metrics (`GET /metrics`), in one registry of its own. */
export interface Metrics {
  readonly registry: Registry;
  /** Counts an operation; a query's or mutation's `seconds` go to the duration histogram. */
  operation(name: string | null | undefined, type: OperationType, outcome: 'success' | 'error', seconds?: number): void;
  /** A thread page answered by its one compiled statement, without graphql-js (src/http/compiled-pages.ts). */
  readonly compiledPages: Counter;
  /** A WebSocket opened (+1) or closed (-1). */
  readonly websockets: Gauge;
  /** A subscription began (+1) or ended (-1), over WebSocket or Server-Sent Events. */
  readonly subscriptions: Gauge;
  /** One pushed thread event written to one subscriber: a plain increment, added to the counter at each scrape. */
  delivered(): void;
  /** The registry's text, or with workers the whole cluster's (see {@link clusterMetrics}). */
  text(): Promise<string>;
}

/**
 * Creates the metrics of one served app: the process's defaults, the operations, the sockets, the
 * deliveries and, when given, `db`'s two pools (read when scraped, not counted as they change).
 * In a cluster worker, `text()` asks the primary for the sum of every worker (see {@link serveClusterMetrics}).
 */
export function createMetrics(db?: Database): Metrics {
  const registry = new Registry();
  const operations = new Counter({
    name: 'graphql_operations_total',
    help: 'GraphQL operations answered, by operation name, type and outcome (error: any error in the result)',
    labelNames: ['operation', 'type', 'outcome'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'graphql_operation_duration_seconds',
    help: 'Time from receiving a query or mutation to sending its response',
    labelNames: ['operation', 'type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  // Deliveries run once per watcher per event (thousands a burst): counted here, handed over when scraped.
  let deliveries = 0;
  new Counter({
    name: 'thread_events_delivered_total',
    help: 'Pushed thread events written to subscribers (one per subscriber per event)',
    registers: [registry],
    collect() {
      this.inc(deliveries);
      deliveries = 0;
    },
  });
  const names = new Set<string>();
  const labelOf = (name: string | null | undefined) => {
    if (!name) return anonymousOperation;
    if (names.has(name)) return name;
    if (names.size >= operationNameCapacity) return otherOperation;
    names.add(name);
    return name;
  };
  if (db) poolGauges(db, registry);
  const registries = [processMetrics(), registry];
  if (cluster.isWorker) {
    AggregatorRegistry.setRegistries(registries);
    // Constructing one installs the listener that answers the primary's requests for these registries.
    new AggregatorRegistry();
  }
  return {
    registry,
    operation: (name, type, outcome, seconds) => {
      const operation = labelOf(name);
      operations.inc({ operation, type, outcome });
      if (seconds !== undefined) duration.observe({ operation, type }, seconds);
    },
    compiledPages: new Counter({
      name: 'thread_pages_compiled_total',
      help: 'Thread pages answered from one compiled SQL statement instead of graphql-js (included in graphql_operations_total)',
      registers: [registry],
    }),
    websockets: new Gauge({
      name: 'graphql_websocket_connections',
      help: 'Open WebSocket connections',
      registers: [registry],
    }),
    subscriptions: new Gauge({
      name: 'graphql_active_subscriptions',
      help: 'Subscriptions running, over WebSocket and Server-Sent Events',
      registers: [registry],
    }),
    delivered: () => {
      deliveries += 1;
    },
    text: () => (cluster.isWorker ? askPrimary() : Registry.merge(registries).metrics()),
  };
}

let processRegistry: Registry | undefined;

/** prom-client's default metrics (CPU, memory, event loop, GC), collected once per process however many apps it serves. */
function processMetrics(): Registry {
  if (processRegistry === undefined) collectDefaultMetrics({ register: (processRegistry = new Registry()) });
  return processRegistry;
}

/** Connections of `db`'s pools in use and idle, and callers waiting for one, read at each scrape. */
function poolGauges(db: Database, registry: Registry): void {
  const gauge = (name: string, help: string, read: (counts: PoolCounts) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['pool'] as const,
      registers: [registry],
      collect() {
        for (const [pool, counts] of Object.entries(db.poolCounts())) this.set({ pool }, read(counts));
      },
    });
  gauge(
    'db_pool_connections_in_use',
    'Connections of the pool running a statement or transaction',
    (counts) => counts.total - counts.idle,
  );
  gauge('db_pool_connections_idle', 'Open connections of the pool waiting for work', (counts) => counts.idle);
  gauge('db_pool_waiting_requests', 'Callers waiting for a connection of the pool', (counts) => counts.waiting);
  gauge('db_pool_max_connections', 'Most connections the pool opens', (counts) => counts.max);
}

const metricsRequest = 'thread-api:metrics';
const metricsResponse = 'thread-api:metrics-text';
interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  error?: string;
}
const pending = new Map<number, { resolve(text: string): void; reject(error: Error): void }>();
let lastId = 0;

/** How long a worker waits for the primary's aggregate; prom-client's own wait for the workers is 5 s. */
const askTimeoutMs = 6000;

/** In a worker: the cluster's aggregate, from the primary (see {@link serveClusterMetrics}). */
function askPrimary(): Promise<string> {
  const id = ++lastId;
  if (pending.size === 0) process.on('message', answered);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => answered({ type: metricsResponse, id, error: 'the primary did not answer' }),
      askTimeoutMs,
    );
    pending.set(id, {
      resolve: (text) => (clearTimeout(timer), resolve(text)),
      reject: (error) => (clearTimeout(timer), reject(error)),
    });
    process.send?.({ type: metricsRequest, id });
  });
}

function answered(message: MetricsMessage): void {
  if (message?.type !== metricsResponse || !pending.has(message.id)) return;
  const request = pending.get(message.id);
  pending.delete(message.id);
  if (pending.size === 0) process.off('message', answered);
  if (message.error !== undefined) request?.reject(new Error(message.error));
  else request?.resolve(message.text ?? '');
}

/**
 * In a cluster's primary, before forking: answers the workers' `text()` with every worker's metrics
 * summed by prom-client's AggregatorRegistry (gauges and counters added; process-wide ones per their
 * aggregator). Returns the aggregate's reader, for a METRICS_PORT the primary serves itself.
 */
export function serveClusterMetrics(): () => Promise<string> {
  const aggregator = new AggregatorRegistry();
  const read = () => aggregator.clusterMetrics();
  cluster.on('message', (worker, message: MetricsMessage) => {
    if (message?.type !== metricsRequest) return;
    read().then(
      (text) => worker.send({ type: metricsResponse, id: message.id, text }),
      (error: Error) => worker.send({ type: metricsResponse, id: message.id, error: error.message }),
    );
  });
  return read;
}
