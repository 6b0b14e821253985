/**
 * Which Origin a form post may come from: this Worker's own, or the public origin a proxy in
 * front of it serves (PUBLIC_BASE_URL), since behind such a proxy the Worker sees another host.
 */
import type { Context } from "hono";

export function sameOrigin(origin: string, c: Context): boolean {
  if (origin === new URL(c.req.url).origin) return true;
  const base = (c.env as Env | undefined)?.PUBLIC_BASE_URL;
  if (!base) return false;
  try {
    return origin === new URL(base).origin;
  } catch {
    return false;
  }
}
