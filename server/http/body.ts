import type { Context } from 'koa';
import type { z } from 'zod';
import { RoomcastError } from '../protocol/errors.ts';
import { validated } from '../protocol/validate.ts';

const MAX_BODY_BYTES = 64 * 1024;

/** The request body as bytes, bounded; signatures are checked over these, before any parsing. */
export async function rawBody(ctx: Context, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new RoomcastError('too_large', `body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Parses and validates a JSON body (kept as `ctx.state.body`, for the audit trail); a refusal names the field. */
export async function jsonBody<S extends z.ZodType>(ctx: Context, schema: S, limit = MAX_BODY_BYTES): Promise<z.infer<S>> {
  const body = parseJson(await rawBody(ctx, limit), schema);
  ctx.state.body = body;
  return body;
}

/** Bytes already read (and checked, for signed bodies) to validated JSON; a refusal names the field. */
export function parseJson<S extends z.ZodType>(bytes: Buffer, schema: S): z.infer<S> {
  let value: unknown = {};
  if (bytes.length) {
    try {
      value = JSON.parse(bytes.toString('utf8'));
    } catch {
      throw new RoomcastError('bad_request', 'body is not valid JSON');
    }
  }
  return validated(schema, value);
}
