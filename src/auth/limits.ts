/** Forms and API bodies of the desk and the patient page are small: anything larger is refused before it is read. */
import { bodyLimit } from "hono/body-limit";

export const FORM_LIMIT_BYTES = 32 * 1024;

export const smallBodies = bodyLimit({
  maxSize: FORM_LIMIT_BYTES,
  onError: (c) => c.text("That request is too large.", 413),
});
