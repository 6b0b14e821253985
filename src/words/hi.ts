/**
 * हिंदी (Hindi) as it is spoken on the phone: "दबाइए", "चुनिए", "माफ़ कीजिए", and the English
 * words people use (डॉक्टर, टोकन नंबर, अपॉइंटमेंट, मैसेज, टाइम, कैंसल). Times are said the
 * spoken way ("सुबह 9 बजकर 15 मिनट पर", "साढ़े 9 बजे", "पौने 10 बजे", "डेढ़ बजे"), never in
 * the written "9:15 बजे". Doctors' names stay as stored; token letters are named as Hindi
 * speakers say English letters.
 */
import { dateParts, partOfDay, spellToken, type PartOfDay } from "./clock.ts";
import type { Catalogue, SpokenDay } from "./index.ts";
import { DEFAULT_VOICES } from "./voices.ts";

const WEEKDAYS = ["रविवार", "सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार"];
const MONTHS = ["जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"];
const PART_OF_DAY: Record<PartOfDay, string> = { morning: "सुबह", afternoon: "दोपहर", evening: "शाम", night: "रात" };
const LETTERS: Record<string, string> = {
  A: "ए",
  B: "बी",
  C: "सी",
  D: "डी",
  E: "ई",
  F: "एफ़",
  G: "जी",
  H: "एच",
  I: "आई",
  J: "जे",
  K: "के",
  L: "एल",
  M: "एम",
  N: "एन",
  O: "ओ",
  P: "पी",
  Q: "क्यू",
  R: "आर",
  S: "एस",
  T: "टी",
  U: "यू",
  V: "वी",
  W: "डब्ल्यू",
  X: "एक्स",
  Y: "वाई",
  Z: "ज़ेड",
};

function day(d: SpokenDay): string {
  if (d.kind === "today") return "आज";
  if (d.kind === "tomorrow") return "कल";
  const { day, month, weekday } = dateParts(d.date);
  return `${WEEKDAYS[weekday]}, ${day} ${MONTHS[month - 1]} को`;
}

/** 1:30 and 2:30 have their own words; every other half hour is साढ़े. */
const HALF_PAST: Record<number, string> = { 1: "डेढ़ बजे", 2: "ढाई बजे" };

/**
 * "सुबह 9 बजे", "सुबह साढ़े 9 बजे", "सुबह पौने 10 बजे", "सुबह 9 बजकर 15 मिनट (पर)". सवा is
 * left out: "सवा 9" and "साढ़े 9" sound alike on a phone line, and 9 बजकर 15 मिनट cannot be
 * misheard. `at` adds पर where the time is the answer to "when" (बजे carries it already).
 */
function clock(minute: number, at: boolean): string {
  const hour = Math.floor(minute / 60) % 12 || 12;
  const minutes = minute % 60;
  const part = PART_OF_DAY[partOfDay(minute)];
  if (minutes === 0) return `${part} ${hour} बजे`;
  if (minutes === 30) return `${part} ${HALF_PAST[hour] ?? `साढ़े ${hour} बजे`}`;
  if (minutes === 45) return `${part} पौने ${(hour % 12) + 1} बजे`;
  return `${part} ${hour} बजकर ${minutes} मिनट${at ? " पर" : ""}`;
}

