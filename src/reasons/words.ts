/**
 * What a caller hears about the reason for their visit, in English, Kannada and Hindi.
 * Kept here (not in the prompt catalogues) while the catalogues move to src/words/; at merge
 * these fold into src/words/{en,kn,hi}.ts and `voice` comes from each catalogue.
 *
 * "108" is India's emergency ambulance number; English says it digit by digit, as it is said
 * aloud, and Kannada and Hindi write the number their voices read as "ನೂರ ಎಂಟು" / "एक सौ आठ".
 */
import type { Voice } from "../twilio/twiml.ts";

export const REASON_LANGUAGES = ["en", "kn", "hi"] as const;
export type ReasonLanguage = (typeof REASON_LANGUAGES)[number];

export function isReasonLanguage(value: string): value is ReasonLanguage {
  return (REASON_LANGUAGES as readonly string[]).includes(value);
}

export interface ReasonWords {
  /** The voice that speaks these words; its language is also the speech recogniser's. */
  voice: Voice;
  /** Asked after the token, when Twilio's speech recognition serves the language. */
  askBySpeech: string;
  /** Asked before a recording, when it does not: the caller speaks after the beep. */
  askByRecording: string;
  /** The reason was heard and kept. */
  thanks: string;
  /** Said the moment a reason carries a red flag. */
  emergency: string;
  /** Said after every recording: it is transcribed later, so it cannot be checked during the call. */
  ifEmergency: string;
  goodbye: string;
  /** SMS sent when a recording, transcribed after the call, carries a red flag. Names no condition. */
  smsAdvice: string;
}

