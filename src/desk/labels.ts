/** Every word the desk shows, in English for now (the languages work moves prompts to src/words/). */
import type { QueueStatus } from "../booking/visit.ts";

export const STATUS_LABEL: Record<QueueStatus, string> = {
  booked: "Booked",
  arrived: "Arrived",
  in_consultation: "In consultation",
  completed: "Done",
  no_show: "No-show",
  cancelled: "Cancelled",
};

/** What the button that moves an appointment to a step says. */
export const STEP_BUTTON: Record<QueueStatus, string> = {
  booked: "Back to booked",
  arrived: "Arrived",
  in_consultation: "In consultation",
  completed: "Done",
  no_show: "No-show",
  cancelled: "Cancel (SMS)",
};

export const SOURCE_LABEL: Record<string, string> = {
  ivr: "Phone",
  sms: "SMS",
  staff: "Desk",
  walk_in: "Walk-in",
};

export const WEEKDAY_LABEL = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

export const labels = {
  product: "Clinic desk",
  signIn: "Sign in",
  signOut: "Sign out",
  username: "Username",
  password: "Password",
  badCredentials: "The username or password is not right.",
  throttled: (minutes: number) =>
    `Too many failed sign-ins. Please wait ${minutes} minute${minutes === 1 ? "" : "s"} and try again.`,
  queue: "Today's queue",
  schedule: "Schedules",
  display: "Token display",
  allDoctors: "All doctors",
  noAppointments: "No appointments today.",
  walkIn: "Walk-in",
  saveNote: "Save note",
  urgent: "Urgent",
  confirmed: "Confirmed",
  unconfirmed: "Unconfirmed",
  confirmedTitle: "The patient pressed 1 on the reminder call",
  smsNotDelivered: "SMS not delivered",
  visitNotes: "Visit notes",
  addVisitNote: "Add visit note",
  visitNoteSaved: "Visit note saved.",
  noVisitNotes: "No visit notes yet.",
  recording: "The patient's recorded reason",
  noteSaved: (token: string) => `Note saved for ${token}.`,
  move: "Move later (SMS)",
  moved: (from: string, to: string, date: string, time: string) =>
    `${from} moved to ${to}, ${date} ${time}; the patient is texted.`,
  moveNotPossible: "Only a booked appointment whose patient has not arrived can be moved.",
  noLaterTime: "The doctor has no free time after this one in the booking horizon.",
  issueWalkIn: "Issue the next token",
  walkInIssued: (token: string, time: string) => `Walk-in token ${token} at ${time}.`,
  walkInDayFull: "No free time is left today for this doctor.",
  walkInNotWorking: "This doctor is not working today.",
  walkInSameTime: "No walk-in time can be given to this phone number today.",
  phone: "Patient's phone",
  badPhone: "Enter the patient's mobile number, e.g. 98450 12345.",
  unknownDoctor: "Choose one of this clinic's doctors.",
  stepDone: (token: string, status: string) => `${token}: ${status}.`,
  stepConflict: "Someone else changed this appointment just now. The queue shows where it is.",
  movedMeanwhile: (token: string, to: { token: string; date: string; time: string }) =>
    `${token} was moved to ${to.token} (${to.date} ${to.time}) just now, so nothing was changed. The patient has been texted the new time; if it should be cancelled, cancel ${to.token}.`,
  forbidden: "You do not have access to this page.",
  notFound: "There is no such page.",
  nowServing: "Now serving",
  next: "Next",
  speak: "Call tokens out loud",
};
