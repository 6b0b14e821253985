/** Hindi SMS templates (UCS-2: 67 characters a part). Fixed text, exactly as registered on DLT. */
import { partOfDay, type PartOfDay } from "../../words/clock.ts";
import { clockTime } from "./clock.ts";
import type { SmsLanguage } from "./kinds.ts";

const PART_OF_DAY: Record<PartOfDay, string> = { morning: "सुबह", afternoon: "दोपहर", evening: "शाम", night: "रात" };

export const hi: SmsLanguage = {
  time: (minute) => `${PART_OF_DAY[partOfDay(minute)]} ${clockTime(minute)}`,
  samples: { clinic: "पुत्तूर टाउन क्लिनिक" },
  texts: {
    booked: "टोकन {token}: {doctor}, {clinic}, {date} {time}। रद्द करने, बदलने, सब के लिए कॉल {phone}",
    bookedReply: "टोकन {token}: {doctor}, {clinic}, {date} {time}। रद्द करने के लिए CANCEL {token} लिखकर भेजें।",
    cancelled: "टोकन {token} रद्द हुआ: {doctor}, {clinic}, {date} {time}। यह समय अब दूसरों के लिए खाली है।",
    cancelledByClinic: "टोकन {token} रद्द, क्षमा करें: {doctor}, {clinic}, {date} {time}। नए समय के लिए कॉल {phone}",
    cancelledForLeave: "टोकन {token} रद्द: {date} को {doctor} छुट्टी पर। {clinic}, {time}। नए समय के लिए कॉल {phone}",
    moved: "टोकन {token}, {oldToken} की जगह: {doctor}, {clinic}, {date} {time}। बदलने के लिए कॉल {phone}",
    movedReply: "टोकन {token}, {oldToken} की जगह: {doctor}, {clinic}, {date} {time}। रद्द के लिए CANCEL {token} भेजें",
    movedByClinic: "टोकन {token}, क्लिनिक ने {oldToken} बदला: {doctor}, {clinic}, {date} {time}। कॉल {phone}",
    movedByClinicReply:
      "टोकन {token}, क्लिनिक ने {oldToken} बदला: {doctor}, {clinic}, {date} {time}। रद्द हेतु CANCEL {token}",
    reminderEvening: "टोकन {token} याद रखें: {doctor}, {clinic}, {date} {time}। बदलने के लिए कॉल {phone}",
    reminderSoon: "टोकन {token}: जल्द ही {date} {time}, {doctor}, {clinic}। न आ सकें तो कॉल करें {phone}",
    waitlistOffer: "{doctor}, {clinic}, {date} {time} का टाइम {until} तक आपके लिए है: कॉल {phone}, 1 दबाएँ",
    upcoming: "टोकन {token}, {of} में से {n}: {doctor}, {clinic}, {date} {time}। रद्द करने के लिए CANCEL {token} भेजें।",
    noUpcoming: "आपका कोई आने वाला अपॉइंटमेंट नहीं है। बुक करने के लिए कॉल करें {phone}",
    nothingToCancel: "रद्द करने के लिए कोई आने वाला अपॉइंटमेंट नहीं है। अपॉइंटमेंट देखने के लिए STATUS भेजें।",
    tokenNotFound: "इस नंबर पर टोकन {token} का कोई आने वाला अपॉइंटमेंट नहीं मिला। अपॉइंटमेंट देखने के लिए STATUS भेजें।",
    help: "देखने के लिए STATUS, अगला रद्द करने को CANCEL, किसी टोकन को जैसे CANCEL KS-2 भेजें। बुक करने के लिए कॉल {phone}",
    apology: "क्षमा करें, कुछ गड़बड़ी हुई और आपका संदेश पूरा नहीं हो सका। कृपया कुछ मिनट बाद फिर कोशिश करें।",
    account: "लॉगिन {login}, अस्थायी पासवर्ड {password}। {url} पर लॉगिन करके नया पासवर्ड चुनें।",
    accountNoPage: "आपका क्लिनिक खाता: लॉगिन {login}, अस्थायी पासवर्ड {password}। पहली बार लॉगिन पर इसे बदल दें।",
    emergencyAdvice: "यह आपातकालीन स्थिति हो सकती है। अभी 108 पर कॉल करें या नज़दीकी अस्पताल की इमरजेंसी में जाएँ। इंतज़ार न करें।",
  },
};