export const REASON_WORDS: Record<ReasonLanguage, ReasonWords> = {
  en: {
    voice: { voice: "Polly.Raveena", language: "en-IN" },
    askBySpeech:
      "In a few words, please tell us the reason for your visit, so the doctor knows before you arrive. To skip this, press the hash key.",
    askByRecording:
      "After the beep, please tell us in a few words the reason for your visit, then press the hash key. To skip this, stay silent.",
    thanks: "Thank you. We have noted it for the doctor.",
    emergency:
      "This may be an emergency. Please call 1 0 8 now, or go to the nearest hospital emergency department now. Do not wait for your appointment.",
    ifEmergency: "If this is an emergency, please call 1 0 8 now, or go to the nearest hospital emergency department.",
    goodbye: "Thank you for calling. Goodbye.",
    smsAdvice:
      "Clinic line: from what you told us, this may be an emergency. Please call 108 now or go to the nearest hospital emergency department. Do not wait for your appointment.",
  },
  kn: {
    voice: { voice: "Google.kn-IN-Standard-A", language: "kn-IN" },
    askBySpeech: "ವೈದ್ಯರಿಗೆ ಮೊದಲೇ ತಿಳಿಯಲು, ದಯವಿಟ್ಟು ನೀವು ಯಾಕೆ ಬರುತ್ತಿದ್ದೀರಿ ಎಂದು ಕೆಲವೇ ಪದಗಳಲ್ಲಿ ಹೇಳಿ. ಬಿಟ್ಟುಬಿಡಲು ಹ್ಯಾಶ್ ಕೀ ಒತ್ತಿ.",
    askByRecording: "ಬೀಪ್ ಶಬ್ದದ ನಂತರ, ನೀವು ಯಾಕೆ ಬರುತ್ತಿದ್ದೀರಿ ಎಂದು ಕೆಲವೇ ಪದಗಳಲ್ಲಿ ಹೇಳಿ, ನಂತರ ಹ್ಯಾಶ್ ಕೀ ಒತ್ತಿ. ಬಿಟ್ಟುಬಿಡಲು, ಏನೂ ಹೇಳಬೇಡಿ.",
    thanks: "ಧನ್ಯವಾದಗಳು. ವೈದ್ಯರಿಗಾಗಿ ಇದನ್ನು ಬರೆದುಕೊಂಡಿದ್ದೇವೆ.",
    emergency:
      "ಇದು ತುರ್ತು ಪರಿಸ್ಥಿತಿ ಆಗಿರಬಹುದು. ದಯವಿಟ್ಟು ಈಗಲೇ 108 ಗೆ ಕರೆ ಮಾಡಿ, ಅಥವಾ ಈಗಲೇ ಹತ್ತಿರದ ಆಸ್ಪತ್ರೆಯ ತುರ್ತು ವಿಭಾಗಕ್ಕೆ ಹೋಗಿ. ನಿಮ್ಮ ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್‌ಗಾಗಿ ಕಾಯಬೇಡಿ.",
    ifEmergency: "ಇದು ತುರ್ತು ಪರಿಸ್ಥಿತಿ ಆಗಿದ್ದರೆ, ದಯವಿಟ್ಟು ಈಗಲೇ 108 ಗೆ ಕರೆ ಮಾಡಿ, ಅಥವಾ ಹತ್ತಿರದ ಆಸ್ಪತ್ರೆಯ ತುರ್ತು ವಿಭಾಗಕ್ಕೆ ಹೋಗಿ.",
    goodbye: "ಕರೆ ಮಾಡಿದ್ದಕ್ಕೆ ಧನ್ಯವಾದಗಳು. ನಮಸ್ಕಾರ.",
    smsAdvice:
      "ಕ್ಲಿನಿಕ್ ಲೈನ್: ನೀವು ಹೇಳಿದ ಪ್ರಕಾರ ಇದು ತುರ್ತು ಪರಿಸ್ಥಿತಿ ಆಗಿರಬಹುದು. ದಯವಿಟ್ಟು ಈಗಲೇ 108 ಗೆ ಕರೆ ಮಾಡಿ ಅಥವಾ ಹತ್ತಿರದ ಆಸ್ಪತ್ರೆಯ ತುರ್ತು ವಿಭಾಗಕ್ಕೆ ಹೋಗಿ. ಅಪಾಯಿಂಟ್‌ಮೆಂಟ್‌ಗಾಗಿ ಕಾಯಬೇಡಿ.",
  },
  hi: {
    voice: { voice: "Polly.Aditi", language: "hi-IN" },
    askBySpeech: "डॉक्टर को पहले से पता रहे, इसलिए कृपया कुछ शब्दों में बताइए कि आप किस वजह से आ रहे हैं। इसे छोड़ने के लिए हैश की दबाइए।",
    askByRecording: "बीप के बाद, कृपया कुछ शब्दों में बताइए कि आप किस वजह से आ रहे हैं, फिर हैश की दबाइए। इसे छोड़ने के लिए कुछ न बोलें।",
    thanks: "धन्यवाद। हमने डॉक्टर के लिए इसे लिख लिया है।",
    emergency:
      "यह आपातकालीन स्थिति हो सकती है। कृपया अभी 108 पर कॉल करें, या अभी नज़दीकी अस्पताल के आपातकालीन विभाग में जाएँ। अपॉइंटमेंट का इंतज़ार न करें।",
    ifEmergency: "अगर यह आपातकालीन स्थिति है, तो कृपया अभी 108 पर कॉल करें, या नज़दीकी अस्पताल के आपातकालीन विभाग में जाएँ।",
    goodbye: "कॉल करने के लिए धन्यवाद। नमस्ते।",
    smsAdvice:
      "क्लिनिक लाइन: आपने जो बताया, उसके अनुसार यह आपातकालीन स्थिति हो सकती है। कृपया अभी 108 पर कॉल करें या नज़दीकी अस्पताल के आपातकालीन विभाग में जाएँ। अपॉइंटमेंट का इंतज़ार न करें।",
  },
};

export function reasonWords(language: string): ReasonWords {
  return isReasonLanguage(language) ? REASON_WORDS[language] : REASON_WORDS.en;
}
