import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Registry } from 'prom-client';

/** Answers with `read()`'s text in Prometheus' format (500 and the reason if it fails: a worker not answering). */
export function answerMetrics(read: () => Promise<string>): (req: IncomingMessage, res: ServerResponse) => void {
  return (_req, res) => {
    read().then(
      (text) => {
        res.writeHead(200, { 'content-type': Registry.PROMETHEUS_CONTENT_TYPE });
        res.end(text);
      },
      (error: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
        res.end(`metrics unavailable: ${error.message}\n`);
      },
    );
  };
}

/**
 * Serves `GET /metrics` alone on a port of its own (`METRICS_PORT`), which can stay closed to the
 * public while the service's port is open; every other path is 404. Resolves once it listens.
 */
export async function listenForMetrics(
  port: number,
  host: string,
  read: () => Promise<string>,
): Promise<{ port: number; close(): Promise<void> }> {
  const answer = answerMetrics(read);
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/metrics') return answer(req, res);
    res.writeHead(404).end();
  });
  await new Promise<void>((listening, failed) => {
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      listening();
    });
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : port,
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
