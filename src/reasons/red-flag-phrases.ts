/**
 * The red-flag phrase table: for each flag, rules whose patterns must all match the reason
 * after `normaliseReason` (lower case, single spaces, no punctuation, Hindi nukta removed,
 * chandrabindu written as anusvara). English, Kannada and Hindi, each in native script and
 * the romanised spellings callers and speech engines produce.
 *
 * Err towards flagging: a false alarm costs a caller a sentence of advice, a miss can cost a
 * life. Near-misses named in comments are in test/red-flags.test.ts and must stay unflagged.
 */
import type { RedFlag } from "./red-flags.ts";

const LETTER = "\\p{L}\\p{M}\\p{N}";
/** A whole word or phrase. */
const word = (s: string) => `(?<![${LETTER}])(?:${s})(?![${LETTER}])`;
/** The start of a word: Kannada and Hindi inflect by suffix (ರಕ್ತ, ರಕ್ತದ, ರಕ್ತವು). */
const stem = (s: string) => `(?<![${LETTER}])(?:${s})`;
/** `a` and `b` with at most `gap` words between them, in either order. */
const near = (a: string, b: string, gap = 2) =>
  `(?:${a}[^ ]*(?: [^ ]+){0,${gap}} ${b}|${b}[^ ]*(?: [^ ]+){0,${gap}} ${a})`;

type Rule = string[];

