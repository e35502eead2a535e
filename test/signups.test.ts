import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { randomBytes } from 'node:crypto';
import { SignUpDocument } from '../schema/trusted-documents/graphql.js';
import type { TestServer } from './support/harness.js';
import { redisAnswers, redisUrl } from './support/redis.js';
import { leave, startTestServer } from './support/servers.js';

const redisUp = await redisAnswers();
if (!redisUp) console.warn(`Skipping the shared sign-up limit test: no Redis answers at ${redisUrl} (set REDIS_URL).`);
const withRedis = redisUp ? it : it.skip;

let counter = 0;
/** Signs a new user up through `server`'s HTTP endpoint, as a client at 127.0.0.1. */
function signUp(server: TestServer) {
  const username = `signup_${process.pid}_${++counter}`;
  return server.gql(SignUpDocument, { input: { username, displayName: username, password: 'password123' } });
}

describe('sign-ups from one address (SIGNUPS_PER_IP_PER_HOUR)', () => {
  it('should refuse sign-ups past the hour limit with RATE_LIMITED and retryAfter', async () => {
    const server = await startTestServer({ rateLimits: { signupsPerIpPerHour: 2 } });
    expect((await signUp(server)).errors).toBeUndefined();
    expect((await signUp(server)).errors).toBeUndefined();
    const refused = await signUp(server);
    expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: expect.any(Number) });
    expect(refused.errors?.[0].extensions?.retryAfter as number).toBeGreaterThan(3500);
  }, 60_000);

  withRedis(
    'should count across instances sharing a Redis',
    async () => {
      const prefix = `thread-api-test-${randomBytes(6).toString('hex')}`;
      leave(async () => {
        const redis = new Redis(redisUrl);
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length) await redis.del(...keys);
        await redis.quit();
      });
      const options = { redisUrl, rateLimits: { rateLimitPrefix: prefix, signupsPerIpPerHour: 2 } };
      const [a, b] = await Promise.all([startTestServer(options), startTestServer(options)]);
      expect((await signUp(a)).errors).toBeUndefined();
      expect((await signUp(b)).errors).toBeUndefined();
      expect((await signUp(a)).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
      expect((await signUp(b)).errors?.[0].extensions?.code).toBe('RATE_LIMITED');
    },
    60_000,
  );
});
