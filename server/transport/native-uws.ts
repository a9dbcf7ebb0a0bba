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
      'uWebSockets.js loaded its JavaScript fallback, not the native binary. Roomcast needs the native build: ' +
        `Node ${process.versions.node} (ABI ${process.versions.modules}) on ${process.platform}-${process.arch} with glibc >= 2.36 ` +
        '(Debian bookworm or newer). Unset UWS_USE_FALLBACK, and check the warning printed above this line.',
    );
  }
  return uWS;
}
