import { defineConfig } from "drizzle-kit";

// Generates the flat migrations/NNNN_name.sql files that wrangler and readD1Migrations apply.
export default defineConfig({
  dialect: "sqlite",
  schema: "./src/db/schema.ts",
  out: "./migrations",
});
