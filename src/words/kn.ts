/**
 * ಕನ್ನಡ (Kannada) as people in Dakshina Kannada say it on the phone: spoken register, with the
 * English words everyone uses (ಡಾಕ್ಟರ್, ಟೋಕನ್ ನಂಬರ್, ಅಪಾಯಿಂಟ್ಮೆಂಟ್, ಮೆಸೇಜ್, ಟೈಮ್), "ಒತ್ತಿ" for
 * press and "ಆರಿಸಿ" for choose. Numbers stay digits for the voice, and a case ending always goes
 * on a word after them, never on the digit ("108 ನಂಬರ್‌ಗೆ", "9 ಗಂಟೆ 15 ನಿಮಿಷಕ್ಕೆ",
 * "ನವೆಂಬರ್ 27ನೇ ತಾರೀಖು"): a voice reads "108ಗೆ" as "ನೂರ ಎಂಟು ಗೆ". Doctors' names stay as stored;
 * token letters are named the way Kannada speakers say English letters.
 */
import { dateParts, partOfDay, spellToken, type PartOfDay } from "./clock.ts";
import type { Catalogue, SpokenDay } from "./index.ts";
import { DEFAULT_VOICES } from "./voices.ts";

const WEEKDAYS = ["ಭಾನುವಾರ", "ಸೋಮವಾರ", "ಮಂಗಳವಾರ", "ಬುಧವಾರ", "ಗುರುವಾರ", "ಶುಕ್ರವಾರ", "ಶನಿವಾರ"];
const MONTHS = ["ಜನವರಿ", "ಫೆಬ್ರವರಿ", "ಮಾರ್ಚ್", "ಏಪ್ರಿಲ್", "ಮೇ", "ಜೂನ್", "ಜುಲೈ", "ಆಗಸ್ಟ್", "ಸೆಪ್ಟೆಂಬರ್", "ಅಕ್ಟೋಬರ್", "ನವೆಂಬರ್", "ಡಿಸೆಂಬರ್"];
const PART_OF_DAY: Record<PartOfDay, string> = {
  morning: "ಬೆಳಿಗ್ಗೆ",
  afternoon: "ಮಧ್ಯಾಹ್ನ",
  evening: "ಸಂಜೆ",
  night: "ರಾತ್ರಿ",
};
const LETTERS: Record<string, string> = {
  A: "ಎ",
  B: "ಬಿ",
  C: "ಸಿ",
  D: "ಡಿ",
  E: "ಈ",
  F: "ಎಫ್",
  G: "ಜಿ",
  H: "ಎಚ್",
  I: "ಐ",
  J: "ಜೆ",
  K: "ಕೆ",
  L: "ಎಲ್",
  M: "ಎಂ",
  N: "ಎನ್",
  O: "ಓ",
  P: "ಪಿ",
  Q: "ಕ್ಯೂ",
  R: "ಆರ್",
  S: "ಎಸ್",
  T: "ಟಿ",
  U: "ಯು",
  V: "ವಿ",
  W: "ಡಬ್ಲ್ಯೂ",
  X: "ಎಕ್ಸ್",
  Y: "ವೈ",
  Z: "ಝೆಡ್",
};

function day(d: SpokenDay): string {
  if (d.kind === "today") return "ಇವತ್ತು";
  if (d.kind === "tomorrow") return "ನಾಳೆ";
  const { day, month, weekday } = dateParts(d.date);
  return `${WEEKDAYS[weekday]}, ${MONTHS[month - 1]} ${day}ನೇ ತಾರೀಖು`;
}

/** How a clock time ends: "at" (ಗಂಟೆಗೆ), "from" (ಗಂಟೆಯಿಂದ), "until" (ಗಂಟೆಯವರೆಗೆ). */
type ClockCase = "at" | "from" | "until";
const ON_THE_HOUR: Record<ClockCase, string> = { at: "ಗಂಟೆಗೆ", from: "ಗಂಟೆಯಿಂದ", until: "ಗಂಟೆಯವರೆಗೆ" };
const PAST_THE_HOUR: Record<ClockCase, string> = { at: "ನಿಮಿಷಕ್ಕೆ", from: "ನಿಮಿಷದಿಂದ", until: "ನಿಮಿಷದವರೆಗೆ" };

