/** Limits of the transports (each set from the environment by src/config.ts). */
export const socketLimits = {
  /** `connection_init` must come within this, else the socket closes with 4408. */
  connectionInitMs: 3000,
  /** Largest message a client may send. */
  socketMessageBytes: 64 * 1024,
  /** Most operations one socket may have running at once. */
  subscriptionsPerSocket: 50,
  /** Events waiting for one operation of a socket that does not read, past which it is closed (1008). */
  pendingEventsPerOperation: 1000,
  /**
   * Bytes written to one socket but not yet taken by its reader's network, past which it is closed
   * (1008) before another message is added: what a slow reader can hold, whatever its operations.
   */
  bufferedBytesPerSocket: 1024 * 1024,
  /** Largest HTTP request body; past it, 413. */
  httpBodyBytes: 100 * 1024,
};

export type SocketLimits = typeof socketLimits;
