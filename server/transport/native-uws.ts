import uWS from 'uWebSockets.js';

/**
 * The uWebSockets.js package silently falls back to a slow pure-JS implementation when its native
 * binary does not load (wrong glibc, wrong Node ABI). Roomcast's numbers depend on the native
 * publish path, so it refuses to run on the fallback rather than run 10x slower unnoticed.
 */
export function loadNativeUws(): typeof uWS {
  const native = Function.prototype.toString.call(uWS.App).includes('[native code]');
  if (!native || process.env.UWS_USE_FALLBACK) {
    throw new Error(
      'uWebSockets.js loaded its JavaScript fallback, not the native binary. Roomcast needs Node 20 (the uWS build it ' +
        `pins has binaries for Node 20 only, ABI 115; this is Node ${process.versions.node}, ABI ${process.versions.modules}) ` +
        `on linux-x64 with glibc >= 2.36 (Debian bookworm or newer; this is ${process.platform}-${process.arch}). ` +
        'Unset UWS_USE_FALLBACK, and check the warning printed above this line. Node 22/24: docs/operations.md, "Node versions".',
    );
  }
  return uWS;
}
