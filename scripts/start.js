// `npm start`: builds when stale (see build-if-stale.js), then runs the service in this same process,
// so that a start boots Node once rather than once for the check and again for the service.
import { buildIfStale } from './build-if-stale.js';

if (!buildIfStale()) process.exit(1);
await import('../dist/src/main.js');