/** "ಬೆಳಿಗ್ಗೆ 9 ಗಂಟೆ 15 ನಿಮಿಷಕ್ಕೆ", "ಸಂಜೆ 6 ಗಂಟೆಯವರೆಗೆ": the ending on ಗಂಟೆ or ನಿಮಿಷ, never on a digit. */
function clock(minute: number, ending: ClockCase): string {
  const hour = Math.floor(minute / 60) % 12 || 12;
  const minutes = minute % 60;
  const part = PART_OF_DAY[partOfDay(minute)];
  return minutes === 0
    ? `${part} ${hour} ${ON_THE_HOUR[ending]}`
    : `${part} ${hour} ಗಂಟೆ ${minutes} ${PAST_THE_HOUR[ending]}`;
}

export const kn: Catalogue = {
  language: "kn",
  voice: { voice: DEFAULT_VOICES.kn, language: "kn-IN" },
  name: "ಕನ್ನಡ",
  chooseLanguage: (key) => `ಕನ್ನಡ ಬೇಕಾದರೆ ${key} ಒತ್ತಿ.`,
  switchLanguage: "ಕನ್ನಡ ಬೇಕಾದರೆ ಹ್ಯಾಶ್ ಒತ್ತಿ.",
  welcome: "ನಮಸ್ಕಾರ. ಇದು ಕ್ಲಿನಿಕ್ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಲೈನ್.",
  repeatHint: "ಮತ್ತೆ ಕೇಳಲು ಸ್ಟಾರ್ ಒತ್ತಿ.",
  choose: (name, key) => `${name} ಬೇಕಾದರೆ ${key} ಒತ್ತಿ.`,
  moreChoices: (key) => `ಇನ್ನೂ ಕೇಳಲು ${key} ಒತ್ತಿ.`,
  firstChoices: (key) => `ಮೊದಲಿನಿಂದ ಮತ್ತೆ ಕೇಳಲು ${key} ಒತ್ತಿ.`,
  onlyChoice: (what, name) => `${what}: ${name}.`,
  chooseState: "ನಿಮ್ಮ ರಾಜ್ಯ ಆರಿಸಿ.",
  chooseDistrict: "ನಿಮ್ಮ ಜಿಲ್ಲೆ ಆರಿಸಿ.",
  chooseClinic: "ಯಾವ ಕ್ಲಿನಿಕ್ ಬೇಕು ಅಂತ ಆರಿಸಿ.",
  chooseSpecialization: "ಯಾವ ಸ್ಪೆಷಲಿಸ್ಟ್ ಡಾಕ್ಟರ್ ಬೇಕು ಅಂತ ಆರಿಸಿ.",
  chooseDoctor: "ಯಾವ ಡಾಕ್ಟರ್ ಬೇಕು ಅಂತ ಆರಿಸಿ.",
  level: { state: "ರಾಜ್ಯ", district: "ಜಿಲ್ಲೆ", clinic: "ಕ್ಲಿನಿಕ್", specialization: "ಸ್ಪೆಷಲಿಸ್ಟ್", doctor: "ಡಾಕ್ಟರ್" },
  bookingType: (clinic) => `${clinic}. ಯಾವ ಡಾಕ್ಟರ್ ಆದರೂ ಸರಿ, ಮೊದಲು ಸಿಗುವ ಟೈಮ್ ಬೇಕಾದರೆ 1 ಒತ್ತಿ. ಸ್ಪೆಷಲಿಸ್ಟ್ ಡಾಕ್ಟರ್ ಆರಿಸಲು 2 ಒತ್ತಿ.`,
  anyDoctorOf: (specialization) => `ಮೊದಲು ಸಿಗುವ ${specialization}`,
  notAChoice: "ಕ್ಷಮಿಸಿ, ಆ ನಂಬರ್ ಇಲ್ಲ.",
  noInput: "ಕ್ಷಮಿಸಿ, ನಮಗೆ ಏನೂ ಕೇಳಿಸಲಿಲ್ಲ.",
  notUnderstood: "ಕ್ಷಮಿಸಿ, ನೀವು ಹೇಳಿದ್ದು ಅರ್ಥ ಆಗಲಿಲ್ಲ.",
  offer: (s) =>
    `${s.when} ${s.doctor} ಅವರ ಹತ್ತಿರ ಟೈಮ್ ಖಾಲಿ ಇದೆ. ಬುಕ್ ಮಾಡಲು 1 ಒತ್ತಿ. ಮುಂದಿನ ಟೈಮ್ ಕೇಳಲು 2 ಒತ್ತಿ. ಬೇರೆ ಟೈಮ್ ಅಥವಾ ಬೇರೆ ದಿನ ಬೇಕಾದರೆ 3 ಒತ್ತಿ.`,
  holdLost: "ಕ್ಷಮಿಸಿ, ಆ ಟೈಮ್ ಈಗ ಸಿಗುತ್ತಿಲ್ಲ.",
  noSlots: (horizonDays) => `ಕ್ಷಮಿಸಿ, ಮುಂದಿನ ${horizonDays} ದಿನ ಯಾವ ಟೈಮ್ ಕೂಡ ಖಾಲಿ ಇಲ್ಲ. ಬೇರೆ ಆರಿಸಲು 3 ಒತ್ತಿ, ಇಲ್ಲದಿದ್ದರೆ ಆಮೇಲೆ ಕಾಲ್ ಮಾಡಿ.`,
  noLaterSlots: "ಕ್ಷಮಿಸಿ, ಇದರ ನಂತರ ಯಾವ ಟೈಮ್ ಕೂಡ ಖಾಲಿ ಇಲ್ಲ. ಮೊದಲ ಟೈಮ್ ಮತ್ತೆ ಕೇಳಲು 2 ಒತ್ತಿ. ಮೊದಲಿನಿಂದ ಶುರು ಮಾಡಲು 3 ಒತ್ತಿ.",
  noDoctors: "ಕ್ಷಮಿಸಿ, ಈ ಕ್ಲಿನಿಕ್‌ನಲ್ಲಿ ಫೋನ್‌ನಲ್ಲಿ ಬುಕಿಂಗ್ ತೆಗೆದುಕೊಳ್ಳುವ ಡಾಕ್ಟರ್ ಯಾರೂ ಇಲ್ಲ. ಬೇರೆ ಕ್ಲಿನಿಕ್ ಆರಿಸಿ.",
  noDoctorsAtAll: "ಕ್ಷಮಿಸಿ, ಈಗ ಫೋನ್‌ನಲ್ಲಿ ಬುಕಿಂಗ್ ತೆಗೆದುಕೊಳ್ಳುವ ಡಾಕ್ಟರ್ ಯಾರೂ ಇಲ್ಲ. ಆಮೇಲೆ ಕಾಲ್ ಮಾಡಿ. ಧನ್ಯವಾದ.",
  booked: (s) =>
    `${s.doctor} ಅವರ ಹತ್ತಿರ ${s.when} ನಿಮ್ಮ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಬುಕ್ ಆಗಿದೆ. ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್ ${s.token}. ಇನ್ನೊಮ್ಮೆ, ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್ ${s.token}.`,
  textWillFollow: "ಇದರ ಮೆಸೇಜ್ ನಿಮ್ಮ ಫೋನ್‌ಗೆ ಬರುತ್ತದೆ.",
  noTextToThisNumber: "ಈ ನಂಬರ್‌ಗೆ ನಾವು ಮೆಸೇಜ್ ಕಳಿಸಲು ಆಗುವುದಿಲ್ಲ. ಅದಕ್ಕೆ ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್ ಈಗಲೇ ಬರೆದುಕೊಳ್ಳಿ.",
  hearTokenAgain: "ಟೋಕನ್ ನಂಬರ್ ಮತ್ತೆ ಕೇಳಲು ಸ್ಟಾರ್ ಒತ್ತಿ.",
  tokenAgain: (token) => `ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್ ${token}.`,
  noCallerIdWelcome:
    "ನಮಸ್ಕಾರ. ಇದು ಕ್ಲಿನಿಕ್ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಲೈನ್. ಕ್ಷಮಿಸಿ, ನಿಮ್ಮ ಫೋನ್ ನಂಬರ್ ನಮಗೆ ಕಾಣಿಸುತ್ತಿಲ್ಲ. ಬುಕ್ ಮಾಡಲು ಮತ್ತು ಟೋಕನ್ ಕಳಿಸಲು ಅದು ಬೇಕು. ನಂಬರ್ ಮುಚ್ಚಿಡದೆ ಮತ್ತೆ ಕಾಲ್ ಮಾಡಿ. ಧನ್ಯವಾದ.",
  noCallerId: "ಕ್ಷಮಿಸಿ, ನಿಮ್ಮ ಫೋನ್ ನಂಬರ್ ಇಲ್ಲದೆ ಬುಕ್ ಮಾಡಲು ಆಗುವುದಿಲ್ಲ. ನಂಬರ್ ಮುಚ್ಚಿಡದೆ ಮತ್ತೆ ಕಾಲ್ ಮಾಡಿ. ಧನ್ಯವಾದ.",
  tooManyAppointments: (limit) =>
    `ಕ್ಷಮಿಸಿ, ಈ ಫೋನ್ ನಂಬರ್‌ನಲ್ಲಿ ಈಗಾಗಲೇ ${limit} ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಇವೆ, ಇದಕ್ಕಿಂತ ಜಾಸ್ತಿ ಬುಕ್ ಮಾಡಲು ಆಗುವುದಿಲ್ಲ. ಒಂದನ್ನು ಕ್ಯಾನ್ಸಲ್ ಮಾಡಲು ಈ ನಂಬರ್‌ಗೆ ಮತ್ತೆ ಕಾಲ್ ಮಾಡಿ, ಕ್ಯಾನ್ಸಲ್ ಆರಿಸಿ. ಧನ್ಯವಾದ.`,
  sameTimeTaken: "ಈ ಫೋನ್ ನಂಬರ್‌ಗೆ ಅದೇ ಟೈಮ್‌ನಲ್ಲಿ ಈಗಾಗಲೇ ಒಂದು ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಇದೆ. ಮುಂದಿನ ಟೈಮ್ ಕೇಳಲು 2 ಒತ್ತಿ.",
  reasonAskBySpeech: "ಡಾಕ್ಟರ್‌ಗೆ ಮೊದಲೇ ಗೊತ್ತಿರಲಿ ಅಂತ, ನಿಮಗೆ ಏನು ತೊಂದರೆ ಇದೆ ಅಂತ ಸ್ವಲ್ಪದರಲ್ಲಿ ಹೇಳಿ. ಹೇಳಲು ಬೇಡವಾದರೆ ಹ್ಯಾಶ್ ಒತ್ತಿ.",
  reasonAskByRecording: "ಬೀಪ್ ಸೌಂಡ್ ಆದ ಮೇಲೆ, ನಿಮಗೆ ಏನು ತೊಂದರೆ ಇದೆ ಅಂತ ಸ್ವಲ್ಪದರಲ್ಲಿ ಹೇಳಿ, ಆಮೇಲೆ ಹ್ಯಾಶ್ ಒತ್ತಿ. ಹೇಳಲು ಬೇಡವಾದರೆ ಏನೂ ಮಾತಾಡಬೇಡಿ.",
  reasonThanks: "ಧನ್ಯವಾದ. ಡಾಕ್ಟರ್‌ಗೆ ಇದನ್ನು ಬರೆದಿಟ್ಟಿದ್ದೇವೆ.",
  reasonEmergency:
    "ಇದು ಇಮರ್ಜೆನ್ಸಿ ಆಗಿರಬಹುದು. ತಕ್ಷಣ 108 ನಂಬರ್‌ಗೆ ಕಾಲ್ ಮಾಡಿ ಆಂಬುಲೆನ್ಸ್ ಕರೆಸಿ, ಇಲ್ಲದಿದ್ದರೆ ಈಗಲೇ ಹತ್ತಿರದ ಆಸ್ಪತ್ರೆಯ ಇಮರ್ಜೆನ್ಸಿಗೆ ಹೋಗಿ. ಅಪಾಯಿಂಟ್ಮೆಂಟ್‌ಗೆ ಕಾಯಬೇಡಿ.",
  reasonIfEmergency: "ಇದು ಇಮರ್ಜೆನ್ಸಿ ಆಗಿದ್ದರೆ, ತಕ್ಷಣ 108 ನಂಬರ್‌ಗೆ ಕಾಲ್ ಮಾಡಿ ಆಂಬುಲೆನ್ಸ್ ಕರೆಸಿ, ಇಲ್ಲದಿದ್ದರೆ ಹತ್ತಿರದ ಆಸ್ಪತ್ರೆಯ ಇಮರ್ಜೆನ್ಸಿಗೆ ಹೋಗಿ.",
  goodbyeAfterRetries:
    "ಕ್ಷಮಿಸಿ, ನಿಮ್ಮ ಉತ್ತರ ನಮಗೆ ಸಿಗಲಿಲ್ಲ. ಯಾವಾಗ ಬೇಕಾದರೂ ಮತ್ತೆ ಕಾಲ್ ಮಾಡಿ. ನಿಮ್ಮ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಕೂಡ ಕಾಲ್‌ನಲ್ಲೇ ಕೇಳಬಹುದು. ಧನ್ಯವಾದ.",
  goodbye: "ಕಾಲ್ ಮಾಡಿದ್ದಕ್ಕೆ ಧನ್ಯವಾದ.",
  apology: "ಕ್ಷಮಿಸಿ, ನಮ್ಮ ಕಡೆಯಿಂದ ಏನೋ ತೊಂದರೆ ಆಯಿತು, ನಿಮ್ಮ ಕೆಲಸ ಆಗಲಿಲ್ಲ. ಸ್ವಲ್ಪ ಹೊತ್ತು ಬಿಟ್ಟು ಮತ್ತೆ ಕಾಲ್ ಮಾಡಿ. ಧನ್ಯವಾದ.",
  when: (d, minute) => `${day(d)} ${clock(minute, "at")}`,
  spokenToken: (token) => spellToken(token, (letter) => LETTERS[letter] ?? letter),
  receptionHint: "ರಿಸೆಪ್ಷನ್ ಜೊತೆ ಮಾತಾಡಲು 0 ಒತ್ತಿ.",
  connectingReception: (clinic) => `${clinic} ರಿಸೆಪ್ಷನ್‌ಗೆ ಕಾಲ್ ಕನೆಕ್ಟ್ ಮಾಡುತ್ತಿದ್ದೇವೆ. ಸ್ವಲ್ಪ ಕಾಯಿರಿ.`,
  receptionClosed: (hours) => `ರಿಸೆಪ್ಷನ್ ಈಗ ಮುಚ್ಚಿದೆ. ಅದು ${hours} ತೆರೆದಿರುತ್ತದೆ.`,
  receptionNoAnswer: (hours) => `ಕ್ಷಮಿಸಿ, ರಿಸೆಪ್ಷನ್‌ನಲ್ಲಿ ಯಾರೂ ಕಾಲ್ ತೆಗೆಯಲಿಲ್ಲ. ಅದು ${hours} ತೆರೆದಿರುತ್ತದೆ.`,
  openingHours: (from, to, opens, closes) =>
    `${WEEKDAYS[from]}ದಿಂದ ${WEEKDAYS[to]}ದವರೆಗೆ, ${clock(opens, "from")} ${clock(closes, "until")}`,
  otherTimes: (withPrevious) =>
    `${withPrevious ? "ಹಿಂದಿನ ಟೈಮ್‌ಗೆ 1 ಒತ್ತಿ. " : ""}ಬೇರೆ ದಿನಕ್ಕೆ 2 ಒತ್ತಿ. ಬೆಳಿಗ್ಗೆಯ ಟೈಮ್‌ಗೆ 3 ಒತ್ತಿ. ಮಧ್ಯಾಹ್ನ ಅಥವಾ ಸಂಜೆಯ ಟೈಮ್‌ಗೆ 4 ಒತ್ತಿ.`,
  askDay:
    "ಇವತ್ತಿಗೆ 1, ನಾಳೆಗೆ 2 ಒತ್ತಿ, ಆಮೇಲೆ ಹ್ಯಾಶ್ ಒತ್ತಿ. ಬೇರೆ ದಿನ ಬೇಕಾದರೆ ತಾರೀಖನ್ನು ಎರಡು ಅಂಕಿಯಲ್ಲಿ ಒತ್ತಿ, ಆಮೇಲೆ ಹ್ಯಾಶ್. 5ನೇ ತಾರೀಖು ಬೇಕಾದರೆ 0 5 ಹ್ಯಾಶ್ ಒತ್ತಿ.",
  notADay: "ಕ್ಷಮಿಸಿ, ಆ ತಾರೀಖು ಸರಿ ಇಲ್ಲ.",
  dayPassed: "ಕ್ಷಮಿಸಿ, ಆ ದಿನ ಈಗಾಗಲೇ ಕಳೆದು ಹೋಗಿದೆ.",
  dayTooFar: (horizonDays) => `ಕ್ಷಮಿಸಿ, ಮುಂದಿನ ${horizonDays} ದಿನದ ಒಳಗೆ ಮಾತ್ರ ಬುಕ್ ಮಾಡಬಹುದು.`,
  noTimeOn: (d) => `ಕ್ಷಮಿಸಿ, ${day(d)} ಯಾವ ಟೈಮ್ ಕೂಡ ಖಾಲಿ ಇಲ್ಲ.`,
  noMorningOn: (d) => `ಕ್ಷಮಿಸಿ, ${day(d)} ಬೆಳಿಗ್ಗೆ ಯಾವ ಟೈಮ್ ಕೂಡ ಖಾಲಿ ಇಲ್ಲ.`,
  noAfternoonOn: (d) => `ಕ್ಷಮಿಸಿ, ${day(d)} ಮಧ್ಯಾಹ್ನ ಅಥವಾ ಸಂಜೆ ಯಾವ ಟೈಮ್ ಕೂಡ ಖಾಲಿ ಇಲ್ಲ.`,
  noEarlierTime: "ಇದಕ್ಕಿಂತ ಹಿಂದಿನ ಟೈಮ್ ಇಲ್ಲ.",
  nextAppointment: (a, count) =>
    count === 1
      ? `${a.clinic}, ${a.doctor} ಅವರ ಹತ್ತಿರ ${a.when} ನಿಮಗೆ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಇದೆ. ನಿಮ್ಮ ಟೋಕನ್ ನಂಬರ್ ${a.token}.`
      : `ನಿಮಗೆ ${count} ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಇವೆ. ಮೊದಲನೆಯದು ${a.clinic}, ${a.doctor} ಅವರ ಹತ್ತಿರ ${a.when}. ಟೋಕನ್ ನಂಬರ್ ${a.token}.`,
  returningChoices:
    "ನಿಮ್ಮ ಎಲ್ಲಾ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಕೇಳಲು 1 ಒತ್ತಿ. ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಕ್ಯಾನ್ಸಲ್ ಮಾಡಲು 2 ಒತ್ತಿ. ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಟೈಮ್ ಬದಲಾಯಿಸಲು 3 ಒತ್ತಿ. ಹೊಸ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಬುಕ್ ಮಾಡಲು 4 ಒತ್ತಿ.",
  appointmentLine: (n, a) => `ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ${n}: ${a.clinic}, ${a.doctor} ಅವರ ಹತ್ತಿರ ${a.when}. ಟೋಕನ್ ನಂಬರ್ ${a.token}.`,
  appointmentName: (doctor, when) => `${when} ${doctor} ಅವರ ಹತ್ತಿರದ ಅಪಾಯಿಂಟ್ಮೆಂಟ್`,
  whichToCancel: "ಯಾವ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಕ್ಯಾನ್ಸಲ್ ಮಾಡಬೇಕು?",
  whichToMove: "ಯಾವ ಅಪಾಯಿಂಟ್ಮೆಂಟ್‌ನ ಟೈಮ್ ಬದಲಾಯಿಸಬೇಕು?",
  confirmCancel: (a) => `${a.when} ${a.doctor} ಅವರ ಹತ್ತಿರದ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಕ್ಯಾನ್ಸಲ್ ಮಾಡಲು 1 ಒತ್ತಿ. ಅದನ್ನು ಹಾಗೆಯೇ ಇಡಲು 2 ಒತ್ತಿ.`,
  cancelledByCall: (a) =>
    `${a.clinic}, ${a.doctor} ಅವರ ಹತ್ತಿರ ${a.when} ಇದ್ದ ಅಪಾಯಿಂಟ್ಮೆಂಟ್, ಟೋಕನ್ ನಂಬರ್ ${a.token}, ಕ್ಯಾನ್ಸಲ್ ಆಗಿದೆ. ಆ ಟೈಮ್ ಈಗ ಬೇರೆಯವರಿಗೆ ಸಿಗುತ್ತದೆ. ಇದರ ಮೆಸೇಜ್ ನಿಮಗೆ ಬರುತ್ತದೆ.`,
  appointmentKept: "ನಿಮ್ಮ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಹಾಗೆಯೇ ಇದೆ.",
  appointmentGone: "ಕ್ಷಮಿಸಿ, ಆ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಈಗ ಇಲ್ಲ.",
  limitReachedMenu: (limit) =>
    `ಈ ಫೋನ್ ನಂಬರ್‌ನಲ್ಲಿ ಈಗಾಗಲೇ ${limit} ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಇವೆ, ಇದಕ್ಕಿಂತ ಜಾಸ್ತಿ ಆಗುವುದಿಲ್ಲ. ಹೊಸದು ಬುಕ್ ಮಾಡಲು ಮೊದಲು ಒಂದನ್ನು ಕ್ಯಾನ್ಸಲ್ ಮಾಡಿ.`,
  moveOffer: (s) =>
    `${s.when} ${s.doctor} ಅವರ ಹತ್ತಿರ ಟೈಮ್ ಖಾಲಿ ಇದೆ. ನಿಮ್ಮ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಈ ಟೈಮ್‌ಗೆ ಬದಲಾಯಿಸಲು 1 ಒತ್ತಿ. ಮುಂದಿನ ಟೈಮ್ ಕೇಳಲು 2 ಒತ್ತಿ. ಬೇರೆ ಟೈಮ್ ಅಥವಾ ಬೇರೆ ದಿನ ಬೇಕಾದರೆ 3 ಒತ್ತಿ. ಈಗಿರುವ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಹಾಗೆಯೇ ಇಡಲು 4 ಒತ್ತಿ.`,
  moveAnyDoctor: (specialization, key) => `ಈ ಕ್ಲಿನಿಕ್‌ನ ${specialization} ಯಾರ ಹತ್ತಿರವಾದರೂ ಮೊದಲು ಸಿಗುವ ಟೈಮ್ ಕೇಳಲು ${key} ಒತ್ತಿ.`,
  moved: (s) =>
    `ನಿಮ್ಮ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಈಗ ${s.doctor} ಅವರ ಹತ್ತಿರ ${s.when} ಬದಲಾಗಿದೆ. ನಿಮ್ಮ ಹೊಸ ಟೋಕನ್ ನಂಬರ್ ${s.token}. ಇನ್ನೊಮ್ಮೆ, ಹೊಸ ಟೋಕನ್ ನಂಬರ್ ${s.token}. ಹಳೆಯ ಟೈಮ್ ಈಗ ಬೇರೆಯವರಿಗೆ ಸಿಗುತ್ತದೆ. ಇದರ ಮೆಸೇಜ್ ನಿಮಗೆ ಬರುತ್ತದೆ.`,
  notMoved: (a) => `ಕ್ಷಮಿಸಿ, ನಿಮ್ಮ ಅಪಾಯಿಂಟ್ಮೆಂಟ್ ಬದಲಾಯಿಸಲು ಆಗಲಿಲ್ಲ. ಅದು ಈಗಲೂ ${a.when} ${a.doctor} ಅವರ ಹತ್ತಿರವೇ ಇದೆ.`,
  joinWaitlistHint: "ಟೈಮ್ ಖಾಲಿ ಆದಾಗ ತಿಳಿಸಬೇಕಾದರೆ, ವೇಟಿಂಗ್ ಲಿಸ್ಟ್‌ಗೆ ಸೇರಲು 5 ಒತ್ತಿ.",
  waitForDayHint: (d) => `${day(d)} ಟೈಮ್ ಖಾಲಿ ಆದಾಗ ತಿಳಿಸಬೇಕಾದರೆ, ವೇಟಿಂಗ್ ಲಿಸ್ಟ್‌ಗೆ ಸೇರಲು 5 ಒತ್ತಿ.`,
  joinedWaitlist: (minutes) =>
    `ನಿಮ್ಮನ್ನು ವೇಟಿಂಗ್ ಲಿಸ್ಟ್‌ಗೆ ಸೇರಿಸಿದ್ದೇವೆ. ಟೈಮ್ ಖಾಲಿ ಆದಾಗ ಅದನ್ನು ${minutes} ನಿಮಿಷದವರೆಗೆ ನಿಮಗಾಗಿ ಇಟ್ಟು, ಮೆಸೇಜ್ ಕಳಿಸುತ್ತೇವೆ. ಆಗ ಈ ನಂಬರ್‌ಗೆ ಕಾಲ್ ಮಾಡಿ 1 ಒತ್ತಿ. ಧನ್ಯವಾದ.`,
  waitlistOffer: (s) =>
    `${s.when} ${s.doctor} ಅವರ ಹತ್ತಿರದ ಟೈಮ್ ${clock(s.until, "until")} ನಿಮಗಾಗಿ ಇಟ್ಟಿದ್ದೇವೆ. ಅದನ್ನು ತೆಗೆದುಕೊಳ್ಳಲು 1 ಒತ್ತಿ. ಮುಂದಿನವರಿಗೆ ಬಿಟ್ಟುಕೊಡಲು 2 ಒತ್ತಿ.`,
  waitlistPassed: "ಆ ಟೈಮ್ ಮುಂದಿನವರಿಗೆ ಹೋಯಿತು. ನೀವು ವೇಟಿಂಗ್ ಲಿಸ್ಟ್‌ನಲ್ಲೇ ಇದ್ದೀರಿ.",
  speech: {
    numbers: [
      ["ಸೊನ್ನೆ", "ಶೂನ್ಯ", "sonne"],
      ["ಒಂದು", "ಒಂದನೇ", "ಮೊದಲನೇ", "ಮೊದಲನೆಯ", "ಮೊದಲ", "ondu"],
      ["ಎರಡು", "ಎರಡನೇ", "ಎರಡನೆಯ", "eradu"],
      ["ಮೂರು", "ಮೂರನೇ", "ಮೂರನೆಯ", "mooru"],
      ["ನಾಲ್ಕು", "ನಾಲ್ಕನೇ", "ನಾಲ್ಕನೆಯ", "naalku"],
      ["ಐದು", "ಐದನೇ", "ಐದನೆಯ", "aidu"],
      ["ಆರು", "ಆರನೇ", "ಆರನೆಯ", "aaru"],
      ["ಏಳು", "ಏಳನೇ", "ಏಳನೆಯ", "elu"],
      ["ಎಂಟು", "ಎಂಟನೇ", "ಎಂಟನೆಯ", "entu"],
      ["ಒಂಬತ್ತು", "ಒಂಬತ್ತನೇ", "ಒಂಬತ್ತನೆಯ", "ombattu"],
    ],
    yes: ["ಹೌದು", "ಹೂಂ", "ಸರಿ", "ಆಗಲಿ", "ಓಕೆ", "ಬುಕ್ ಮಾಡಿ", "haudu", "sari"],
    no: ["ಬೇಡ", "ಇಲ್ಲ", "ಬೇರೆ ಸಮಯ", "ಮುಂದಿನದು", "beda", "illa"],
    restart: ["ಮತ್ತೆ ಆರಂಭಿಸಿ", "ಮೊದಲಿನಿಂದ", "ಮೊದಲಿಂದ"],
    repeat: ["ಮತ್ತೆ ಹೇಳಿ", "ಇನ್ನೊಮ್ಮೆ ಹೇಳಿ", "ಮತ್ತೊಮ್ಮೆ", "ಇನ್ನೊಮ್ಮೆ", "ಪುನಃ"],
    languageNames: ["ಕನ್ನಡ", "kannada", "कन्नड़", "कन्नड"],
  },
};
