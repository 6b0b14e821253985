/** What every booking operation works with: storage, settings, the clock, and where Twilio reached us. */
import type { Config } from "../config.ts";
import type { Db } from "../db/client.ts";
import type { DoctorDay } from "../slots/doctor-day.ts";
import type { Job } from "../jobs/queue.ts";

export interface BookingContext {
  db: Db;
  config: Config;
  doctorDays: DurableObjectNamespace<DoctorDay>;
  now: Date;
  /** The public origin Twilio reached us on; SMS delivery reports go back there. */
  origin: string;
  /** Where outbox rows are handed for delivery once the change that wrote them is committed. */
  jobs: Queue<Job>;
  /**
   * Places a call outbox row's call now (calls/outbox.ts, given by the layers above); without it,
   * or should it fail, the cron places the row within a minute.
   */
  placeCall?: (callId: number) => Promise<unknown>;
}
