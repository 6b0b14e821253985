/** A held time answers to its call and its caller: the same call id from another number books nothing. */
import { describe, expect, it } from "vitest";
import { holdEarliest } from "../src/booking/offer.ts";
import { getClinic, listDoctors } from "../src/db/directory.ts";
import { contextAt, liveAppointments, newClinic, serviceAt } from "./support/clinic.ts";

const WED_8AM = new Date("2027-05-05T02:30:00Z"); // Wednesday 08:00 IST

describe("a hold bound to the call and the caller", () => {
  it("a confirm with the held call's id but another caller number is refused; the caller still books it", async () => {
    const ctx = contextAt(WED_8AM);
    const clinic = await newClinic(ctx, ["Dr. Bound Hold"]);
    const where = (await getClinic(ctx.db, clinic.id))!;
    const doctors = await listDoctors(ctx.db, clinic.id);
    const caller = "+919622000001";
    const offer = (await holdEarliest(ctx, where, doctors, "CAbound1", { holder: caller }))!;
    const held = { doctorId: offer.doctor.id, date: offer.date, startMinute: offer.startMinute };
    const scope = Promise.resolve({ clinic: where, doctor: offer.doctor });

    const forged = await serviceAt(ctx).bookHeldSlot(scope, held, { callSid: "CAbound1", phone: "+919622000002" });
    expect(forged).toEqual({ kind: "hold-lost" });
    expect(await liveAppointments(clinic.id)).toEqual([]);
    // Nor can it drop the caller's hold by asking for the next offer under the same call id.
    const next = await holdEarliest(ctx, where, doctors, "CAbound1", { holder: "+919622000002", previous: held });
    expect(next?.startMinute).not.toBe(offer.startMinute);

    const real = await serviceAt(ctx).bookHeldSlot(scope, held, { callSid: "CAbound1", phone: caller });
    expect(real).toMatchObject({ kind: "booked", booking: { offer: { startMinute: offer.startMinute } } });
    // A repeat from another number does not learn the booking either.
    const repeat = await serviceAt(ctx).bookHeldSlot(scope, held, { callSid: "CAbound1", phone: "+919622000002" });
    expect(repeat).toEqual({ kind: "hold-lost" });
    expect(await liveAppointments(clinic.id)).toHaveLength(1);
  });
});
