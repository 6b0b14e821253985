/** The typed Hono context shared by every route. */
import type { Config } from "./config.ts";

export interface AppVariables {
  config: Config;
  /** The POST parameters Twilio sent, after the signature over them was checked. */
  params: Record<string, string>;
}

export interface AppEnv {
  Bindings: Env;
  Variables: AppVariables;
}
