/** Who is asking: the signed-in user and the session their token belongs to. */
export interface Viewer {
  userId: number;
  sessionId: number;
}

/** Who writes: all the services need to know of a viewer to apply the rules. */
export type Author = Pick<Viewer, 'userId'>;
