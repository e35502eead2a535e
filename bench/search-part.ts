import type { BenchContext } from './context.js';
import { prng, shape } from './dataset.js';
import { drive } from './drive.js';

/** Search: French full text over every post, accents and stems included, a few words at a time. */
export async function measureSearch({ service, databaseName, settings, log }: BenchContext) {
  const terms = [
    'economie',
    'énergie solidaire',
    'coopératives',
    '"monnaie locale"',
    'logement -banque',
    'vélo or musique',
  ];
  const pickTerm = prng(shape.seed + 3);
  const searchRequest = () => ({
    body: JSON.stringify({
      query: 'query ($q: String!) { search(query: $q, first: 10) { edges { snippet node { id score } } } }',
      variables: { q: terms[Math.floor(pickTerm() * terms.length)] },
    }),
    headers: {},
  });
  await drive(service, databaseName, settings.warmupSeconds, 8, searchRequest);
  const run = await drive(service, databaseName, Math.max(5, settings.seconds / 2), 8, searchRequest);
  log(`search: ${run.requestsPerSecond} req/s, p50 ${run.p50} ms, p99 ${run.p99} ms, ${run.errors} errors`);
  return run;
}
