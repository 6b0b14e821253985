/**
 * Every catalogue entry filled with example values: what docs/prompts.md shows side by side
 * and what the catalogue tests compare across languages. Typed over the Catalogue, so a new
 * entry without an example here does not compile.
 */
import type { Catalogue, SpokenAppointment } from "../src/words/index.ts";
import { MORE_KEY } from "../src/ivr/menu.ts";
import { ANY_DOCTOR_KEY } from "../src/ivr/steps.ts";

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

/** For each entry, the example texts in order (a function entry may show several calls). */
export const SAMPLES: Record<Entry, (w: Catalogue) => string[]> = {
  name: (w) => [w.name],
  chooseLanguage: (w) => [w.chooseLanguage("1")],
  switchLanguage: (w) => [w.switchLanguage],
  welcome: (w) => [w.welcome],
  repeatHint: (w) => [w.repeatHint],
  choose: (w) => [w.choose(CLINIC[w.language], "1")],
  moreChoices: (w) => [w.moreChoices(MORE_KEY)],
  firstChoices: (w) => [w.firstChoices(MORE_KEY)],
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
  receptionHint: (w) => [w.receptionHint],
  connectingReception: (w) => [w.connectingReception(CLINIC[w.language])],
  receptionClosed: (w) => [w.receptionClosed(w.openingHours(1, 6, 8 * 60 + 30, 18 * 60))],
  receptionNoAnswer: (w) => [w.receptionNoAnswer(w.openingHours(1, 6, 8 * 60 + 30, 18 * 60))],
  openingHours: (w) => [w.openingHours(1, 6, 8 * 60 + 30, 18 * 60), w.openingHours(1, 5, 10 * 60, 13 * 60)],
  otherTimes: (w) => [w.otherTimes(true), w.otherTimes(false)],
  askDay: (w) => [w.askDay],
  notADay: (w) => [w.notADay],
  dayPassed: (w) => [w.dayPassed],
  dayTooFar: (w) => [w.dayTooFar(30)],
  noTimeOn: (w) => [w.noTimeOn({ kind: "tomorrow" }), w.noTimeOn({ kind: "date", date: "2026-11-28" })],
  noMorningOn: (w) => [w.noMorningOn({ kind: "today" })],
  noAfternoonOn: (w) => [w.noAfternoonOn({ kind: "date", date: "2026-11-28" })],
  noEarlierTime: (w) => [w.noEarlierTime],
  nextAppointment: (w) => [w.nextAppointment(spokenAppointment(w), 1), w.nextAppointment(spokenAppointment(w), 3)],
  returningChoices: (w) => [w.returningChoices],
  appointmentLine: (w) => [w.appointmentLine(2, spokenAppointment(w))],
  appointmentName: (w) => [w.choose(w.appointmentName(DOCTOR, w.when({ kind: "tomorrow" }, 9 * 60 + 15)), "1")],
  whichToCancel: (w) => [w.whichToCancel],
  whichToMove: (w) => [w.whichToMove],
  confirmCancel: (w) => [w.confirmCancel({ doctor: DOCTOR, when: w.when({ kind: "tomorrow" }, 9 * 60 + 15) })],
  cancelledByCall: (w) => [w.cancelledByCall(spokenAppointment(w))],
  appointmentKept: (w) => [w.appointmentKept],
  reminderCall: (w) => [w.reminderCall(spokenAppointment(w))],
  reminderChoices: (w) => [w.reminderChoices],
  reminderConfirmed: (w) => [w.reminderConfirmed],
  reminderCallsStopped: (w) => [w.reminderCallsStopped],
  appointmentGone: (w) => [w.appointmentGone],
  limitReachedMenu: (w) => [w.limitReachedMenu(4)],
  moveOffer: (w) => [w.moveOffer({ doctor: DOCTOR, when: w.when({ kind: "date", date: "2026-11-27" }, 10 * 60) })],
  moveAnyDoctor: (w) => [w.moveAnyDoctor(SPECIALITY[w.language], ANY_DOCTOR_KEY)],
  moved: (w) => [
    w.moved({ doctor: DOCTOR, when: w.when({ kind: "tomorrow" }, 16 * 60 + 30), token: w.spokenToken("KS-31") }),
  ],
  notMoved: (w) => [w.notMoved({ doctor: DOCTOR, when: w.when({ kind: "tomorrow" }, 9 * 60 + 15) })],
  joinWaitlistHint: (w) => [w.joinWaitlistHint],
  waitForDayHint: (w) => [
    w.waitForDayHint({ kind: "tomorrow" }),
    w.waitForDayHint({ kind: "date", date: "2026-11-28" }),
  ],
  joinedWaitlist: (w) => [w.joinedWaitlist(15)],
  waitlistOffer: (w) => [
    w.waitlistOffer({ doctor: DOCTOR, when: w.when({ kind: "tomorrow" }, 10 * 60 + 30), until: 9 * 60 + 45 }),
  ],
  waitlistPassed: (w) => [w.waitlistPassed],
};

function spokenAppointment(w: Catalogue): SpokenAppointment {
  return {
    doctor: DOCTOR,
    clinic: CLINIC[w.language],
    when: w.when({ kind: "tomorrow" }, 9 * 60 + 15),
    token: w.spokenToken("KS-2"),
  };
}

/** The words a caller may say, per entry of `speech`. */
export function speechSamples(w: Catalogue): Record<string, string> {
  const { numbers, ...rest } = w.speech;
  return {
    ...Object.fromEntries(numbers.map((forms, n) => [`number ${n}`, forms.join(", ")])),
    ...Object.fromEntries(Object.entries(rest).map(([key, forms]) => [key, forms.join(", ")])),
  };
}
