import type { DataSource } from 'typeorm';
import type { Viewer } from './auth/viewer.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import type { Services } from './services/index.js';

/** What every resolver receives: the viewer, this request's loaders and the services. */
export interface Context {
  requestId: string;
  viewer: Viewer | null;
  loaders: Loaders;
  services: Services;
}

/** Builds a request's context. */
export function createContext(db: DataSource, services: Services, viewer: Viewer | null, requestId: string): Context {
  return { requestId, viewer, loaders: createLoaders(db, viewer), services };
}
