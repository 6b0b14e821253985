/**
 * The red-flag table, phrase by phrase, in English, Kannada and Hindi (native script and
 * romanised), and the near-misses that must not flag: a false alarm here tells a caller with
 * a blood test to ring 108, a miss tells a caller with chest pain nothing.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  mergeFlags,
  normaliseReason,
  parseFlags,
  redFlagsIn,
  RED_FLAGS,
  type RedFlag,
} from "../src/reasons/red-flags.ts";

const FLAGGED: [RedFlag, string][] = [
  // chest pain
  ["chest-pain", "I have chest pain since morning"],
  ["chest-pain", "Severe pain in my chest."],
  ["chest-pain", "chest is paining and sweating"],
  ["chest-pain", "tightness in chest"],
  ["chest-pain", "my father had a heart attack i think"],
  ["chest-pain", "ಎದೆ ನೋವು ಇದೆ"],
  ["chest-pain", "ಎದೆನೋವು ಜಾಸ್ತಿ ಆಗಿದೆ"],
  ["chest-pain", "ede novu ide"],
  ["chest-pain", "edhe noovu"],
  ["chest-pain", "सीने में दर्द हो रहा है"],
  ["chest-pain", "छाती में तेज दर्द"],
  ["chest-pain", "seene mein dard hai"],
  ["chest-pain", "dil ka daura pada"],
  // breathing
  ["breathing", "difficulty in breathing"],
  ["breathing", "She can't breathe properly"],
  ["breathing", "shortness of breath at night"],
  ["breathing", "breathing problem since two days"],
  ["breathing", "ಉಸಿರಾಟದ ತೊಂದರೆ"],
  ["breathing", "ಉಸಿರು ಕಟ್ಟುತ್ತಿದೆ"],
  ["breathing", "usiraatada tondare"],
  ["breathing", "usiru kattide"],
  ["breathing", "साँस लेने में तकलीफ है"],
  ["breathing", "सांस फूल रही है"],
  ["breathing", "saans nahi aa rahi"],
  // unconscious
  ["unconscious", "my mother is unconscious"],
  ["unconscious", "he fainted in the bathroom"],
  ["unconscious", "passed out twice today"],
  ["unconscious", "ಪ್ರಜ್ಞೆ ತಪ್ಪಿದೆ"],
  ["unconscious", "prajne tappide"],
  ["unconscious", "वो बेहोश हो गए"],
  ["unconscious", "behosh ho gaya"],
  // seizures
  ["seizure", "my son gets fits"],
  ["seizure", "she had a seizure this morning"],
  ["seizure", "convulsions with fever"],
  ["seizure", "ಮಗುವಿಗೆ ಫಿಟ್ಸ್ ಬಂತು"],
  ["seizure", "ಸೆಳವು ಬಂದಿದೆ"],
  ["seizure", "मिर्गी का दौरा पड़ा"],
  ["seizure", "daure pad rahe hain"],
  // heavy bleeding
  ["heavy-bleeding", "bleeding heavily from a cut"],
  ["heavy-bleeding", "bleeding won't stop"],
  ["heavy-bleeding", "vomiting blood"],
  ["heavy-bleeding", "ರಕ್ತಸ್ರಾವ ಆಗುತ್ತಿದೆ"],
  ["heavy-bleeding", "ರಕ್ತ ನಿಲ್ಲುತ್ತಿಲ್ಲ"],
  ["heavy-bleeding", "thumba raktha hoguttide"],
  ["heavy-bleeding", "बहुत खून बह रहा है"],
  ["heavy-bleeding", "khoon ruk nahi raha"],
  ["heavy-bleeding", "खून की उल्टी हुई"],
  // stroke
  ["stroke", "I think he had a stroke"],
  ["stroke", "face drooping and slurred speech"],
  ["stroke", "left side of the body is weak suddenly"],
  ["stroke", "ಪಾರ್ಶ್ವವಾಯು ಆಗಿದೆ"],
  ["stroke", "ಮುಖ ಸೊಟ್ಟಗಾಗಿದೆ"],
  ["stroke", "lakva hodedide"],
  ["stroke", "लकवा मार गया"],
  ["stroke", "मुँह टेढ़ा हो गया"],
  // pregnancy with bleeding or pain
  ["pregnancy-bleeding-or-pain", "I am 7 months pregnant and bleeding"],
  ["pregnancy-bleeding-or-pain", "pregnant, severe stomach pain"],
  ["pregnancy-bleeding-or-pain", "pregnant and the baby is not moving"],
  ["pregnancy-bleeding-or-pain", "ಗರ್ಭಿಣಿ, ಹೊಟ್ಟೆ ನೋವು"],
  ["pregnancy-bleeding-or-pain", "ಗರ್ಭಿಣಿಗೆ ರಕ್ತ ಬರುತ್ತಿದೆ"],
  ["pregnancy-bleeding-or-pain", "garbhini hotte novu"],
  ["pregnancy-bleeding-or-pain", "गर्भवती हूँ और खून आ रहा है"],
  ["pregnancy-bleeding-or-pain", "pregnant hoon pet mein dard"],
  // poisoning
  ["poisoning", "he drank poison"],
  ["poisoning", "swallowed pesticide by mistake"],
  ["poisoning", "child drank kerosene"],
  ["poisoning", "ವಿಷ ಕುಡಿದಿದ್ದಾನೆ"],
  ["poisoning", "ಕೀಟನಾಶಕ ಕುಡಿದ"],
  ["poisoning", "visha kudidide"],
  ["poisoning", "ज़हर खा लिया"],
  ["poisoning", "zahar pi liya"],
  // snake bite
  ["snake-bite", "snake bite on the leg"],
  ["snake-bite", "bitten by a snake in the field"],
  ["snake-bite", "ಹಾವು ಕಚ್ಚಿದೆ"],
  ["snake-bite", "haavu kachchide"],
  ["snake-bite", "सांप ने काटा"],
  ["snake-bite", "saanp ne kaat liya"],
  // burns
  ["severe-burn", "severe burns on the arm"],
  ["severe-burn", "burnt by hot oil"],
  ["severe-burn", "ಬೆಂಕಿಯಿಂದ ಸುಟ್ಟ ಗಾಯ"],
  ["severe-burn", "sutta gaaya"],
  ["severe-burn", "हाथ जल गया"],
  ["severe-burn", "aag se jal gaya"],
  // fever in an infant
  ["infant-fever", "my baby has high fever"],
  ["infant-fever", "two months old baby with fever"],
  ["infant-fever", "newborn temperature"],
  ["infant-fever", "ಪಾಪುವಿಗೆ ಜ್ವರ"],
  ["infant-fever", "ಮಗುವಿಗೆ ತುಂಬಾ ಜ್ವರ"],
  ["infant-fever", "maguvige tumba jvara"],
  ["infant-fever", "नवजात शिशु को बुखार"],
  ["infant-fever", "बच्चे को तेज बुखार है"],
  ["infant-fever", "bacche ko tez bukhar"],
  // self-harm and serious injury
  ["self-harm", "he wants to kill himself"],
  ["self-harm", "ಆತ್ಮಹತ್ಯೆ ಪ್ರಯತ್ನ"],
  ["self-harm", "आत्महत्या की कोशिश"],
  ["severe-injury", "road accident, head injury"],
  ["severe-injury", "ಅಪಘಾತ ಆಗಿದೆ"],
  ["severe-injury", "सिर में चोट लगी, छत से गिरा"],
];

/** Near-misses: the same words in harmless company. None may flag. */
const NOT_FLAGGED: string[] = [
  "",
  "   ",
  "general check-up",
  "chest x-ray report review",
  "chest congestion and cold",
  "pain in left knee, chest x ray done last week",
  "heartburn after meals",
  "ಎದೆ ಉರಿ ಇದೆ", // heartburn
  "सीने में जलन", // heartburn
  "bad breath",
  "breathing exercises after surgery",
  "medical fitness certificate",
  "fit to work letter",
  "muscle cramp in leg",
  "ಸ್ನಾಯು ಸೆಳೆತ", // muscle cramp
  "पेट में ऐंठन", // stomach cramps
  "blood test results",
  "blood pressure check",
  "blood sugar review",
  "bleeding gums when brushing",
  "ರಕ್ತ ಪರೀಕ್ಷೆ", // blood test
  "ರಕ್ತದೊತ್ತಡ ತಪಾಸಣೆ", // blood pressure check
  "खून की जांच करानी है", // blood test
  "खून की कमी है", // anaemia
  "headache on one side",
  "ಒಂದು ಬದಿ ತಲೆನೋವು", // one-sided headache
  "pregnancy test",
  "pregnancy check up",
  "ಗರ್ಭಿಣಿ ತಪಾಸಣೆ", // pregnancy check-up
  "गर्भवती हूँ, जांच के लिए", // pregnant, for a check-up
  "food poisoning last week, now fine",
  "ಒಂದು ವಿಷಯ ಕೇಳಬೇಕು", // "I need to ask about a matter"
  "ವಿಷಮ ಶೀತ ಜ್ವರ", // typhoid
  "ವಿಷ್ಣು ಅವರ ಅಪಾಯಿಂಟ್ಮೆಂಟ್", // an appointment for Vishnu
  "इस विषय में बात करनी है", // about this topic
  "dog bite, need vaccine",
  "insect bite rash",
  "ನಾಯಿ ಕಚ್ಚಿದೆ", // dog bit
  "कुत्ते ने काटा", // dog bit
  "burning sensation while passing urine",
  "ಮೂತ್ರ ಉರಿ", // burning urine
  "पेशाब में जलन", // burning urine
  "sunburn",
  "fever for two days",
  "ಜ್ವರ ಬಂದಿದೆ", // fever
  "बुखार है", // fever
  "baby vaccination",
  "ಮಗುವಿಗೆ ಲಸಿಕೆ ಹಾಕಿಸಬೇಕು", // the child's vaccination
  "बच्चे का टीका लगवाना है", // the child's vaccination
  "my son has a cold",
  "follow up for diabetes",
  "ಸಕ್ಕರೆ ಕಾಯಿಲೆ", // diabetes
  "शुगर की दवा", // diabetes medicine
  "skin rash and itching",
  "back pain",
  "ಬೆನ್ನು ನೋವು", // back pain
  "कमर दर्द", // back pain
];