export const PHRASES: { flag: RedFlag; rules: Rule[] }[] = [
  {
    flag: "chest-pain",
    rules: [
      // "chest x-ray", "chest congestion" and heartburn (ಎದೆ ಉರಿ, सीने में जलन) are not flags.
      [near(stem("chest"), stem("pain|tight|pressure|heav|squeez|hurt"))],
      [word("heart attack|heart pain|cardiac arrest")],
      [near(stem("ಎದೆ"), stem("ನೋವ|ನೊವ|ಬಿಗಿ|ಭಾರ|ಹಿಂಡ"))],
      [stem("ಎದೆನೋವ|ಹೃದಯಾಘಾತ|ಹೃದಯ ಸ್ತಂಭನ|ಹಾರ್ಟ್ ಅಟ್ಯಾಕ್")],
      [near(stem("ede|edhe|yede"), stem("no+v|bigi|bhaara"))],
      [stem("edenov|hrudayaghat|hrudayaaghaat")],
      [
        near(
          stem("सीन|छाती|seen|sine|chhati|chati|chaati|chhaati"),
          stem("दर्द|dard|जकड|jakad|भारीपन|bharipan|दबाव|dabav"),
        ),
      ],
      [stem("दिल का दौरा|dil ka daura|हार्ट अटैक|हृदयाघात|hriday ghat")],
    ],
  },
  {
    flag: "breathing",
    rules: [
      // "bad breath" and "breathing exercises" are not flags.
      [
        word(
          "short(?:ness)? of breath|breathless(?:ness)?|can ?t breathe?|cannot breathe?|unable to breathe?|gasping|choking|not breathing|stopped breathing|struggling to breathe?|hard to breathe?|wheezing badly",
        ),
      ],
      [near(stem("breath"), stem("difficult|trouble|problem|hard|fast|heavy|labou?red|stop"))],
      [near(stem("ಉಸಿರ"), stem("ತೊಂದರ|ಕಷ್ಟ|ಕಟ್ಟ|ಆಗುತ್ತಿಲ್ಲ|ಆಗ್ತಿಲ್ಲ|ಸಮಸ್ಯ|ಸಿಗುತ್ತಿಲ್ಲ|ನಿಂತ|ಬಿಡಲು"))],
      [stem("ಉಸಿರುಕಟ್ಟ|ದಮ್ಮು")],
      [near(stem("usir|usiraat|usiraad"), stem("tondare|thondare|kasht|katt|aagtilla|aaguttilla|agtilla|samasye"))],
      [stem("usirukatt|dammu")],
      [
        near(
          stem("सांस|श्वास|sans|saans|swas|shwas|saas"),
          stem(
            "तकलीफ|takleef|taklif|दिक्कत|dikkat|परेशानी|pareshani|फूल|phool|ful|नहीं आ|nahi aa|nahin aa|रुक|ruk|घुट|ghut|कठिनाई|problem",
          ),
          3,
        ),
      ],
      [stem("दम घुट|dam ghut|दम फूल|dam phool")],
    ],
  },
  {
    flag: "unconscious",
    rules: [
      [
        word(
          "unconscious|unresponsive|not responding|passed out|pass(?:es|ing)? out|fainted|fainting|faints|blacked out|blackout|collapsed|not waking up|won ?t wake up|lost consciousness|loss of consciousness",
        ),
      ],
      // ಮೂರ್ಛೆ (a faint) alone; ಮೂರ್ಛೆ ರೋಗ (epilepsy) is a seizure flag as well.
      [stem("ಪ್ರಜ್ಞೆ ತಪ್ಪ|ಪ್ರಜ್ಞೆ ಇಲ್ಲ|ಪ್ರಜ್ಞಾಹೀನ|ಎಚ್ಚರ ತಪ್ಪ|ಎಚ್ಚರ ಇಲ್ಲ|ಮೂರ್ಛೆ|ಮೂರ್ಚೆ")],
      [stem("praj?n(?:j|y)?e tapp|pragne tapp|prajne illa|pragne illa|prajnaheen|ec?chara tapp|moorch|murch")],
      [stem("बेहोश|behosh|behos|होश नहीं|hosh nahi|होश में नहीं|hosh me nahi|hosh mein nahi|मूर्छित|murchit")],
    ],
  },
  {
    flag: "seizure",
    rules: [
      // "fit to work" and "fitness certificate" are not flags.
      [word("fits|seizures?|convulsions?|convulsing|epileptic attack|(?:a|having|had|has|gets?|getting) fit")],
      // ಸೆಳೆತ / ऐंठन (cramp) are not flags.
      [stem("ಫಿಟ್ಸ್|ಸೆಳವು|ಮೂರ್ಛೆ ರೋಗ|ಅಪಸ್ಮಾರ|ಕೈಕಾಲು ಒದ್ದಾಡ|ಕೈ ಕಾಲು ಒದ್ದಾಡ")],
      [stem("selavu|apasmara|moorche roga|kaikaalu oddaad")],
      [stem("मिर्गी|mirgi|दौरे पड|दौरा पड|daure pad|daura pad|दौरे आ|daure aa|झटके आ|jhatke aa|फिट्स|फिट आ")],
    ],
  },
  {
    flag: "heavy-bleeding",
    rules: [
      // "blood test", "blood pressure", "blood sugar", "bleeding gums" are not flags.
      [
        word(
          "bleeding (?:heavily|badly|a lot|lot|profusely|too much|non ?stop|continuously)|heavy bleeding|severe bleeding|(?:a )?lots? of blood|losing blood|bleeding (?:is )?not stopping|bleeding won ?t stop|(?:won ?t|will not|doesn ?t|does not|not) stop(?:ping)? bleeding|vomiting blood|blood in (?:the )?vomit|coughing (?:up )?blood|blood vomit(?:ing)?|bleeding from (?:the )?(?:head|mouth|ears?)",
        ),
      ],
      [
        stem(
          "ರಕ್ತಸ್ರಾವ|ರಕ್ತ ಸ್ರಾವ|ರಕ್ತ ನಿಲ್ಲುತ್ತಿಲ್ಲ|ರಕ್ತ ನಿಲ್ತಿಲ್ಲ|ರಕ್ತ ನಿಲ್ಲುತ್ತಾ ಇಲ್ಲ|ತುಂಬಾ ರಕ್ತ|ಜಾಸ್ತಿ ರಕ್ತ|ರಕ್ತ ವಾಂತಿ|ರಕ್ತದ ವಾಂತಿ|ರಕ್ತ ಹೋಗುತ್ತಿದೆ|ರಕ್ತ ಹೋಗ್ತಿದೆ|ರಕ್ತ ಸುರಿಯ",
        ),
      ],
      [
        stem(
          "rakth?a ?srava|rakth?a nill?utt?illa|rakth?a niltilla|th?umba rakth?a|jaa?sti rakth?a|rakth?a vaa?nthi|rakth?a vaa?nti|rakth?a hoguttide|rakth?a hogtide",
        ),
      ],
      // खून की जांच (blood test) and खून की कमी (anaemia) are not flags.
      [stem("बहुत (?:सारा )?खून|ज्यादा खून|bahut (?:sara |saara )?kh?oo?n|jyada kh?oo?n|zyada kh?oo?n|रक्तस्राव|raktasrav")],
      [
        near(
          stem("खून|kh?oo?n"),
          stem("बह|beh|bah|नहीं रुक|nahi ruk|nahin ruk|रुक नहीं|ruk nahi|की उल्टी|की उलटी|ki ulti|निकल रहा|nikal raha"),
          1,
        ),
      ],
    ],
  },
  {
    flag: "stroke",
    rules: [
      [
        word(
          "stroke|paraly(?:sis|sed|zed)|face (?:is )?(?:drooping|droop|crooked|twisted)|slurred speech|slurring|(?:one|left|right) side (?:of (?:the|his|her|my) body )?(?:is )?(?:weak|numb|not moving)|can ?t move (?:his|her|my) (?:arm|leg|hand)|sudden (?:weakness|numbness)|suddenly (?:cannot|can ?t) speak",
        ),
      ],
      // ಒಂದು ಬದಿ ತಲೆನೋವು (a one-sided headache) is not a flag.
      [stem("ಪಾರ್ಶ್ವವಾಯು|ಲಕ್ವ|ಸ್ಟ್ರೋಕ್|ಮುಖ ಸೊಟ್ಟ|ಬಾಯಿ ಸೊಟ್ಟ|ಮಾತು ತೊದಲ|ಒಂದು ಕಡೆ ಬಲ ಇಲ್ಲ|ಕೈ ಕಾಲು ಬಿದ್ದು ಹೋಗಿ")],
      [stem("paa?rshw?v?aa?vaa?yu|lakva|lakwa|mukha sott|baayi sott|maatu todal|mathu thodal")],
      [
        stem(
          "लकवा|lakwa|lakva|पक्षाघात|pakshaghat|स्ट्रोक|मुंह टेढ|munh tedh|muh tedh|मुंह लटक|जुबान लडखड|जबान लडखड|zuban ladkhad|ज़ुबान|एक तरफ कमजोरी|ek taraf kamzori|ek taraf kamjori",
        ),
      ],
    ],
  },
  {
    flag: "pregnancy-bleeding-or-pain",
    rules: [
      // "pregnancy test" and a routine pregnancy check-up are not flags.
      [
        stem("pregnan|expecting a baby|months? pregnant"),
        stem(
          "bleed|blood|spotting|pain|cramp|water (?:broke|broken|leak)|fluid leak|baby (?:is )?not moving|no (?:baby )?movement|fits?|seizure",
        ),
      ],
      [stem("ಗರ್ಭಿಣಿ|ಗರ್ಭ|ಬಸುರಿ|ಬಸರಿ"), stem("ರಕ್ತ|ನೋವ|ಸ್ರಾವ|ನೀರು ಹೋಗ|ಮಗು ಅಲುಗಾಡ")],
      [stem("garbhini|garbini|garbha|basuri|basari"), stem("rakt|novu|nov|srava|bleed|pain")],
      [
        stem("गर्भवती|गर्भ|प्रेग्नेंट|प्रेगनेंट|pregnant|garbhvati|garbhavati"),
        stem("खून|रक्त|दर्द|kh?oo?n|dard|bleed|pain|पानी निकल|pani nikal|पानी गिर"),
      ],
    ],
  },
  {
    flag: "poisoning",
    rules: [
      // "food poisoning" is not a flag.
      [`(?<![${LETTER}])(?<!food )poison`],
      [
        word(
          "pesticides?|insecticides?|weed ?killer|rat kill(?:er)?|overdose|took too many (?:tablets|pills)|swallowed (?:a |some )?(?:chemical|acid|tablets|pills|battery|bleach)|dr[ua]nk (?:kerosene|acid|bleach|phenyl|pesticide)",
        ),
      ],
      // ವಿಷಯ (a matter), ವಿಷಮ ಜ್ವರ (typhoid) and ವಿಷ್ಣು (a name) are not flags.
      [`${stem("ವಿಷ")}(?:[ದವ]|(?![${LETTER}]))`],
      [stem("ಕೀಟನಾಶಕ|ಕ್ರಿಮಿನಾಶಕ|ಇಲಿ ಪಾಷಾಣ|ಪಾಷಾಣ")],
      [word("visha|vishada|vishavannu|visha kudid\\w*|keetanashaka|kritinashaka|ili pashana|pashana")],
      // विषय (a topic) is not a flag.
      [
        stem(
          "जहर|zahar|zehar|jahar|jeher|कीटनाशक|keetnashak|kitnashak|चूहे मार|chuhe mar|चूहा मार|फिनाइल|phenyl|मिट्टी का तेल पी",
        ),
      ],
      [`${stem("विष")}(?![्\\p{L}])`],
    ],
  },
  {
    flag: "snake-bite",
    rules: [
      // "dog bite" and "insect bite" are not flags.
      [
        word(
          "snake ?bite|snakebite|bitten by (?:a )?snake|snake (?:has )?bit(?:ten)?|cobra|viper|krait|scorpion (?:sting|bite|stung)|stung by (?:a )?scorpion",
        ),
      ],
      [near(stem("ಹಾವ|ಹಾವು"), stem("ಕಚ್ಚ|ಕಡಿ"), 1)],
      [stem("ಹಾವುಕಡಿ|ಚೇಳು ಕಚ್ಚ|ಚೇಳು ಕುಟ|ಚೇಳು ಕಡಿ")],
      [near(word("haa?vu|haavina|havina|hau"), stem("kacc?h|kachch|kadi"), 1)],
      [stem("chelu kacc?h|chelu kutt")],
      [near(stem("सांप|साप|saa?np|saap"), stem("काट|kaa?t|डस|das"), 2)],
      [stem("सर्पदंश|sarpdansh|बिच्छू|bichhu|bicchu")],
    ],
  },
  {
    flag: "severe-burn",
    rules: [
      // "burning sensation", "heartburn" and "sunburn" are not flags.
      [word("burns?|burnt|burned|scald(?:ed|s)?|caught fire|acid (?:attack|burn|thrown)|electric shock|electrocuted")],
      // ಮೂತ್ರ ಉರಿ (burning urine) is not a flag.
      [stem("ಸುಟ್ಟ|ಬೆಂಕಿ ತಗುಲ|ಬೆಂಕಿ ಹತ್ತ|ಬೆಂಕಿಯಿಂದ|ಕಾದ ಎಣ್ಣೆ|ಆಸಿಡ್|ಕರೆಂಟ್ ಹೊಡೆ|ಶಾಕ್ ಹೊಡೆ")],
      [stem("sutta gaa?ya|suttu hoy|suttide|suttiddare|benki|kaada enne|current hode|shock hode")],
      // पेशाब में जलन (burning urine) and सीने में जलन (heartburn) are not flags.
      [
        stem(
          "जल गय|जल गई|जल गए|जला दिया|झुलस|आग से जल|आग लग|तेजाब|एसिड|करंट लग|jal gay|jal gai|jhulas|aag se jal|aag lag|tezab|tejab|current lag|karant lag",
        ),
      ],
    ],
  },
  {
    flag: "infant-fever",
    rules: [
      // Fever alone, or a baby's vaccination, is not a flag.
      [
        stem(
          "bab(?:y|ies)|infant|new ?born|(?:\\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven) (?:days?|weeks?|months?) old",
        ),
        stem("fever|temperature|feverish|hot to touch"),
      ],
      [stem("child|son|daughter|kid"), word("(?:very )?high (?:fever|temperature)|fever (?:of )?(?:10[3-6]|39|40|41)")],
      [stem("ಪಾಪು|ಶಿಶು|ಕೂಸು|ಹಸುಗೂಸು|ಹಸುಳೆ|ನವಜಾತ|ತಿಂಗಳ ಮಗು|ತಿಂಗಳಿನ ಮಗು|ದಿನದ ಮಗು"), stem("ಜ್ವರ")],
      [stem("ಮಗು|ಮಗುವ|ಮಗುವಿ"), near(stem("ತುಂಬಾ|ಜಾಸ್ತಿ|ಹೆಚ್ಚು|ವಿಪರೀತ"), stem("ಜ್ವರ"), 1)],
      [stem("paa?pu|shishu|koosu|hasugusu|thi?ngala magu"), stem("jw?v?ara")],
      [stem("magu|maguvi"), near(stem("th?umba|jaa?sti|hechchu|vipareeta"), stem("jw?v?ara"), 1)],
      [
        stem("शिशु|नवजात|नन्हा|नन्ही|महीने का बच्च|महीने की बच्च|दिन का बच्च|बेबी|shishu|navjaa?t"),
        stem("बुखार|bukhaa?r|ताप|fever"),
      ],
      [
        stem("बच्च|bacc?h|bachch"),
        near(stem("तेज|बहुत|ज्यादा|tez|tej|bahut|jyada|zyada|high"), stem("बुखार|bukhaa?r|fever"), 1),
      ],
    ],
  },
  {
    flag: "self-harm",
    rules: [
      [
        word(
          "suicid(?:e|al)|kill (?:my|him|her)self|killing (?:my|him|her)self|end (?:my|his|her) life|self ?harm|cut (?:my|him|her)self|want to die|hanged (?:him|her)self",
        ),
      ],
      [stem("ಆತ್ಮಹತ್ಯ|ಸಾಯಬೇಕು|ಸಾಯ್ತೀನಿ|ನೇಣು")],
      [stem("aa?tmahatya|saayabeku|saaytini|nenu haak")],
      [stem("आत्महत्या|खुदकुशी|मरना चाहत|जान दे|फांसी|aa?tmahatya|khudkushi|marna chahta|marna chahti|phansi|fansi")],
    ],
  },
  {
    flag: "severe-injury",
    rules: [
      [
        word(
          "accident|hit by (?:a )?(?:car|bus|bike|lorry|truck|vehicle)|fell from (?:a )?(?:height|tree|roof|building|terrace|ladder)|head injury|stab(?:bed)?|gunshot|bone (?:is )?sticking out",
        ),
      ],
      [stem("ಅಪಘಾತ|ಆಕ್ಸಿಡೆಂಟ್|ಎತ್ತರದಿಂದ ಬಿದ್ದ|ಮರದಿಂದ ಬಿದ್ದ|ತಲೆಗೆ ಪೆಟ್ಟ")],
      [stem("apaghaa?ta|maradinda bidd|ettaradinda bidd|talege pett")],
      [
        stem(
          "दुर्घटना|एक्सीडेंट|हादसा|ऊंचाई से गिर|छत से गिर|पेड से गिर|सिर में चोट|सिर पर चोट|durghatna|hadsa|chhat se gir|ped se gir|sir me chot|sir mein chot|sar me chot",
        ),
      ],
    ],
  },
];
