import { beforeAll, describe, expect, it } from '@jest/globals';
import { request } from 'node:http';
import { AskQuestionDocument, ThreadEventsDocument } from '../schema/trusted-documents/graphql.js';
import { answer, ask } from './support/actions.js';
import type { TestServer } from './support/harness.js';
import { createTestDatabase, startService, startTestServer, wsClient } from './support/servers.js';
import { waitFor } from './support/wait.js';
import { watch } from './support/ws.js';
import { operationNameCapacity, otherOperation } from '../src/metrics.js';

/*
 * GET /metrics in Prometheus' text format: operations counted by name, type and outcome; sockets,
 * subscriptions and deliveries; the pools. Then METRICS_PORT, and a cluster's sum of its workers.
 */

/** One sample: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus' text format (comments skipped; label values without escaped quotes). */
function parse(text: string): Sample[] {
  return text
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      if (!match) throw new Error(`not a sample: ${line}`);
      const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
      return { name: match[1], labels, value: Number(match[3]) };
    });
}

/** The sum of `name`'s samples whose labels include `labels`. */
function valueOf(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((sample) => sample.name === name)
    .filter((sample) => Object.entries(labels).every(([key, value]) => sample.labels[key] === value))
    .reduce((sum, sample) => sum + sample.value, 0);
}

