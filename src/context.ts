/** The typed Hono context shared by every route. */
import type { BookingContext } from "./booking/context.ts";
import type { Config } from "./config.ts";
import type { Db } from "./db/client.ts";

export interface AppVariables {
  config: Config;
  /** This request's database handle (middleware/request-services.ts): routes never open their own. */
  db: Db;
  /** What the booking service works with for this request, at `now` (the request's clock by default). */
  bookingContext: (now?: Date) => BookingContext;
  /** The POST parameters Twilio sent, after the signature over them was checked. */
  params: Record<string, string>;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
