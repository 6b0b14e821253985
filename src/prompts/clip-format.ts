/**
 * The one audio format the line takes, checked on every clip before it is stored: what Exotel
 * and Plivo can play as well as Twilio.
 *   WAV: 8 kHz, mono, 16-bit PCM or 8-bit μ-law.  MP3: mono (constant bit rate).
 *   At most 512 KB and 30 seconds (a name: 10 seconds).
 */

export const CLIP_FORMAT = "WAV (8 kHz, mono, 16-bit PCM or 8-bit μ-law) or MP3 (mono), at most 512 KB";
export const MAX_CLIP_BYTES = 512 * 1024;
export const MAX_CLIP_SECONDS = 30;
export const MAX_NAME_SECONDS = 10;

export type ClipCheck =
  { ok: true; type: "audio/wav" | "audio/mpeg"; seconds: number } | { ok: false; problem: string };

const ascii = (bytes: Uint8Array, at: number, length: number) =>
  String.fromCharCode(...bytes.subarray(at, at + length));

function wav(bytes: Uint8Array): ClipCheck {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let format: { code: number; channels: number; rate: number; bits: number; byteRate: number } | undefined;
  let dataBytes: number | undefined;
  for (let at = 12; at + 8 <= bytes.length;) {
    const id = ascii(bytes, at, 4);
    const size = view.getUint32(at + 4, true);
    if (id === "fmt " && size >= 16 && at + 24 <= bytes.length)
      format = {
        code: view.getUint16(at + 8, true),
        channels: view.getUint16(at + 10, true),
        rate: view.getUint32(at + 12, true),
        byteRate: view.getUint32(at + 16, true),
        bits: view.getUint16(at + 22, true),
      };
    if (id === "data") dataBytes = Math.min(size, bytes.length - at - 8);
    at += 8 + size + (size % 2);
  }
  if (!format || dataBytes === undefined) return { ok: false, problem: "not a readable WAV file" };
  const pcm16 = format.code === 1 && format.bits === 16;
  const mulaw = format.code === 7 && format.bits === 8;
  if (!(pcm16 || mulaw)) return { ok: false, problem: "WAV must be 16-bit PCM or 8-bit μ-law" };
  if (format.rate !== 8000) return { ok: false, problem: `WAV must be 8 kHz (this one is ${format.rate} Hz)` };
  if (format.channels !== 1) return { ok: false, problem: "WAV must be mono" };
  if (dataBytes === 0 || format.byteRate === 0) return { ok: false, problem: "the WAV file holds no sound" };
  return { ok: true, type: "audio/wav", seconds: dataBytes / format.byteRate };
}

const MP3_KBPS = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];

function mp3(bytes: Uint8Array): ClipCheck {
  let at = 0;
  // An ID3v2 tag first: its size is four 7-bit bytes.
  if (ascii(bytes, 0, 3) === "ID3" && bytes.length > 10)
    at = 10 + ((bytes[6]! << 21) | (bytes[7]! << 14) | (bytes[8]! << 7) | bytes[9]!);
  const h = bytes.subarray(at, at + 4);
  // Frame sync, MPEG 2 or 2.5 layer III (the low-rate MPEG versions a phone line uses) or MPEG 1 layer III.
  if (h.length < 4 || h[0] !== 0xff || (h[1]! & 0xe0) !== 0xe0 || (h[1]! & 0x06) !== 0x02)
    return { ok: false, problem: "not a readable MP3 file" };
  if (h[3]! >> 6 !== 3) return { ok: false, problem: "MP3 must be mono" };
  const mpeg1 = (h[1]! & 0x18) === 0x18;
  const index = h[2]! >> 4;
  const kbps = mpeg1 ? [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320][index] : MP3_KBPS[index];
  if (!kbps) return { ok: false, problem: "MP3 must have a constant bit rate" };
  return { ok: true, type: "audio/mpeg", seconds: ((bytes.length - at) * 8) / (kbps * 1000) };
}

/** Whether `bytes` is a clip the line can play, and how long it is. */
export function checkClip(bytes: Uint8Array, maxSeconds = MAX_CLIP_SECONDS): ClipCheck {
  if (bytes.length === 0) return { ok: false, problem: "the file is empty" };
  if (bytes.length > MAX_CLIP_BYTES) return { ok: false, problem: `the file is over ${MAX_CLIP_BYTES / 1024} KB` };
  const checked = ascii(bytes, 0, 4) === "RIFF" && ascii(bytes, 8, 4) === "WAVE" ? wav(bytes) : mp3(bytes);
  if (checked.ok && checked.seconds > maxSeconds)
    return { ok: false, problem: `the clip is ${Math.round(checked.seconds)} s long; at most ${maxSeconds} s` };
  if (checked.ok && checked.seconds < 0.05) return { ok: false, problem: "the clip is too short to hear" };
  return checked;
}
