/** The desk's Hono context: the app's, plus the signed-in user and their session. */
import type { Context } from "hono";
import type { Session } from "../auth/session.ts";
import { BookingService } from "../booking/service.ts";
import type { AppEnv, AppVariables } from "../context.ts";
import { database } from "../db/client.ts";
import { wordsFor } from "../words/index.ts";
import { publicUrl } from "../middleware/twilio-webhook.ts";
import type { StaffUser } from "./access.ts";

export interface DeskEnv extends AppEnv {
  Variables: AppVariables & { staff: StaffUser; session: Session };
}

export type DeskContext = Context<DeskEnv>;

/** The booking service for one request: the desk changes appointments only through it. */
export function bookingService(
  c: { env: Env; var: { config: AppVariables["config"] }; req: { url: string } },
  now = new Date(),
): BookingService {
  const config = c.var.config;
  return new BookingService(
    {
      db: database(c.env.DB),
      config,
      doctorDays: c.env.DOCTOR_DAY,
      now,
      origin: new URL(publicUrl(c.req.url, config.publicBaseUrl)).origin,
      jobs: c.env.JOBS,
    },
    wordsFor(config.defaultLanguage),
  );
}

/** A positive integer id from a URL or form, or null. */
export function parseId(value: string | undefined | File | (string | File)[]): number | null {
  if (typeof value !== "string" || !/^[1-9]\d{0,9}$/.test(value)) return null;
  return Number(value);
}
