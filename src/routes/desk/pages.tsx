/** Small shared pages of the desk. */
import type { DeskContext } from "../../desk/context.ts";
import { labels } from "../../desk/labels.ts";

/** Refuses with a page that says so (403: not yours; 404: no such thing). */
export function deny(c: DeskContext, status: 403 | 404) {
  c.status(status);
  return c.render(<p class="notice error">{status === 403 ? labels.forbidden : labels.notFound}</p>, {
    title: status === 403 ? "Forbidden" : "Not found",
  });
}
