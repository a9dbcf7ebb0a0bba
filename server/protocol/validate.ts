import type { z } from 'zod';
import { RoomcastError } from './errors.ts';

/** Validates a value against a schema; a refusal is `bad_request` naming the first field at fault. */
export function validated<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = issue?.path.join('.');
  throw new RoomcastError('bad_request', field ? `${field}: ${issue!.message}` : (issue?.message ?? 'invalid value'));
}
