/** Desk test helpers: staff users made directly in D1 (cheap hashes), and a browser-like client with cookies. */
import { env, exports } from "cloudflare:workers";
import { vi } from "vitest";
import { hashPassword } from "../../src/patients/password.ts";

let userCounter = 0;

export async function addStaff(
  role: "admin" | "desk" | "doctor",
  options: { clinics?: number[]; doctorId?: number; username?: string; password?: string } = {},
): Promise<{ id: number; username: string; password: string }> {
  const username = options.username ?? `${role}-${++userCounter}-${crypto.randomUUID().slice(0, 6)}`;
  const password = options.password ?? `pw-${username}`;
  // Few iterations: the stored count is honoured, and tests sign in often.
  const hashed = await hashPassword(password, crypto.getRandomValues(new Uint8Array(16)), 1000);
  const row = await env.DB.prepare(
    "INSERT INTO staff_users (username, role, doctor_id, password_hash, password_salt, password_iterations) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
  )
    .bind(username, role, options.doctorId ?? null, hashed.hash, hashed.salt, hashed.iterations)
    .first<{ id: number }>();
  for (const clinicId of options.clinics ?? [])
    await env.DB.prepare("INSERT INTO staff_clinics (user_id, clinic_id) VALUES (?, ?)").bind(row!.id, clinicId).run();
  return { id: row!.id, username, password };
}

export const ORIGIN = "https://line.test";

/** Keeps cookies like a browser, sends the Origin a browser sends, and remembers the last page's CSRF token. */
export class DeskClient {
  readonly cookies = new Map<string, string>();
  csrf = "";
  ip: string;

  constructor(ip = `10.0.0.${Math.floor(Math.random() * 250) + 1}`) {
    this.ip = ip;
  }

  private remember(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (/max-age=0|expires=thu, 01 jan 1970/i.test(line) || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return { ...(cookie ? { Cookie: cookie } : {}), "cf-connecting-ip": this.ip, ...extra };
  }

  async get(path: string): Promise<Response> {
    const res = await exports.default.fetch(`${ORIGIN}${path}`, { headers: this.headers(), redirect: "manual" });
    this.remember(res);
    const html = await res.clone().text();
    const token = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  async post(
    path: string,
    form: Record<string, string>,
    options: { csrf?: string | null; origin?: string | null } = {},
  ): Promise<Response> {
    const body = new URLSearchParams(form);
    const csrf = options.csrf === undefined ? this.csrf : options.csrf;
    if (csrf !== null && csrf !== "") body.set("_csrf", csrf);
    const origin = options.origin === undefined ? ORIGIN : options.origin;
    const res = await exports.default.fetch(`${ORIGIN}${path}`, {
      method: "POST",
      headers: this.headers({
        "Content-Type": "application/x-www-form-urlencoded",
        ...(origin !== null ? { Origin: origin } : {}),
      }),
      body,
      redirect: "manual",
    });
    this.remember(res);
    return res;
  }

  async signIn(username: string, password: string): Promise<Response> {
    const res = await this.post("/desk/login", { username, password });
    if (res.status === 303) {
      const landing = (await this.get("/desk")).headers.get("location");
      if (landing) await this.get(landing);
    }
    return res;
  }
}

/** Counts PBKDF2 password checks (each verify derives bits once) while `run` runs. */
export async function passwordChecks(run: () => Promise<unknown>): Promise<number> {
  const spy = vi.spyOn(crypto.subtle, "deriveBits");
  try {
    await run();
    return spy.mock.calls.length;
  } finally {
    spy.mockRestore();
  }
}