export const hi: Catalogue = {
  language: "hi",
  voice: { voice: DEFAULT_VOICES.hi, language: "hi-IN" },
  name: "हिंदी",
  chooseLanguage: (key) => `हिंदी के लिए ${key} दबाइए।`,
  switchLanguage: "हिंदी के लिए हैश दबाइए।",
  welcome: "नमस्ते। यह क्लिनिक अपॉइंटमेंट लाइन है।",
  repeatHint: "दोबारा सुनने के लिए स्टार दबाइए।",
  choose: (name, key) => `${name} के लिए ${key} दबाइए।`,
  moreChoices: (key) => `और सुनने के लिए ${key} दबाइए।`,
  firstChoices: (key) => `शुरू से फिर सुनने के लिए ${key} दबाइए।`,
  onlyChoice: (what, name) => `${what}: ${name}।`,
  chooseState: "अपना राज्य चुनिए।",
  chooseDistrict: "अपना ज़िला चुनिए।",
  chooseClinic: "क्लिनिक चुनिए।",
  chooseSpecialization: "किस तरह के स्पेशलिस्ट डॉक्टर चाहिए, चुनिए।",
  chooseDoctor: "डॉक्टर चुनिए।",
  level: { state: "राज्य", district: "ज़िला", clinic: "क्लिनिक", specialization: "स्पेशलिस्ट", doctor: "डॉक्टर" },
  bookingType: (clinic) =>
    `${clinic}। कोई भी डॉक्टर चलेगा और सबसे पहला खाली टाइम चाहिए, तो 1 दबाइए। स्पेशलिस्ट डॉक्टर चुनने के लिए 2 दबाइए।`,
  anyDoctorOf: (specialization) => `सबसे पहले मिलने वाले ${specialization}`,
  notAChoice: "माफ़ कीजिए, यह नंबर नहीं है।",
  noInput: "माफ़ कीजिए, हमें कुछ सुनाई नहीं दिया।",
  notUnderstood: "माफ़ कीजिए, हम आपकी बात समझ नहीं पाए।",
  offer: (s) =>
    `${s.when} ${s.doctor} के साथ टाइम खाली है। बुक करने के लिए 1 दबाइए। अगला टाइम सुनने के लिए 2 दबाइए। कोई और टाइम या दिन चाहिए तो 3 दबाइए।`,
  holdLost: "माफ़ कीजिए, वह टाइम अब नहीं मिल सकता।",
  noSlots: (horizonDays) =>
    `माफ़ कीजिए, अगले ${horizonDays} दिनों में कोई टाइम खाली नहीं है। दोबारा चुनने के लिए 3 दबाइए, या बाद में फिर कॉल कीजिए।`,
  noLaterSlots:
    "माफ़ कीजिए, इसके बाद कोई टाइम खाली नहीं है। सबसे पहला टाइम फिर से सुनने के लिए 2 दबाइए। शुरू से चुनने के लिए 3 दबाइए।",
  noDoctors: "माफ़ कीजिए, इस क्लिनिक में कोई भी डॉक्टर फ़ोन पर बुकिंग नहीं ले रहे हैं। कोई दूसरा क्लिनिक चुनिए।",
  noDoctorsAtAll: "माफ़ कीजिए, अभी कोई भी डॉक्टर फ़ोन पर बुकिंग नहीं ले रहे हैं। बाद में फिर कॉल कीजिए। धन्यवाद।",
  booked: (s) =>
    `${s.doctor} के साथ ${s.when} आपका अपॉइंटमेंट बुक हो गया है। आपका टोकन नंबर है ${s.token}। फिर से, आपका टोकन नंबर है ${s.token}।`,
  textWillFollow: "इसका मैसेज आपके फ़ोन पर आएगा।",
  noTextToThisNumber: "हम इस नंबर पर मैसेज नहीं भेज सकते, इसलिए अपना टोकन नंबर अभी लिख लीजिए।",
  hearTokenAgain: "टोकन नंबर दोबारा सुनने के लिए स्टार दबाइए।",
  tokenAgain: (token) => `आपका टोकन नंबर है ${token}।`,
  noCallerIdWelcome:
    "नमस्ते। यह क्लिनिक अपॉइंटमेंट लाइन है। माफ़ कीजिए, हमें आपका फ़ोन नंबर नहीं दिख रहा है, और बुकिंग और टोकन भेजने के लिए यह ज़रूरी है। अपना नंबर छिपाए बिना दोबारा कॉल कीजिए। धन्यवाद।",
  noCallerId: "माफ़ कीजिए, आपके फ़ोन नंबर के बिना बुकिंग नहीं हो सकती। अपना नंबर छिपाए बिना दोबारा कॉल कीजिए। धन्यवाद।",
  tooManyAppointments: (limit) =>
    `माफ़ कीजिए, इस फ़ोन नंबर पर पहले से ${limit} अपॉइंटमेंट हैं, इससे ज़्यादा नहीं हो सकते। एक कैंसल करने के लिए इस नंबर पर दोबारा कॉल कीजिए और कैंसल चुनिए। धन्यवाद।`,
  sameTimeTaken: "इस फ़ोन नंबर पर उसी टाइम पहले से एक अपॉइंटमेंट है। अगला टाइम सुनने के लिए 2 दबाइए।",
  reasonAskBySpeech: "डॉक्टर को पहले से पता रहे, इसलिए थोड़े शब्दों में बताइए कि आपको क्या तकलीफ़ है। नहीं बताना हो तो हैश दबाइए।",
  reasonAskByRecording: "बीप के बाद थोड़े शब्दों में बताइए कि आपको क्या तकलीफ़ है, फिर हैश दबाइए। नहीं बताना हो तो कुछ मत बोलिए।",
  reasonThanks: "धन्यवाद। हमने डॉक्टर के लिए लिख लिया है।",
  reasonEmergency:
    "यह इमरजेंसी हो सकती है। अभी 108 नंबर पर कॉल करके एम्बुलेंस बुलाइए, या अभी पास के अस्पताल की इमरजेंसी में जाइए। अपॉइंटमेंट का इंतज़ार मत कीजिए।",
  reasonIfEmergency: "अगर यह इमरजेंसी है, तो अभी 108 नंबर पर कॉल करके एम्बुलेंस बुलाइए, या पास के अस्पताल की इमरजेंसी में जाइए।",
  goodbyeAfterRetries:
    "माफ़ कीजिए, हमें आपका जवाब नहीं मिला। कभी भी दोबारा कॉल कीजिए। अपने अपॉइंटमेंट भी आप कॉल पर ही सुन सकते हैं। धन्यवाद।",
  goodbye: "कॉल करने के लिए धन्यवाद।",
  apology: "माफ़ कीजिए, हमारी तरफ़ से कुछ गड़बड़ हो गई और आपका काम नहीं हो पाया। कुछ मिनट बाद फिर से कॉल कीजिए। धन्यवाद।",
  when: (d, minute) => `${day(d)} ${clock(minute, true)}`,
  spokenToken: (token) => spellToken(token, (letter) => LETTERS[letter] ?? letter),
  receptionHint: "रिसेप्शन से बात करने के लिए 0 दबाइए।",
  connectingReception: (clinic) => `${clinic} के रिसेप्शन से जोड़ रहे हैं। थोड़ा रुकिए।`,
  receptionClosed: (hours) => `रिसेप्शन अभी बंद है। यह ${hours} खुला रहता है।`,
  receptionNoAnswer: (hours) => `माफ़ कीजिए, रिसेप्शन पर किसी ने फ़ोन नहीं उठाया। यह ${hours} खुला रहता है।`,
  openingHours: (from, to, opens, closes) =>
    `${WEEKDAYS[from]} से ${WEEKDAYS[to]} तक, ${clock(opens, false)} से ${clock(closes, false)} तक`,
  otherTimes: (withPrevious) =>
    `${withPrevious ? "पिछले टाइम के लिए 1 दबाइए। " : ""}किसी और दिन के लिए 2 दबाइए। सुबह के टाइम के लिए 3 दबाइए। दोपहर या शाम के टाइम के लिए 4 दबाइए।`,
  askDay:
    "आज के लिए 1, कल के लिए 2 दबाइए, फिर हैश। किसी और दिन के लिए तारीख़ दो अंकों में दबाइए, फिर हैश। जैसे 5 तारीख़ के लिए 0 5 हैश।",
  notADay: "माफ़ कीजिए, यह सही तारीख़ नहीं है।",
  dayPassed: "माफ़ कीजिए, वह दिन निकल चुका है।",
  dayTooFar: (horizonDays) => `माफ़ कीजिए, सिर्फ़ अगले ${horizonDays} दिनों तक की बुकिंग हो सकती है।`,
  noTimeOn: (d) => `माफ़ कीजिए, ${day(d)} कोई टाइम खाली नहीं है।`,
  noMorningOn: (d) => `माफ़ कीजिए, ${day(d)} सुबह कोई टाइम खाली नहीं है।`,
  noAfternoonOn: (d) => `माफ़ कीजिए, ${day(d)} दोपहर या शाम को कोई टाइम खाली नहीं है।`,
  noEarlierTime: "इससे पहले का कोई टाइम नहीं है।",
  nextAppointment: (a, count) =>
    count === 1
      ? `आपका अपॉइंटमेंट ${a.clinic} में ${a.doctor} के साथ ${a.when} है। आपका टोकन नंबर है ${a.token}।`
      : `आपके ${count} अपॉइंटमेंट हैं। सबसे पहला ${a.clinic} में ${a.doctor} के साथ ${a.when} है, टोकन नंबर ${a.token}।`,
  returningChoices:
    "अपने सारे अपॉइंटमेंट सुनने के लिए 1 दबाइए। अपॉइंटमेंट कैंसल करने के लिए 2 दबाइए। अपॉइंटमेंट का टाइम बदलने के लिए 3 दबाइए। नया अपॉइंटमेंट बुक करने के लिए 4 दबाइए।",
  appointmentLine: (n, a) => `अपॉइंटमेंट ${n}: ${a.clinic} में ${a.doctor} के साथ ${a.when}, टोकन नंबर ${a.token}।`,
  appointmentName: (doctor, when) => `${when} ${doctor} के साथ वाले अपॉइंटमेंट`,
  whichToCancel: "कौन-सा अपॉइंटमेंट कैंसल करना है?",
  whichToMove: "किस अपॉइंटमेंट का टाइम बदलना है?",
  confirmCancel: (a) => `${a.when} ${a.doctor} के साथ वाला अपॉइंटमेंट कैंसल करने के लिए 1 दबाइए। उसे रखने के लिए 2 दबाइए।`,
  cancelledByCall: (a) =>
    `${a.clinic} में ${a.doctor} के साथ ${a.when} वाला अपॉइंटमेंट, टोकन नंबर ${a.token}, कैंसल हो गया है। वह टाइम अब दूसरों को मिल सकता है। इसका मैसेज आपको आएगा।`,
  appointmentKept: "आपका अपॉइंटमेंट जैसा था वैसा ही है।",
  appointmentGone: "माफ़ कीजिए, वह अपॉइंटमेंट अब नहीं है।",
  limitReachedMenu: (limit) =>
    `इस फ़ोन नंबर पर पहले से ${limit} अपॉइंटमेंट हैं, इससे ज़्यादा नहीं हो सकते। नया बुक करने के लिए पहले एक कैंसल कीजिए।`,
  moveOffer: (s) =>
    `${s.when} ${s.doctor} के साथ टाइम खाली है। अपना अपॉइंटमेंट इस टाइम पर करने के लिए 1 दबाइए। अगला टाइम सुनने के लिए 2 दबाइए। कोई और टाइम या दिन चाहिए तो 3 दबाइए। अपना अपॉइंटमेंट जैसा है वैसा रखने के लिए 4 दबाइए।`,
  moveAnyDoctor: (specialization, key) =>
    `इस क्लिनिक के किसी भी ${specialization} के साथ सबसे पहला टाइम सुनने के लिए ${key} दबाइए।`,
  moved: (s) =>
    `आपका अपॉइंटमेंट अब ${s.doctor} के साथ ${s.when} है। आपका नया टोकन नंबर है ${s.token}। फिर से, नया टोकन नंबर है ${s.token}। पुराना टाइम अब दूसरों को मिल सकता है। इसका मैसेज आपको आएगा।`,
  notMoved: (a) => `माफ़ कीजिए, आपका अपॉइंटमेंट बदला नहीं जा सका। वह अब भी ${a.doctor} के साथ ${a.when} है।`,
  reminderCall: (a) =>
    `नमस्ते। याद दिलाने के लिए कॉल है: ${a.clinic} में ${a.doctor} के साथ ${a.when} आपका अपॉइंटमेंट है। आपका टोकन नंबर है ${a.token}।`,
  reminderChoices:
    "आने को कन्फ़र्म करने के लिए 1 दबाइए। कैंसल करने के लिए 2 दबाइए। टाइम बदलने के लिए 3 दबाइए। ऐसी कॉल बंद करने के लिए 9 दबाइए।",
  reminderConfirmed: "धन्यवाद। आपका अपॉइंटमेंट कन्फ़र्म हो गया है। नमस्ते।",
  reminderCallsStopped: "अब आपको ऐसी कॉल नहीं आएगी। याद दिलाने वाला मैसेज आता रहेगा। नमस्ते।",
  joinWaitlistHint: "टाइम खाली होने पर ख़बर चाहिए तो वेटिंग लिस्ट में जुड़ने के लिए 5 दबाइए।",
  waitForDayHint: (d) => `${day(d)} ही टाइम चाहिए तो वेटिंग लिस्ट में जुड़ने के लिए 5 दबाइए।`,
  joinedWaitlist: (minutes) =>
    `आप वेटिंग लिस्ट में जुड़ गए हैं। टाइम खाली होते ही हम उसे ${minutes} मिनट तक आपके लिए रखेंगे और मैसेज भेजेंगे। तब इस नंबर पर कॉल करके 1 दबाइए। धन्यवाद।`,
  waitlistOffer: (s) =>
    `${s.when} ${s.doctor} के साथ एक टाइम ${clock(s.until, false)} तक आपके लिए रखा है। उसे लेने के लिए 1 दबाइए। अगले व्यक्ति को देने के लिए 2 दबाइए।`,
  waitlistPassed: "वह टाइम अगले व्यक्ति को दे दिया गया। आप वेटिंग लिस्ट में बने रहेंगे।",
  speech: {
    numbers: [
      ["शून्य", "ज़ीरो", "जीरो", "shunya"],
      ["एक", "पहला", "पहले", "पहली", "ek", "pehla"],
      ["दो", "दूसरा", "दूसरे", "दूसरी", "do", "doosra"],
      ["तीन", "तीसरा", "तीसरे", "तीसरी", "teen"],
      ["चार", "चौथा", "चौथे", "चौथी", "char", "chaar"],
      ["पाँच", "पांच", "पाँचवाँ", "पांचवां", "paanch"],
      ["छह", "छः", "छे", "छठा", "chhah"],
      ["सात", "सातवाँ", "सातवां", "saat"],
      ["आठ", "आठवाँ", "आठवां", "aath"],
      ["नौ", "नौवाँ", "नौवां", "nau"],
    ],
    yes: ["हाँ", "हां", "जी हाँ", "जी हां", "जी", "ठीक है", "बुक करें", "बुक कीजिए", "haan", "theek hai"],
    no: ["नहीं", "नही", "ना", "जी नहीं", "अगला", "दूसरा समय", "nahi", "nahin"],
    restart: ["फिर से शुरू", "शुरू से", "दोबारा शुरू"],
    repeat: ["दोबारा बोलिए", "फिर से बोलिए", "फिर से", "दोबारा", "एक बार और"],
    languageNames: ["हिंदी", "हिन्दी", "hindi"],
  },
};
