/** English SMS templates (GSM-7: 153 characters a part). Fixed text, exactly as registered on DLT. */
import { clockTime } from "./clock.ts";
import type { SmsLanguage } from "./kinds.ts";

export const en: SmsLanguage = {
  time: (minute) => `${clockTime(minute)} ${minute < 12 * 60 ? "AM" : "PM"}`,
  samples: { clinic: "Puttur Town Clinic" },
  texts: {
    booked:
      "Token {token}: booked with {doctor}, {clinic}, on {date} at {time}. To cancel or move it, call {phone}. The phone menu does everything.",
    bookedReply: "Token {token}: booked with {doctor}, {clinic}, on {date} at {time}. To cancel, reply CANCEL {token}.",
    cancelled: "Token {token} is cancelled: {doctor}, {clinic}, on {date} at {time}. The time is now free for others.",
    cancelledByClinic:
      "Token {token} is cancelled by the clinic, sorry: {doctor}, {clinic}, on {date} at {time}. To book a new time, call {phone}.",
    cancelledForLeave:
      "Token {token} is cancelled, sorry: {doctor} is on leave on {date}. It was at {clinic} at {time}. To book a new time, call {phone}.",
    moved:
      "Token {token} is your new token, in place of {oldToken}: {doctor}, {clinic}, on {date} at {time}. To cancel or move it, call {phone}.",
    movedReply:
      "Token {token} is your new token, in place of {oldToken}: {doctor}, {clinic}, on {date} at {time}. To cancel, reply CANCEL {token}.",
    movedByClinic:
      "Token {token} is your new token: the clinic moved {oldToken} to {doctor}, {clinic}, on {date} at {time}. To cancel or move it, call {phone}.",
    movedByClinicReply:
      "Token {token} is your new token: the clinic moved {oldToken} to {doctor}, {clinic}, on {date} at {time}. To cancel, reply CANCEL {token}.",
    reminderEvening:
      "Token {token}: a reminder of your appointment with {doctor}, {clinic}, on {date} at {time}. To cancel or move it, call {phone}.",
    reminderSoon:
      "Token {token}: your appointment with {doctor}, {clinic}, is soon, on {date} at {time}. If you cannot come, call {phone}.",
    waitlistOffer:
      "A time with {doctor}, {clinic}, on {date} at {time} is held for you until {until}: call {phone} and press 1 to take it.",
    upcoming:
      "Token {token}, appointment {n} of {of}: {doctor}, {clinic}, on {date} at {time}. To cancel it, reply CANCEL {token}.",
    noUpcoming: "You have no upcoming appointments. To book, call {phone}.",
    nothingToCancel: "You have no upcoming appointment to cancel. Text STATUS to see your appointments.",
    tokenNotFound:
      "No upcoming appointment with token {token} was found for this number. Text STATUS to see your appointments.",
    help: "Clinic line: text STATUS to see your appointments, CANCEL to cancel the next one, or CANCEL and a token, like CANCEL KS-2. To book, call {phone}.",
    apology: "Sorry, something went wrong and your message was not handled. Please try again in a few minutes.",
    account:
      "Your clinic account: login {login}, temporary password {password}. Sign in at {url} to see your appointments and choose your own password.",
    accountNoPage:
      "Your clinic account: login {login}, temporary password {password}. Please change it when you first log in.",
    emergencyAdvice:
      "Clinic line: from what you told us, this may be an emergency. Please call 108 now or go to the nearest hospital emergency department. Do not wait for your appointment.",
  },
};
