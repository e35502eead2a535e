import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../src/db/embedded.js';

/** nginx in front of some local ports, as a child process of the test. */
export interface Nginx {
  /** http://127.0.0.1:port */
  url: string;
  /** Stops nginx and removes its directory. */
  close(): Promise<void>;
}

/**
 * The configuration of a load balancer as a deployment writes one: HTTP and WebSocket upgrades to
 * the `ports` in turn; a connection an instance refuses or resets goes to the next one, and an
 * instance that failed is left out for a second before it is tried again.
 */
function configuration(dir: string, listen: number, ports: readonly number[]): string {
  return `worker_processes 1;
user root;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  map $http_upgrade $connection_upgrade { default upgrade; '' close; }
  upstream instances {
${ports.map((port) => `    server 127.0.0.1:${port} max_fails=1 fail_timeout=1s;`).join('\n')}
  }
  server {
    listen 127.0.0.1:${listen};
    location / {
      proxy_pass http://instances;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $remote_addr;
      proxy_connect_timeout 2s;
      proxy_read_timeout 1h;
      proxy_next_upstream error timeout http_502 http_503;
    }
  }
}
`;
}

/**
 * Runs Debian's nginx in the foreground (`/usr/sbin/nginx`, or NGINX) with its files in a
 * directory of its own, balancing `ports`, and waits until it accepts connections.
 */
export async function startNginx(ports: readonly number[]): Promise<Nginx> {
  const dir = await mkdtemp(join(tmpdir(), 'thread-nginx-'));
  const listen = await freePort();
  const conf = join(dir, 'nginx.conf');
  await writeFile(conf, configuration(dir, listen, ports));
  const child = spawn(
    process.env.NGINX ?? 'nginx',
    ['-p', dir, '-c', conf, '-e', join(dir, 'error.log'), '-g', `daemon off; pid ${join(dir, 'nginx.pid')};`],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const failed = new Promise<never>((_, fail) =>
    child.once('error', (error) => fail(new Error(`nginx did not start (is it installed?): ${error.message}`))),
  );
  const accepting = (async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      if (child.exitCode !== null) {
        const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
        throw new Error(`nginx exited with ${child.exitCode}:\n${log}`);
      }
      const connected = await new Promise<boolean>((done) => {
        const socket = net.connect(listen, '127.0.0.1', () => (socket.destroy(), done(true)));
        socket.on('error', () => done(false));
      });
      if (connected) return;
      await new Promise((tick) => setTimeout(tick, 50));
    }
    throw new Error('nginx did not listen within 5 s');
  })();
  const close = async () => {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await Promise.race([accepting, failed]);
  } catch (error) {
    await close();
    throw error;
  }
  return { url: `http://127.0.0.1:${listen}`, close };
}
