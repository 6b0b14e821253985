/** The desk's Hono context: the app's, plus the signed-in user and their session. */
import type { Context } from "hono";
import type { Session } from "../auth/session.ts";
import { BookingService } from "../booking/service.ts";
import type { AppEnv, AppVariables } from "../context.ts";
import { wordsFor } from "../words/index.ts";
import type { StaffUser } from "./access.ts";

export interface DeskEnv extends AppEnv {
  Variables: AppVariables & { staff: StaffUser; session: Session };
}

export type DeskContext = Context<DeskEnv>;

/** The booking service for one request: the desk changes appointments only through it. */
export function bookingService(
  c: { var: { config: AppVariables["config"]; bookingContext: AppVariables["bookingContext"] } },
  now = new Date(),
): BookingService {
  return new BookingService(c.var.bookingContext(now), wordsFor(c.var.config.defaultLanguage));
}

/** A positive integer id from a URL or form, or null. */
export function parseId(value: string | undefined | File | (string | File)[]): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  return Number(value);
}
