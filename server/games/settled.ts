/** Another node (or the manager) got there first, or the game ended: nothing left to do. */
export function ignoreSettled(err: unknown): void {
  ignoreSettledOr(err, () => {
    throw err;
  });
}

export function ignoreSettledOr(err: unknown, otherwise: () => void): void {
  const code = (err as { code?: string }).code;
  if (code !== 'already_done' && code !== 'ended') otherwise();
}
