import net from 'node:net';

/** A TCP proxy in front of a server whose connections the test cuts, like a lost network. */
export interface Proxy {
  /** `http://127.0.0.1:port` of the proxy. */
  url: string;
  port: number;
  /** Destroys every connection, and each new one until `up()`. */
  down(): void;
  up(): void;
  close(): Promise<void>;
}

/** Starts a {@link Proxy} on 127.0.0.1 to `target`'s host and port (any scheme: http, redis, …). */
export async function startProxy(target: URL): Promise<Proxy> {
  const sockets = new Set<net.Socket>();
  let isDown = false;
  const server = net.createServer((client) => {
    if (isDown) return void client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const [from, to] of [
      [client, upstream],
      [upstream, client],
    ]) {
      sockets.add(from);
      from.pipe(to);
      from.on('error', () => to.destroy());
      from.on('close', () => (sockets.delete(from), to.destroy()));
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    down: () => {
      isDown = true;
      for (const socket of sockets) socket.destroy();
    },
    up: () => {
      isDown = false;
    },
    close: () => new Promise((closed) => server.close(() => closed())),
  };
}
