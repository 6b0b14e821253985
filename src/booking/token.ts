/**
 * Appointment tokens: the doctor's initial, a hyphen, the slot number from the doctor's day
 * start (K-7 is 10:30 for a 09:00 start). Titles are not initials. When two doctors of a
 * clinic share an initial, both use first and last initials (KS-7, KR-7), and more letters of
 * the first name if those collide too, so tokens stay unique within a clinic on a date.
 */

const TITLES = new Set(["dr", "doctor", "prof", "professor", "mr", "mrs", "ms", "miss", "shri", "smt", "sri"]);

/** The words of a name that are not titles, upper-cased and reduced to letters. */
export function nameWords(name: string): string[] {
  return name
    .split(/[\s.]+/)
    .map((w) => w.replace(/[^\p{L}]/gu, ""))
    .filter((w) => w.length > 0 && !TITLES.has(w.toLowerCase()))
    .map((w) => w.toUpperCase());
}

function candidates(name: string): string[] {
  const words = nameWords(name);
  const first = words[0] ?? "X";
  const last = words.length > 1 ? words[words.length - 1]! : "";
  const list = [first.slice(0, 1), first.slice(0, 1) + last.slice(0, 1)];
  for (let n = 2; n <= first.length; n++) list.push(first.slice(0, n) + last.slice(0, 1));
  return [...new Set(list.filter(Boolean))];
}

/** The token prefix of every doctor in one clinic, unique among them. */
export function tokenPrefixes(doctors: ReadonlyArray<{ id: number; name: string }>): Map<number, string> {
  const options = new Map(doctors.map((d) => [d.id, candidates(d.name)]));
  const prefixes = new Map<number, string>();
  for (const doctor of doctors) {
    const mine = options.get(doctor.id)!;
    // The shortest form that no other doctor of the clinic could also start with.
    const others = doctors.filter((d) => d.id !== doctor.id).map((d) => options.get(d.id)!);
    const unique = mine.find((p) => others.every((o) => !o.includes(p)));
    prefixes.set(doctor.id, unique ?? `${mine[mine.length - 1]}${doctor.id}`);
  }
  return prefixes;
}

export function formatToken(prefix: string, slot: number): string {
  return `${prefix}-${slot}`;
}

/** How a token is read out: "K S, 7" so a text-to-speech voice spells the letters. */
export function spokenToken(token: string): string {
  const [letters = "", number = ""] = token.split("-");
  return `${letters.split("").join(" ")}, ${number}`;
}
