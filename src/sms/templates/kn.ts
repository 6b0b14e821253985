/** Kannada SMS templates (UCS-2: 67 characters a part). Fixed text, exactly as registered on DLT. */
import { partOfDay, type PartOfDay } from "../../words/clock.ts";
import { clockTime } from "./clock.ts";
import type { SmsLanguage } from "./kinds.ts";

const PART_OF_DAY: Record<PartOfDay, string> = {
  morning: "ಬೆಳಿಗ್ಗೆ",
  afternoon: "ಮಧ್ಯಾಹ್ನ",
  evening: "ಸಂಜೆ",
  night: "ರಾತ್ರಿ",
};

export const kn: SmsLanguage = {
  time: (minute) => `${PART_OF_DAY[partOfDay(minute)]} ${clockTime(minute)}`,
  samples: { clinic: "ಪುತ್ತೂರು ಟೌನ್ ಕ್ಲಿನಿಕ್" },
  texts: {
    booked: "ಟೋಕನ್ {token}: {doctor}, {clinic}, {date} {time}. ರದ್ದು, ಬದಲಾವಣೆ ಎಲ್ಲಕ್ಕೂ ಕರೆ ಮಾಡಿ {phone}",
    bookedReply: "ಟೋಕನ್ {token}: {doctor}, {clinic}, {date} {time}. ರದ್ದುಮಾಡಲು CANCEL {token} ಎಂದು ಉತ್ತರಿಸಿ",
    cancelled: "ಟೋಕನ್ {token} ರದ್ದಾಗಿದೆ: {doctor}, {clinic}, {date} {time}. ಈ ಸಮಯ ಈಗ ಇತರರಿಗೆ ಲಭ್ಯ.",
    cancelledByClinic: "ಟೋಕನ್ {token} ರದ್ದು, ಕ್ಷಮಿಸಿ: {doctor}, {clinic}, {date} {time}. ಹೊಸ ಸಮಯಕ್ಕೆ ಕರೆ {phone}",
    cancelledForLeave: "ಟೋಕನ್ {token} ರದ್ದು: {date} {doctor} ರಜೆ. {clinic}, {time}. ಹೊಸ ಸಮಯಕ್ಕೆ ಕರೆ {phone}",
    moved: "ಟೋಕನ್ {token}, {oldToken} ಬದಲಿಗೆ: {doctor}, {clinic}, {date} {time}. ಬದಲಾವಣೆಗೆ ಕರೆ {phone}",
    movedReply: "ಟೋಕನ್ {token}, {oldToken} ಬದಲಿಗೆ: {doctor}, {clinic}, {date} {time}. ರದ್ದಿಗೆ CANCEL {token} ಕಳುಹಿಸಿ",
    movedByClinic: "ಟೋಕನ್ {token}, ಕ್ಲಿನಿಕ್ {oldToken} ಬದಲಿಸಿದೆ: {doctor}, {clinic}, {date} {time}. ಕರೆ {phone}",
    movedByClinicReply: "ಟೋಕನ್ {token} ಕ್ಲಿನಿಕ್ {oldToken} ಬದಲಿಸಿದೆ: {doctor}, {clinic}, {date} {time} ರದ್ದಿಗೆ CANCEL {token}",
    reminderEvening: "ಟೋಕನ್ {token} ಜ್ಞಾಪನೆ: {doctor}, {clinic}, {date} {time}. ಬದಲಾವಣೆಗೆ ಕರೆ {phone}",
    reminderSoon: "ಟೋಕನ್ {token}: ಶೀಘ್ರದಲ್ಲೇ {date} {time}, {doctor}, {clinic}. ಬರಲಾಗದಿದ್ದರೆ ಕರೆ {phone}",
    waitlistOffer: "{doctor}, {clinic}, {date} {time} ಟೈಮ್ {until} ವರೆಗೆ ನಿಮಗಾಗಿ ಇದೆ: ಕರೆ {phone}, 1 ಒತ್ತಿ",
    upcoming: "ಟೋಕನ್ {token}, {of} ರಲ್ಲಿ {n}: {doctor}, {clinic}, {date} {time}. ರದ್ದುಮಾಡಲು CANCEL {token} ಉತ್ತರಿಸಿ",
    noUpcoming: "ನಿಮಗೆ ಮುಂಬರುವ ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್ ಇಲ್ಲ. ಬುಕ್ ಮಾಡಲು ಕರೆ ಮಾಡಿ {phone}",
    nothingToCancel: "ರದ್ದುಮಾಡಲು ಮುಂಬರುವ ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್ ಇಲ್ಲ. ನಿಮ್ಮ ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್ ನೋಡಲು STATUS ಕಳುಹಿಸಿ.",
    tokenNotFound: "ಟೋಕನ್ {token} ಈ ಸಂಖ್ಯೆಗೆ ಸಿಗಲಿಲ್ಲ. ನಿಮ್ಮ ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್ ನೋಡಲು STATUS ಕಳುಹಿಸಿ.",
    help: "ಕ್ಲಿನಿಕ್ ಸೇವೆ: ನೋಡಲು STATUS, ಮುಂದಿನದನ್ನು ರದ್ದುಮಾಡಲು CANCEL, ಒಂದು ಟೋಕನ್‌ಗೆ CANCEL KS-2 ಕಳುಹಿಸಿ. ಬುಕ್ ಮಾಡಲು ಕರೆ ಮಾಡಿ {phone}",
    apology: "ಕ್ಷಮಿಸಿ, ತೊಂದರೆಯಾಗಿದೆ, ನಿಮ್ಮ ಸಂದೇಶ ನಿರ್ವಹಿಸಲಾಗಿಲ್ಲ. ಕೆಲವು ನಿಮಿಷಗಳ ನಂತರ ಮತ್ತೆ ಪ್ರಯತ್ನಿಸಿ.",
    account: "ಲಾಗಿನ್ {login}, ತಾತ್ಕಾಲಿಕ ಪಾಸ್‌ವರ್ಡ್ {password}. {url} ನಲ್ಲಿ ಲಾಗಿನ್ ಆಗಿ ಹೊಸದು ಆರಿಸಿ.",
    accountNoPage: "ಕ್ಲಿನಿಕ್ ಖಾತೆ: ಲಾಗಿನ್ {login}, ತಾತ್ಕಾಲಿಕ ಪಾಸ್‌ವರ್ಡ್ {password}. ಮೊದಲ ಲಾಗಿನ್‌ನಲ್ಲಿ ಇದನ್ನು ಬದಲಾಯಿಸಿ.",
    emergencyAdvice: "ಇದು ತುರ್ತು ಪರಿಸ್ಥಿತಿ ಆಗಿರಬಹುದು. ಈಗಲೇ 108 ಗೆ ಕರೆ ಮಾಡಿ ಅಥವಾ ಹತ್ತಿರದ ಆಸ್ಪತ್ರೆಯ ತುರ್ತು ವಿಭಾಗಕ್ಕೆ ಹೋಗಿ. ಕಾಯಬೇಡಿ.",
  },
};
