/**
 * The app's one answer to a fault no route caught. The voice and SMS webhooks catch their own
 * (a caller hears an apology, a provider gets what makes it retry), so this answers the desk,
 * the patient page, the desk API and the rest.
 */
import type { ErrorHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { log } from "../log.ts";

export const answerFault: ErrorHandler = (error, c) => {
  // hono/csrf refuses by throwing: its 403 is an answer, not a fault.
  if (error instanceof HTTPException) return error.getResponse();
  log.error("unhandled error", { method: c.req.method, path: new URL(c.req.url).pathname, error });
  return c.text("Sorry, something went wrong. Please try again in a moment.", 503);
};
