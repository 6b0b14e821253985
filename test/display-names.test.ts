/** Per-language names of places and specialities: parsed forgivingly, never failing a call. */
import { describe, expect, it } from "vitest";
import { allNames, nameIn, parseDisplayNames } from "../src/db/display-names.ts";

describe("display names", () => {
  it("reads known languages and ignores the rest", () => {
    expect(parseDisplayNames('{"kn":"ಮಕ್ಕಳ ವೈದ್ಯರು","hi":" बाल रोग विशेषज्ञ ","fr":"Pédiatrie","en":""}')).toEqual({
      kn: "ಮಕ್ಕಳ ವೈದ್ಯರು",
      hi: "बाल रोग विशेषज्ञ",
    });
  });

  it.each([null, undefined, "", "not json", "[1,2]", "42", '{"kn":7}'])("treats %s as no names", (json) => {
    expect(Object.keys(parseDisplayNames(json as string | null))).toEqual([]);
  });

  it("says the stored name where a language has none", () => {
    const item = { name: "Paediatrics", displayNames: '{"kn":"ಮಕ್ಕಳ ವೈದ್ಯರು"}' };
    expect(nameIn(item, "kn")).toBe("ಮಕ್ಕಳ ವೈದ್ಯರು");
    expect(nameIn(item, "hi")).toBe("Paediatrics");
    expect(allNames(item)).toEqual(["Paediatrics", "ಮಕ್ಕಳ ವೈದ್ಯರು"]);
  });
});
