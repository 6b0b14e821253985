import { sql } from "drizzle-orm";

/**
 * `(SELECT value FROM json_each(?))`, for `inArray(column, idsFromJson(ids))`: a list of ids bound
 * as one JSON parameter, so a whole desk queue stays under D1's limit of 100 bound parameters.
 */
export function idsFromJson(ids: readonly number[]) {
  return sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))`;
}
