/** --no-cache and SNAG_NO_CACHE, read the same way by the full CLI and by replay.ts. */

/** SNAG_NO_CACHE set to anything but "" or "0" turns the cache off, as --no-cache does. */
export function cacheDisabled(flags: { cache?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return flags.cache === false || (env.SNAG_NO_CACHE !== undefined && env.SNAG_NO_CACHE !== "" && env.SNAG_NO_CACHE !== "0");
}
