/** The cron's outbound calls: the reminder calls that became due are written, then every due row is placed or settled. */
import { log } from "../log.ts";
import { placeDueCalls, type CallContext } from "./outbox.ts";
import { scheduleReminderCalls } from "./reminder-calls.ts";

export async function runReminderCalls(ctx: CallContext, now: Date): Promise<void> {
  const written = await scheduleReminderCalls(ctx.db, ctx.config, now);
  const { placed } = await placeDueCalls(ctx, now);
  if (written || placed.length) log.info("reminder calls", { written, placed: placed.length });
}
