/** English (India), plain and short: the reference wording the other catalogues say in their own way. */
import { formatMinute } from "../slots/calendar.ts";
import { dateParts, spellToken } from "./clock.ts";
import type { Catalogue, SpokenDay } from "./index.ts";
import { DEFAULT_VOICES } from "./voices.ts";

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
const MONTHS = [
  "January",
  "February",
  "March",
  "April",
  "May",
  "June",
  "July",
  "August",
  "September",
  "October",
  "November",
  "December",
];

function day(d: SpokenDay): string {
  if (d.kind === "today") return "today";
  if (d.kind === "tomorrow") return "tomorrow";
  const { day, month, weekday } = dateParts(d.date);
  return `on ${WEEKDAYS[weekday]}, ${day} ${MONTHS[month - 1]}`;
}

export const en: Catalogue = {
  language: "en",
  voice: { voice: DEFAULT_VOICES.en, language: "en-IN" },
  name: "English",
  chooseLanguage: (key) => `For English, press ${key}.`,
  switchLanguage: "For English, press hash.",
  welcome: "Welcome to the clinic appointment line.",
  repeatHint: "To hear the choices again, press star.",
  choose: (name, key) => `For ${name}, press ${key}.`,
  moreChoices: (key) => `For more choices, press ${key}.`,
  firstChoices: (key) => `To hear the choices from the start, press ${key}.`,
  onlyChoice: (what, name) => `The ${what} is ${name}.`,
  chooseState: "Please choose your state.",
  chooseDistrict: "Please choose your district.",
  chooseClinic: "Please choose a clinic.",
  chooseSpecialization: "Please choose the kind of doctor you need.",
  chooseDoctor: "Please choose a doctor.",
  level: { state: "state", district: "district", clinic: "clinic", specialization: "speciality", doctor: "doctor" },
  bookingType: (clinic) =>
    `${clinic}. For the next available doctor, press 1. To choose a doctor by speciality, press 2.`,
  anyDoctorOf: (specialization) => `the earliest available ${specialization} doctor`,
  notAChoice: "Sorry, that is not one of the choices.",
  noInput: "Sorry, we did not hear a choice.",
  notUnderstood: "Sorry, we did not understand that.",
  offer: (s) =>
    `${s.doctor} can see you ${s.when}. To book this time, press 1. To hear the next available time, press 2. For other times and days, press 3.`,
  holdLost: "Sorry, that time is no longer held for you.",
  noSlots: (horizonDays) =>
    `Sorry, there is no free appointment in the next ${horizonDays} days. To choose again, press 3, or please call again later.`,
  noLaterSlots: "Sorry, there are no later times. To hear the earliest time again, press 2. To start again, press 3.",
  noDoctors: "Sorry, no doctor at this clinic is taking bookings by phone. Please choose another clinic.",
  noDoctorsAtAll: "Sorry, no doctor here is taking bookings by phone at the moment. Please call again later. Goodbye.",
  booked: (s) =>
    `Your appointment is booked with ${s.doctor}, ${s.when}. Your token is ${s.token}. Again, your token is ${s.token}.`,
  textWillFollow: "You will receive an SMS with these details.",
  noTextToThisNumber: "We cannot send text messages to this number, so please note your token now.",
  hearTokenAgain: "To hear your token again, press star.",
  tokenAgain: (token) => `Your token is ${token}.`,
  noCallerIdWelcome:
    "Welcome to the clinic appointment line. Sorry, we cannot see your phone number, and we need it to book and to send your token. Please call again without hiding your number. Goodbye.",
  noCallerId: "Sorry, we cannot book without your phone number. Please call again without hiding your number. Goodbye.",
  tooManyAppointments: (limit) =>
    `Sorry, this phone number already has ${limit} upcoming appointments, which is the most we allow. To cancel one, call this number again and choose cancel. Goodbye.`,
  sameTimeTaken: "This phone number already has an appointment at that time. Press 2 to hear the next available time.",
  reasonAskBySpeech:
    "So the doctor knows before you come, please tell us in a few words what the trouble is. To skip this, press the hash key.",
  reasonAskByRecording:
    "After the beep, please tell us in a few words what the trouble is, then press the hash key. To skip this, stay silent.",
  reasonThanks: "Thank you. We have noted it for the doctor.",
  reasonEmergency:
    "This may be an emergency. Please call 1 0 8 for an ambulance now, or go to the nearest hospital emergency department now. Do not wait for your appointment.",
  reasonIfEmergency:
    "If this is an emergency, please call 1 0 8 for an ambulance now, or go to the nearest hospital emergency department.",
  goodbyeAfterRetries:
    "Sorry, we could not get your choice. Please call again at any time: the call also tells you your appointments. Goodbye.",
  goodbye: "Thank you for calling. Goodbye.",
  apology:
    "Sorry, something went wrong on our side and your request was not completed. Please call again in a few minutes. Goodbye.",
  when: (d, minute) => `${day(d)} at ${formatMinute(minute)}`,
  spokenToken: (token) => spellToken(token, (letter) => letter),
  receptionHint: "To speak to the clinic's reception, press 0.",
  connectingReception: (clinic) => `Connecting you to the reception of ${clinic}. Please wait.`,
  receptionClosed: (hours) => `The reception is closed now. It is open ${hours}.`,
  receptionNoAnswer: (hours) => `Sorry, nobody at the reception answered. It is open ${hours}.`,
  openingHours: (from, to, opens, closes) =>
    `${WEEKDAYS[from]} to ${WEEKDAYS[to]}, ${formatMinute(opens)} to ${formatMinute(closes)}`,
  otherTimes: (withPrevious) =>
    `${withPrevious ? "For the previous time, press 1. " : ""}For another day, press 2. For the morning, press 3. For the afternoon or evening, press 4.`,
  askDay:
    "For today, press 1 and then hash. For tomorrow, press 2 and then hash. For another day, enter the day of the month in two digits and then hash, for example 0 5 hash for the 5th.",
  notADay: "Sorry, that is not a day of the month.",
  dayPassed: "Sorry, that day has passed.",
  dayTooFar: (horizonDays) => `Sorry, we can only book up to ${horizonDays} days ahead.`,
  noTimeOn: (d) => `Sorry, there is no free time ${day(d)}.`,
  noMorningOn: (d) => `Sorry, there is no free morning time ${day(d)}.`,
  noAfternoonOn: (d) => `Sorry, there is no free time after 12 noon ${day(d)}.`,
  noEarlierTime: "There is no earlier time to go back to.",
  nextAppointment: (a, count) =>
    count === 1
      ? `You have an appointment with ${a.doctor} at ${a.clinic}, ${a.when}. Your token is ${a.token}.`
      : `You have ${count} upcoming appointments. The next one is with ${a.doctor} at ${a.clinic}, ${a.when}, token ${a.token}.`,
  returningChoices:
    "To hear all your appointments, press 1. To cancel an appointment, press 2. To move an appointment to another time, press 3. To book a new appointment, press 4.",
  appointmentLine: (n, a) => `Appointment ${n}: ${a.doctor} at ${a.clinic}, ${a.when}, token ${a.token}.`,
  appointmentName: (doctor, when) => `${doctor}, ${when}`,
  whichToCancel: "Which appointment do you want to cancel?",
  whichToMove: "Which appointment do you want to move?",
  confirmCancel: (a) => `To cancel your appointment with ${a.doctor}, ${a.when}, press 1. To keep it, press 2.`,
  cancelledByCall: (a) =>
    `Your appointment with ${a.doctor} at ${a.clinic}, ${a.when}, token ${a.token}, is cancelled. That time is now free for others. You will receive an SMS.`,
  appointmentKept: "Your appointment stays as it is.",
  appointmentGone: "Sorry, that appointment is no longer booked.",
  limitReachedMenu: (limit) =>
    `This phone number already has ${limit} upcoming appointments, the most we allow. To book another, first cancel one.`,
  moveOffer: (s) =>
    `${s.doctor} can see you ${s.when}. To move your appointment to this time, press 1. To hear the next available time, press 2. For other times and days, press 3. To keep your appointment as it is, press 4.`,
  moveAnyDoctor: (specialization, key) =>
    `To hear the earliest time with any ${specialization} doctor of this clinic, press ${key}.`,
  moved: (s) =>
    `Your appointment is moved to ${s.doctor}, ${s.when}. Your new token is ${s.token}. Again, your new token is ${s.token}. Your old time is now free for others. You will receive an SMS with these details.`,
  notMoved: (a) => `Sorry, your appointment could not be moved. It is still with ${a.doctor}, ${a.when}.`,
  reminderCall: (a) =>
    `Hello. This is a reminder of your appointment with ${a.doctor} at ${a.clinic}, ${a.when}. Your token is ${a.token}.`,
  reminderChoices:
    "To confirm that you will come, press 1. To cancel it, press 2. To move it to another time, press 3. To stop these calls, press 9.",
  reminderConfirmed: "Thank you. Your appointment is confirmed. Goodbye.",
  reminderCallsStopped: "You will get no more reminder calls. You will still get a reminder SMS. Goodbye.",
  joinWaitlistHint: "To join the waiting list, and be told when a time frees, press 5.",
  waitForDayHint: (d) => `To wait for a time ${day(d)} instead, press 5.`,
  joinedWaitlist: (minutes) =>
    `You are on the waiting list. When a time frees, we hold it for you for ${minutes} minutes and send you an SMS. Then call this number and press 1 to take it. Goodbye.`,
  waitlistOffer: (s) =>
    `A time with ${s.doctor}, ${s.when}, is held for you until ${formatMinute(s.until)}. To take it, press 1. To pass it to the next person, press 2.`,
  waitlistPassed: "The time is passed to the next person. You stay on the waiting list.",
  speech: {
    numbers: [
      ["zero"],
      ["one", "first"],
      ["two", "second"],
      ["three", "third"],
      ["four", "fourth"],
      ["five", "fifth"],
      ["six", "sixth"],
      ["seven", "seventh"],
      ["eight", "eighth"],
      ["nine", "ninth"],
    ],
    yes: ["yes", "yeah", "yep", "ok", "okay", "sure", "book", "book it", "confirm"],
    no: ["no", "nope", "next", "next time", "another time", "later"],
    restart: ["start again", "restart", "start over", "main menu"],
    repeat: ["repeat", "again", "say again", "say that again", "once more", "pardon"],
    languageNames: ["english", "angrezi", "अंग्रेज़ी", "अंग्रेजी", "ಇಂಗ್ಲಿಷ್"],
  },
};
