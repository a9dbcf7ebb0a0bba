/**
 * The `sub` claim of a JWT, read without checking the signature (the server checks it): which user
 * this page is, so a component can tell "you won" from someone else's win. Undefined when the token
 * is not a readable JWT.
 */
export function tokenSubject(token: string): string | undefined {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), (c) => c.charCodeAt(0)))) as { sub?: unknown };
    return typeof claims.sub === 'string' ? claims.sub : undefined;
  } catch {
    return undefined;
  }
}
