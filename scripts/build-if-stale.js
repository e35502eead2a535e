// `npm start`'s and `npm run migrate`'s first step: builds only when dist/ is missing or older than
// what it is built from, so a fresh clone builds once and every later start skips the 7-10 s of tsc
// and esbuild. Run as a script, it exits with the build's status.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const sources = [
  'src',
  'entities',
  'resolvers',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
];
const outputs = ['dist/src/main.js', 'dist/src/demo/seed-thread.txt', 'dist/graphiql/browser.js'];

/** The newest modification time under `path`, a file or a directory; 0 when missing. */
function newest(path) {
  let stat;
  try {
    stat = statSync(path);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** The oldest modification time of the outputs; 0 when one is missing. */
function oldestOutput() {
  return Math.min(...outputs.map((path) => statSync(join(root, path), { throwIfNoEntry: false })?.mtimeMs ?? 0));
}

/** Builds when stale; false when the build failed. */
export function buildIfStale() {
  const built = oldestOutput();
  const changed = Math.max(...sources.map((path) => newest(join(root, path))));
  if (built !== 0 && changed <= built) return true;
  console.error(built === 0 ? 'building (first start)…' : 'building (sources changed since the last build)…');
  const npm = process.env.npm_execpath;
  const build = npm
    ? spawnSync(process.execPath, [npm, 'run', 'build', '--silent'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit', shell: true });
  return build.status === 0;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) process.exit(buildIfStale() ? 0 : 1);
