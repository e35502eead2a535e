import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import cors from 'cors';
import express from 'express';
import { GraphQLError, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { WebSocketServer } from 'ws';
import { viewerFromAuthorization } from '../auth/viewer.js';
import { createContext, type Context } from '../context.js';
import { codeOf, maskError } from '../errors/format.js';
import { ApiError } from '../errors/index.js';
import type { Log } from '../log.js';
import type { Services } from '../services/index.js';

/** What the HTTP and WebSocket transports need. */
export interface ServerOptions {
  db: DataSource;
  services: Services;
  schema: GraphQLSchema;
  log: Log;
  /** 0 picks a free port. */
  port: number;
  host: string;
  /** Stack traces reach clients only in `development`. */
  nodeEnv: string;
}

/** A listening server. */
export interface RunningServer {
  /** http://host:port */
  url: string;
  /** Stops accepting, closes WebSockets with 1001, drains HTTP. Does not close the database. */
  close(): Promise<void>;
}

/** Adds the request id to every error, and logs those that are not the client's fault. */
function requestIdPlugin(log: Log): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ contextValue, request }) {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) {
            if (codeOf(error) === 'INTERNAL_SERVER_ERROR') {
              const cause = error.originalError ?? error;
              log.error('request failed', {
                requestId: contextValue.requestId,
                operationName: request.operationName,
                error: cause.message,
                stack: cause.stack,
              });
            }
          }
        },
        async willSendResponse({ response }) {
          if (response.body.kind !== 'single') return;
          for (const error of response.body.singleResult.errors ?? []) {
            Object.assign(error.extensions ?? {}, { requestId: contextValue.requestId });
          }
        },
      };
    },
  };
}

/** The `Authorization` value of a graphql-ws `connection_init` payload. */
function authorizationOf(params: Record<string, unknown> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

/** Starts GraphQL over HTTP and WebSocket on one port, path /graphql, plus /healthz and /readyz. */
export async function startServer(options: ServerOptions): Promise<RunningServer> {
  const { db, services, schema, log } = options;
  const app = express();
  const httpServer: Server = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: 64 * 1024 });
  const wsCleanup = useServer<Record<string, unknown>, { context?: Context }>(
    {
      schema,
      onConnect: async (ctx) => {
        try {
          const viewer = await viewerFromAuthorization(db, authorizationOf(ctx.connectionParams));
          ctx.extra.context = createContext(db, services, viewer, randomUUID());
          return true;
        } catch (error) {
          if (error instanceof ApiError) return false;
          throw error;
        }
      },
      context: (ctx) => {
        const base = ctx.extra.context as Context;
        return createContext(db, services, base.viewer, randomUUID());
      },
    },
    wsServer,
  );

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: true,
    includeStacktraceInErrorResponses: options.nodeEnv === 'development',
    formatError: maskError,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      ApolloServerPluginLandingPageDisabled(),
      requestIdPlugin(log),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    try {
      await db.query('SELECT 1');
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    }
  });
  app.use(
    '/graphql',
    cors({ exposedHeaders: ['x-request-id'] }),
    express.json({ limit: '100kb' }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const requestId = randomUUID();
        res.setHeader('x-request-id', requestId);
        try {
          const viewer = await viewerFromAuthorization(db, req.headers.authorization);
          return createContext(db, services, viewer, requestId);
        } catch (error) {
          if (!(error instanceof ApiError)) throw error;
          throw new GraphQLError(error.message, {
            extensions: { ...error.extensions, requestId, http: { status: 401 } },
          });
        }
      },
    }),
  );

  await new Promise<void>((listening) => httpServer.listen(options.port, options.host, listening));
  const { port } = httpServer.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host === '0.0.0.0' ? 'localhost' : host}:${port}`,
    close: async () => {
      for (const socket of wsServer.clients) socket.close(1001, 'Server shutting down');
      wsServer.close();
      await apollo.stop();
    },
  };
}
