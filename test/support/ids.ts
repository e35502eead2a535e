/** The global id of the row `rowId` of `type` (`Question`, `Answer`…), as the API writes it. */
export function globalId(type: string, rowId: number): string {
  return Buffer.from(`${type}:${rowId}`).toString('base64url');
}

/** The row id inside a global id. */
export function rowIdOf(id: string): number {
  return Number(Buffer.from(id, 'base64url').toString().split(':')[1]);
}
