/**
 * Every catalogue entry filled with example values: what docs/prompts.md shows side by side
 * and what the catalogue tests compare across languages. Typed over the Catalogue, so a new
 * entry without an example here does not compile.
 */
import type { Catalogue, SmsAppointment } from "../src/words/index.ts";

type Entry = Exclude<keyof Catalogue, "language" | "voice" | "speech">;

const CLINIC: Record<Catalogue["language"], string> = {
  kn: "ಹಂಪನಕಟ್ಟೆ ಫ್ಯಾಮಿಲಿ ಕ್ಲಿನಿಕ್",
  en: "Hampankatta Family Clinic",
  hi: "हंपनकट्टा फ़ैमिली क्लिनिक",
};
const SPECIALITY: Record<Catalogue["language"], string> = {
  kn: "ಮಕ್ಕಳ ವೈದ್ಯರು",
  en: "Paediatrics",
  hi: "बाल रोग विशेषज्ञ",
};
const DOCTOR = "Dr. Kavya Shetty";
const LINE = "+918242440001";

function appointment(w: Catalogue): SmsAppointment {
  return { token: "KS-2", doctor: DOCTOR, clinic: CLINIC[w.language], when: "25-11-2026 09:15" };
}

/** For each entry, the example texts in order (a function entry may show several calls). */
export const SAMPLES: Record<Entry, (w: Catalogue) => string[]> = {
  name: (w) => [w.name],
  chooseLanguage: (w) => [w.chooseLanguage("1")],
  switchLanguage: (w) => [w.switchLanguage("0")],
  welcome: (w) => [w.welcome],
  repeatHint: (w) => [w.repeatHint],
  choose: (w) => [w.choose(CLINIC[w.language], "1")],
  moreChoices: (w) => [w.moreChoices("9")],
  previousChoices: (w) => [w.previousChoices("0")],
  onlyChoice: (w) => [w.onlyChoice(w.level.clinic, CLINIC[w.language])],
  chooseState: (w) => [w.chooseState],
  chooseDistrict: (w) => [w.chooseDistrict],
  chooseClinic: (w) => [w.chooseClinic],
  chooseSpecialization: (w) => [w.chooseSpecialization],
  chooseDoctor: (w) => [w.chooseDoctor],
  level: (w) => Object.values(w.level),
  bookingType: (w) => [w.bookingType(CLINIC[w.language])],
  anyDoctorOf: (w) => [w.anyDoctorOf(SPECIALITY[w.language])],
  notAChoice: (w) => [w.notAChoice],
  noInput: (w) => [w.noInput],
  notUnderstood: (w) => [w.notUnderstood],
  offer: (w) => [w.offer({ doctor: DOCTOR, when: w.when({ kind: "today" }, 9 * 60 + 15) })],
  holdLost: (w) => [w.holdLost],
  noSlots: (w) => [w.noSlots(30)],
  noLaterSlots: (w) => [w.noLaterSlots],
  noDoctors: (w) => [w.noDoctors],
  noDoctorsAtAll: (w) => [w.noDoctorsAtAll],
  booked: (w) => [
    w.booked({ doctor: DOCTOR, when: w.when({ kind: "tomorrow" }, 16 * 60 + 30), token: w.spokenToken("KS-2") }),
  ],
  textWillFollow: (w) => [w.textWillFollow],
  noTextToThisNumber: (w) => [w.noTextToThisNumber],
  hearTokenAgain: (w) => [w.hearTokenAgain],
  tokenAgain: (w) => [w.tokenAgain(w.spokenToken("KS-2"))],
  noCallerIdWelcome: (w) => [w.noCallerIdWelcome],
  noCallerId: (w) => [w.noCallerId],
  tooManyAppointments: (w) => [w.tooManyAppointments(4)],
  sameTimeTaken: (w) => [w.sameTimeTaken],
  reasonAskBySpeech: (w) => [w.reasonAskBySpeech],
  reasonAskByRecording: (w) => [w.reasonAskByRecording],
  reasonThanks: (w) => [w.reasonThanks],
  reasonEmergency: (w) => [w.reasonEmergency],
  reasonIfEmergency: (w) => [w.reasonIfEmergency],
  goodbyeAfterRetries: (w) => [w.goodbyeAfterRetries],
  goodbye: (w) => [w.goodbye],
  apology: (w) => [w.apology],
  when: (w) => [
    w.when({ kind: "today" }, 9 * 60),
    w.when({ kind: "today" }, 10 * 60 + 15),
    w.when({ kind: "tomorrow" }, 13 * 60 + 45),
    w.when({ kind: "date", date: "2026-11-27" }, 16 * 60 + 30),
  ],
  spokenToken: (w) => [w.spokenToken("KS-2"), w.spokenToken("FB-14")],
  smsBooked: (w) => [w.smsBooked(appointment(w))],
  smsCancelled: (w) => [w.smsCancelled(appointment(w))],
  smsCancelledByClinic: (w) => [w.smsCancelledByClinic(appointment(w))],
  smsMovedByClinic: (w) => [w.smsMovedByClinic(appointment(w), "KS-8")],
  smsMovedForYou: (w) => [w.smsMovedForYou(appointment(w), "KS-8")],
  smsNothingToCancel: (w) => [w.smsNothingToCancel],
  smsTokenNotFound: (w) => [w.smsTokenNotFound("KS-9")],
  smsUpcoming: (w) => [w.smsUpcoming(appointment(w), 1, 2)],
  smsNoUpcoming: (w) => [w.smsNoUpcoming(LINE)],
  smsHelp: (w) => [w.smsHelp(LINE)],
  smsUnknownSender: (w) => [w.smsUnknownSender],
  smsApology: (w) => [w.smsApology],
  smsAccount: (w) => [
    w.smsAccount("+919876543210", "Ab3dE6gH9k"),
    w.smsAccount("+919876543210", "Ab3dE6gH9k", "https://line.example.in/me"),
  ],
  smsEmergencyAdvice: (w) => [w.smsEmergencyAdvice],
};

/** The words a caller may say, per entry of `speech`. */
export function speechSamples(w: Catalogue): Record<string, string> {
  const { numbers, ...rest } = w.speech;
  return {
    ...Object.fromEntries(numbers.map((forms, n) => [`number ${n}`, forms.join(", ")])),
    ...Object.fromEntries(Object.entries(rest).map(([key, forms]) => [key, forms.join(", ")])),
  };
}
