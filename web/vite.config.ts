// Builds the web UI (borrower view and operations console) into web/dist, which `headroom serve` serves at `/`.
// Relative asset paths keep the build servable from any prefix; the dev server proxies the API.

import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const apiTarget = "http://127.0.0.1:3000";

export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  plugins: [react()],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { "/v1": apiTarget },
  },
});
