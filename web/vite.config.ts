import react from "@vitejs/plugin-react";
import { defineConfig } from "vitest/config";

// The Go server serves the built files (see internal/webui); `npm run dev` serves
// them with hot reload and forwards the API to a server on :8080.
const api = "http://localhost:8080";

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: "dist",
    assetsDir: "assets",
    sourcemap: false,
  },
  server: {
    proxy: { "/api": api, "/health": api },
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    restoreMocks: true,
  },
});
