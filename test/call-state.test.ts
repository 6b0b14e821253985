/**
 * Call state in the action URL's query string: parsed strictly, junk dropped, round-trips.
 */
import { describe, expect, it } from "vitest";
import { actionUrl, parseCallState, type CallState } from "../src/ivr/call-state.ts";

const parse = (query: string) => parseCallState(new URLSearchParams(query), "en");
const EMPTY: CallState = { lang: "en", page: 0, tries: 0 };

describe("parseCallState", () => {
  it("reads every field", () => {
    expect(parse("lang=en&state=1&district=2&clinic=3&spec=4&doctor=5&hold=5.2026-11-25.1030&page=2&tries=1")).toEqual({
      lang: "en",
      state: 1,
      district: 2,
      clinic: 3,
      spec: 4,
      doctor: 5,
      hold: { doctorId: 5, date: "2026-11-25", startMinute: 630 },
      page: 2,
      tries: 1,
    });
  });

  it("defaults an empty query", () => {
    expect(parse("")).toEqual(EMPTY);
  });

  it.each([
    "state=abc",
    "state=-1",
    "state=0",
    "state=01",
    "state=1.5",
    "state=1e3",
    "state=%201",
    "state=",
    "state=9999999999",
    "state=123456789012345678901234567890",
  ])("drops a bad id: %s", (query) => {
    expect(parse(query)).toEqual(EMPTY);
  });

  it("keeps the largest id it accepts (nine digits)", () => {
    expect(parse("clinic=999999999").clinic).toBe(999_999_999);
  });

  it.each([
    "hold=1.2026-02-30.0930",
    "hold=1.2026-11-25",
    "hold=1.2026-11-25.7",
    "hold=1.2026-11-25.2400",
    "hold=1.2026-11-25.0960",
    "hold=0.2026-11-25.0930",
    "hold=x.2026-11-25.0930",
    "hold=1.25-11-2026.0930",
    "hold=1..0930",
    "hold=",
    "hold=1.2026-11-25.0930.4",
    "hold=1.2026-11-25.0930.",
  ])("drops a bad hold: %s", (query) => {
    expect(parse(query).hold).toBeUndefined();
  });

  it("falls back to the default language for an unknown one", () => {
    expect(parse("lang=xx").lang).toBe("en");
    expect(parse("lang=EN").lang).toBe("en");
  });

  it.each(["page=-1", "page=abc", "page=100", "page=1.5", "tries=999", "tries=-2"])(
    "drops a bad counter: %s",
    (query) => {
      expect(parse(query)).toEqual(EMPTY);
    },
  );

  it("reads the language, the switch flag and a booked token; drops odd ones", () => {
    expect(parse("lang=kn&sw=1&token=KS-12")).toEqual({ ...EMPTY, lang: "kn", switchable: true, token: "KS-12" });
    expect(parse("lang=hi").lang).toBe("hi");
    expect(parse("sw=yes&token=ks-2")).toEqual(EMPTY);
    expect(parse("token=KS-2%3Cx%3E")).toEqual(EMPTY);
    expect(parse("token=ABCDEFGHI-1")).toEqual(EMPTY);
  });

  it("keeps good fields next to bad ones", () => {
    expect(parse("lang=xx&state=1&district=abc&clinic=3&hold=1.2026-02-30.0930&page=1")).toEqual({
      lang: "en",
      state: 1,
      clinic: 3,
      page: 1,
      tries: 0,
    });
  });
});

describe("actionUrl", () => {
  it("puts the state in the query string, leaving out empty fields", () => {
    expect(actionUrl("/api/ivr/handle-clinic/", { lang: "en", state: 1, district: 1, page: 0, tries: 0 })).toBe(
      "/api/ivr/handle-clinic/?lang=en&state=1&district=1",
    );
  });

  it.each<[string, CallState]>([
    ["an empty state", EMPTY],
    ["a chosen clinic", { lang: "en", state: 1, district: 2, clinic: 3, page: 1, tries: 2 }],
    ["a specialization", { lang: "en", state: 1, district: 2, clinic: 3, spec: 4, page: 0, tries: 0 }],
    [
      "a held slot",
      {
        lang: "en",
        state: 1,
        district: 2,
        clinic: 3,
        doctor: 5,
        hold: { doctorId: 5, date: "2026-11-25", startMinute: 1005 },
        page: 0,
        tries: 1,
      },
    ],
    ["a returning caller's first menu", { lang: "kn", state: 1, district: 1, switchable: true, page: 0, tries: 1 }],
    ["a booked token", { lang: "hi", token: "KS-2", page: 0, tries: 0 }],
  ])("round-trips %s through parseCallState", (_, state) => {
    const url = new URL(actionUrl("/api/ivr/offer/", state), "https://line.test");
    expect(url.pathname).toBe("/api/ivr/offer/");
    expect(parseCallState(url.searchParams, "en")).toEqual(state);
  });
});