/** GETs `url` on a connection of its own (so that a cluster may hand it to either worker). */
function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((done, fail) => {
    const call = request(url, { agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        done({
          status: response.statusCode ?? 0,
          type: String(response.headers['content-type']),
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    call.on('error', fail);
    call.end();
  });
}

async function scrape(url: string): Promise<Sample[]> {
  const response = await get(url);
  expect(response.status).toBe(200);
  expect(response.type).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(response.body);
}

/** POSTs `query` to `graphqlUrl` on a connection of its own. */
function postOnce(graphqlUrl: string, query: string): Promise<number> {
  const body = JSON.stringify({ query });
  return new Promise((done, fail) => {
    const call = request(
      graphqlUrl,
      {
        method: 'POST',
        agent: false,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        response.resume();
        response.on('end', () => done(response.statusCode ?? 0));
      },
    );
    call.on('error', fail);
    call.end(body);
  });
}

describe('GET /metrics on the service port', () => {
  let server: TestServer;
  const metricsOf = () => scrape(`${server.url}/metrics`);
  beforeAll(async () => {
    server = await startTestServer();
  });

  it('should carry the default process metrics and both pools', async () => {
    const samples = await metricsOf();
    expect(valueOf(samples, 'process_cpu_user_seconds_total')).toBeGreaterThan(0);
    expect(valueOf(samples, 'nodejs_heap_size_used_bytes')).toBeGreaterThan(0);
    for (const pool of ['typeorm', 'prepared']) {
      expect(valueOf(samples, 'db_pool_max_connections', { pool })).toBe(10);
      expect(samples.some((s) => s.name === 'db_pool_connections_in_use' && s.labels.pool === pool)).toBe(true);
      expect(samples.some((s) => s.name === 'db_pool_waiting_requests' && s.labels.pool === pool)).toBe(true);
    }
  });

  it('should count queries, mutations and errors by name, type and outcome, and time them', async () => {
    const user = await server.signUp();
    const before = await metricsOf();
    const count = (samples: Sample[], labels: Record<string, string>) =>
      valueOf(samples, 'graphql_operations_total', labels) - valueOf(before, 'graphql_operations_total', labels);
    await server.post({ query: 'query Ping { __typename }' });
    await server.post({ query: 'query Ping { __typename }' });
    await ask(server, user);
    // Refused: UNAUTHENTICATED, a resolved mutation with an error.
    expect(
      (await server.gql(AskQuestionDocument, { input: { title: 'No one', body: 'x', tags: [] } })).errors,
    ).toBeDefined();
    // Refused before it resolves: the operation's type is not known.
    await server.post({ query: 'query Broken { noSuchField }', operationName: 'Broken' });
    const after = await metricsOf();
    expect(count(after, { operation: 'Ping', type: 'query', outcome: 'success' })).toBe(2);
    expect(count(after, { operation: 'AskQuestion', type: 'mutation', outcome: 'success' })).toBe(1);
    expect(count(after, { operation: 'AskQuestion', type: 'mutation', outcome: 'error' })).toBe(1);
    expect(count(after, { operation: 'Broken', type: 'unknown', outcome: 'error' })).toBe(1);
    const timed = (samples: Sample[]) =>
      valueOf(samples, 'graphql_operation_duration_seconds_count', { operation: 'Ping', type: 'query' });
    expect(timed(after) - timed(before)).toBe(2);
  });

  it('should count a WebSocket subscription, its deliveries, and bring the gauges down when the socket closes', async () => {
    const user = await server.signUp();
    const question = await ask(server, user);
    const before = await metricsOf();
    const client = wsClient(server.url);
    const events = watch(client, ThreadEventsDocument, { questionId: question.id, after: null });
    await waitFor(async () => valueOf(await metricsOf(), 'graphql_active_subscriptions') === 1);
    const open = await metricsOf();
    expect(valueOf(open, 'graphql_websocket_connections')).toBe(1);
    expect(
      valueOf(open, 'graphql_operations_total', {
        operation: 'ThreadEvents',
        type: 'subscription',
        outcome: 'success',
      }),
    ).toBe(1);
    await answer(server, user, question.id);
    await events.next(1);
    const delivered = valueOf(await metricsOf(), 'thread_events_delivered_total');
    expect(delivered - valueOf(before, 'thread_events_delivered_total')).toBe(1);
    await client.dispose();
    await waitFor(async () => valueOf(await metricsOf(), 'graphql_websocket_connections') === 0);
    expect(valueOf(await metricsOf(), 'graphql_active_subscriptions')).toBe(0);
  });

  it('should label at most a bounded set of operation names, counting the rest as one', async () => {
    const names = Array.from({ length: operationNameCapacity + 20 }, (_, i) => `Random${i}`);
    for (const name of names) await server.post({ query: `query ${name} { __typename }` });
    const samples = (await metricsOf()).filter((s) => s.name === 'graphql_operations_total');
    const labelled = new Set(samples.map((sample) => sample.labels.operation));
    // The names, and the anonymous and the other operations.
    expect(labelled.size).toBeLessThanOrEqual(operationNameCapacity + 2);
    expect(valueOf(samples, 'graphql_operations_total', { operation: otherOperation })).toBeGreaterThanOrEqual(20);
  });
});

describe('METRICS_PORT and WORKERS', () => {
  /** The port of the service's 'serving metrics' log line. */
  const metricsPortOf = (lines: string[]) =>
    Number(/"port":(\d+)/.exec(lines.find((line) => line.includes('serving metrics')) ?? '')?.[1]);

  it('should serve /metrics on METRICS_PORT alone', async () => {
    const database = await createTestDatabase();
    const service = await startService({ DATABASE_URL: database.url, METRICS_PORT: '0', SEED_DEMO: 'false' });
    const origin = new URL(service.url).origin;
    expect((await get(`${origin}/metrics`)).status).toBe(404);
    await postOnce(service.url, 'query Ping { __typename }');
    const samples = await scrape(`http://127.0.0.1:${metricsPortOf(service.lines)}/metrics`);
    expect(valueOf(samples, 'graphql_operations_total', { operation: 'Ping' })).toBe(1);
    expect(valueOf(samples, 'process_resident_memory_bytes')).toBeGreaterThan(0);
  }, 60_000);

  it.each([
    ['on the service port, from any worker', {}],
    ["on the primary's METRICS_PORT", { METRICS_PORT: '0' }],
  ])(
    'should sum the workers of a cluster %s',
    async (_where, env: Record<string, string>) => {
      const database = await createTestDatabase();
      const service = await startService({ DATABASE_URL: database.url, WORKERS: '2', SEED_DEMO: 'false', ...env });
      const origin = new URL(service.url).origin;
      const metricsUrl =
        env.METRICS_PORT === undefined
          ? `${origin}/metrics`
          : `http://127.0.0.1:${metricsPortOf(service.lines)}/metrics`;
      // Fresh connections, which the cluster hands to its workers in turn.
      for (let i = 0; i < 6; i++) expect(await postOnce(service.url, 'query Ping { __typename }')).toBe(200);
      for (let i = 0; i < 2; i++) {
        const samples = await scrape(metricsUrl);
        expect(valueOf(samples, 'graphql_operations_total', { operation: 'Ping' })).toBe(6);
        // Each worker's two pools of 10.
        expect(valueOf(samples, 'db_pool_max_connections')).toBe(40);
      }
      expect(await service.stop()).toBe(0);
    },
    60_000,
  );
});
