/**
 * हिंदी (Hindi), spoken by Polly.Aditi (hi-IN). Polite register ("कृपया ... चुनें", "दबाएँ"),
 * Devanagari throughout; doctors' names stay as stored, token letters are named as Hindi
 * speakers say English letters.
 */
import { clock12, dateParts, partOfDay, spellToken, type PartOfDay } from "./clock.ts";
import type { Catalogue, SpokenDay } from "./index.ts";

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

export const hi: Catalogue = {
  language: "hi",
  voice: { voice: "Polly.Aditi", language: "hi-IN" },
  name: "हिंदी",
  chooseLanguage: (key) => `हिंदी के लिए ${key} दबाएँ।`,
  switchLanguage: (key) => `भाषा बदलने के लिए ${key} दबाएँ।`,
  welcome: "नमस्कार। क्लिनिक अपॉइंटमेंट सेवा में आपका स्वागत है।",
  repeatHint: "विकल्प दोबारा सुनने के लिए स्टार का बटन दबाएँ।",
  choose: (name, key) => `${name} के लिए ${key} दबाएँ।`,
  moreChoices: (key) => `और विकल्पों के लिए ${key} दबाएँ।`,
  previousChoices: (key) => `पिछले विकल्पों के लिए ${key} दबाएँ।`,
  onlyChoice: (what, name) => `${what}: ${name}।`,
  chooseState: "कृपया अपना राज्य चुनें।",
  chooseDistrict: "कृपया अपना ज़िला चुनें।",
  chooseClinic: "कृपया क्लिनिक चुनें।",
  chooseSpecialization: "कृपया चुनें कि आपको किस विभाग के डॉक्टर चाहिए।",
  chooseDoctor: "कृपया डॉक्टर चुनें।",
  level: { state: "राज्य", district: "ज़िला", clinic: "क्लिनिक", specialization: "विभाग", doctor: "डॉक्टर" },
  bookingType: (clinic) => `${clinic}। सबसे पहले उपलब्ध डॉक्टर के लिए 1 दबाएँ। विभाग के अनुसार डॉक्टर चुनने के लिए 2 दबाएँ।`,
  anyDoctorOf: (specialization) => `सबसे पहले उपलब्ध ${specialization}`,
  notAChoice: "क्षमा करें, यह विकल्पों में नहीं है।",
  noInput: "क्षमा करें, हमें आपका चुनाव सुनाई नहीं दिया।",
  notUnderstood: "क्षमा करें, हम आपकी बात समझ नहीं पाए।",
  offer: (s) =>
    `${s.when} ${s.doctor} के साथ अपॉइंटमेंट उपलब्ध है। यह समय बुक करने के लिए 1 दबाएँ। अगला उपलब्ध समय सुनने के लिए 2 दबाएँ। फिर से शुरू करने के लिए 3 दबाएँ।`,
  holdLost: "क्षमा करें, अब वह समय आपके लिए आरक्षित नहीं है।",
  noSlots: (horizonDays) =>
    `क्षमा करें, अगले ${horizonDays} दिनों में कोई अपॉइंटमेंट खाली नहीं है। दोबारा चुनने के लिए 3 दबाएँ, या कृपया बाद में फिर कॉल करें।`,
  noDoctors: "क्षमा करें, इस क्लिनिक का कोई भी डॉक्टर फ़ोन से बुकिंग नहीं ले रहा है। कृपया कोई दूसरा क्लिनिक चुनें।",
  noDoctorsAtAll: "क्षमा करें, अभी यहाँ कोई भी डॉक्टर फ़ोन से बुकिंग नहीं ले रहा है। कृपया बाद में फिर कॉल करें। धन्यवाद।",
  booked: (s) =>
    `${s.doctor} के साथ ${s.when} का आपका अपॉइंटमेंट बुक हो गया है। आपका टोकन नंबर है ${s.token}। फिर से, आपका टोकन नंबर है ${s.token}। इन जानकारियों के साथ आपको एक एसएमएस मिलेगा।`,
  hearTokenAgain: "टोकन नंबर दोबारा सुनने के लिए स्टार का बटन दबाएँ।",
  tokenAgain: (token) => `आपका टोकन नंबर है ${token}।`,
  noCallerId: "क्षमा करें, आपके फ़ोन नंबर के बिना बुकिंग नहीं हो सकती। कृपया अपना नंबर छिपाए बिना फिर से कॉल करें। धन्यवाद।",
  tooManyAppointments: (limit) =>
    `क्षमा करें, इस फ़ोन नंबर पर पहले से ${limit} आने वाले अपॉइंटमेंट हैं, जो अधिकतम सीमा है। किसी एक को रद्द करने के लिए इस नंबर पर कैंसल लिखकर एसएमएस भेजें। धन्यवाद।`,
  sameTimeTaken: "इस फ़ोन नंबर पर उस समय पहले से एक अपॉइंटमेंट है। अगला उपलब्ध समय सुनने के लिए 2 दबाएँ।",
  goodbyeAfterRetries:
    "क्षमा करें, हमें आपका चुनाव नहीं मिल पाया। कृपया कभी भी दोबारा कॉल करें, या अपने अपॉइंटमेंट जानने के लिए इस नंबर पर स्टेटस लिखकर एसएमएस भेजें। धन्यवाद।",
  goodbye: "कॉल करने के लिए धन्यवाद।",
  apology: "क्षमा करें, हमारी ओर से कोई गड़बड़ी हुई और आपका अनुरोध पूरा नहीं हो सका। कृपया कुछ मिनट बाद फिर से कॉल करें। धन्यवाद।",
  when: (d, minute) => `${day(d)} ${PART_OF_DAY[partOfDay(minute)]} ${clock12(minute)} बजे`,
  spokenToken: (token) => spellToken(token, (letter) => LETTERS[letter] ?? letter),
  smsBooked: (a) =>
    `अपॉइंटमेंट बुक हो गया: ${a.doctor}, ${a.clinic}, ${a.when}। टोकन ${a.token}। रद्द करने के लिए CANCEL ${a.token} लिखकर भेजें।`,
  smsCancelled: (a) => `रद्द किया गया: ${a.token}, ${a.doctor}, ${a.clinic}, ${a.when}। यह समय अब दूसरों के लिए खाली है।`,
  smsNothingToCancel: "रद्द करने के लिए आपका कोई आने वाला अपॉइंटमेंट नहीं है। अपने अपॉइंटमेंट देखने के लिए STATUS लिखकर भेजें।",
  smsTokenNotFound: (token) =>
    `इस नंबर पर टोकन ${token} वाला कोई आने वाला अपॉइंटमेंट नहीं मिला। अपने अपॉइंटमेंट देखने के लिए STATUS लिखकर भेजें।`,
  smsUpcoming: (a, n, of) =>
    `अपॉइंटमेंट ${n}/${of}: ${a.token}, ${a.doctor}, ${a.clinic}, ${a.when}। रद्द करने के लिए CANCEL ${a.token} लिखकर भेजें।`,
  smsNoUpcoming: (line) => `आपका कोई आने वाला अपॉइंटमेंट नहीं है।${line ? ` बुक करने के लिए इस नंबर पर कॉल करें: ${line}।` : ""}`,
  smsHelp: (line) =>
    `क्लिनिक सेवा: अपॉइंटमेंट देखने के लिए STATUS, अगला रद्द करने के लिए CANCEL, या कोई खास अपॉइंटमेंट रद्द करने के लिए CANCEL और टोकन (जैसे CANCEL KS-2) भेजें।${line ? ` बुक करने के लिए कॉल करें: ${line}।` : ""}`,
  smsUnknownSender: "क्षमा करें, हम आपका फ़ोन नंबर नहीं पढ़ पाए, इसलिए आपके अपॉइंटमेंट नहीं देख सकते।",
  smsApology: "क्षमा करें, कुछ गड़बड़ी हुई और आपका संदेश पूरा नहीं हो सका। कृपया कुछ मिनट बाद फिर कोशिश करें।",
  smsAccount: (login, password) =>
    `आपका क्लिनिक खाता: लॉगिन ${login}, अस्थायी पासवर्ड ${password}। पहली बार लॉगिन करने पर कृपया इसे बदल दें।`,
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
