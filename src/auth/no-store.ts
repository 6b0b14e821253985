/**
 * Answers to staff and patients carry phone numbers and health data: no browser, shared desk
 * PC or proxy may keep them (after sign-out the back button must not bring them back). Every
 * answer under /desk, /me and /api/desk gets `Cache-Control: no-store` unless its route chose
 * otherwise (only the desk's script, which holds no data, does).
 */
import type { MiddlewareHandler } from "hono";

export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
};
