/**
 * A one-time message for the page after a redirect ("Clinic saved."), carried in a short-lived
 * cookie: every desk form that changes something redirects, and the page it lands on says what
 * happened. Only our own words go in, never user input.
 */
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { DeskContext } from "../../desk/context.ts";

const COOKIE = "desk_flash";

export interface FlashNotice {
  text: string;
  error?: boolean;
}

/** Keeps a message for the next desk page this browser opens (within a minute). */
export function flash(c: DeskContext, text: string, error = false) {
  setCookie(c, COOKIE, `${error ? "!" : ""}${text}`, {
    httpOnly: true,
    path: "/desk",
    maxAge: 60,
    sameSite: "Lax",
  });
}

/** The message kept for this page, if any; it is shown once. */
export function takeFlash(c: DeskContext): FlashNotice | undefined {
  const value = getCookie(c, COOKIE);
  if (!value) return undefined;
  deleteCookie(c, COOKIE, { path: "/desk" });
  return value.startsWith("!") ? { text: value.slice(1), error: true } : { text: value };
}
