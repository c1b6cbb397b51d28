// The request body limit. A body announced with Content-Length is judged by that header alone,
// so the request object is never rebuilt around a stream (the route then reads the body
// straight from the socket, already known to be small enough). A chunked body has no length to
// trust: it is counted as it arrives, by hono's body limit.
import { bodyLimit as countingBodyLimit } from 'hono/body-limit';
import type { Context, MiddlewareHandler } from 'hono';
import type { RelayEnv } from './request.js';

export function bodyLimit(options: { maxSize: number; onError: (c: Context<RelayEnv>) => Response | Promise<Response> }): MiddlewareHandler<RelayEnv> {
  const counting = countingBodyLimit(options);
  return async (c, next) => {
    if (c.req.header('transfer-encoding') !== undefined) return counting(c, next);
    const length = c.req.header('content-length');
    // Without Transfer-Encoding a request's body is exactly Content-Length bytes, or none.
    if (length !== undefined && Number.parseInt(length, 10) > options.maxSize) return options.onError(c);
    await next();
  };
}