describe("red flags", () => {
  it.each(FLAGGED)("flags %s in %j", (flag, reason) => {
    expect(redFlagsIn(reason)).toContain(flag);
  });

  it.each(NOT_FLAGGED)("does not flag %j", (reason) => {
    expect(redFlagsIn(reason)).toEqual([]);
  });

  it("covers every flag in all three languages", () => {
    const scripts = { kn: /[\u0c80-\u0cff]/, hi: /[\u0900-\u097f]/, en: /^[\x20-\x7e]+$/ };
    for (const flag of RED_FLAGS) {
      const phrases = FLAGGED.filter(([f]) => f === flag).map(([, p]) => p);
      for (const [lang, script] of Object.entries(scripts))
        expect(
          phrases.some((p) => script.test(p)),
          `${flag} has a ${lang} phrase`,
        ).toBe(true);
    }
  });

  it("reads through punctuation, case and the marks speech engines spell either way", () => {
    expect(redFlagsIn("CHEST-PAIN!!!")).toEqual(["chest-pain"]);
    expect(normaliseReason("साँस")).toBe(normaliseReason("सांस"));
    expect(redFlagsIn("जहर खा लिया")).toEqual(redFlagsIn("ज़हर खा लिया"));
    expect(redFlagsIn("chest pain and difficulty breathing")).toEqual(["chest-pain", "breathing"]);
  });

  it("lets a model add a flag and never take one away", () => {
    expect(mergeFlags(["chest-pain"], [])).toEqual(["chest-pain"]);
    expect(mergeFlags(["chest-pain"], ["breathing"])).toEqual(["chest-pain", "breathing"]);
    expect(mergeFlags([], ["not-a-flag", 7, null, "poisoning"])).toEqual(["poisoning"]);
    expect(parseFlags('["stroke","junk"]')).toEqual(["stroke"]);
    expect(parseFlags("{broken")).toEqual([]);
  });
});

describe("red flags on any input", () => {
  // workerd's clocks stand still during synchronous code, so speed is checked by the test's own
  // time limit: a pattern that backtracks catastrophically on a long transcript would exceed it.
  it("return known flags, the same every time, for any text up to a long transcript", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 500, unit: "grapheme" }),
          fc
            .array(fc.constantFrom("chest", "pain", "ಎದೆ", "ನೋವು", "सीने", "दर्द", "baby", "fever", " ", "-", "x"), {
              maxLength: 200,
            })
            .map((words) => words.join(" ")),
        ),
        (text) => {
          const flags = redFlagsIn(text);
          expect(flags.every((f) => RED_FLAGS.includes(f))).toBe(true);
          expect(redFlagsIn(text)).toEqual(flags);
        },
      ),
      { seed: 20261125, numRuns: 300 },
    );
  });
});
