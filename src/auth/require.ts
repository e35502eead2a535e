import { UnauthenticatedError } from '../errors/index.js';
import type { Viewer } from './viewer.js';

/** The signed-in viewer; UNAUTHENTICATED for an anonymous request. */
export function requireViewer(viewer: Viewer | null): Viewer {
  if (viewer === null) throw new UnauthenticatedError();
  return viewer;
}
