/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";

// The Tauri window loads ui/dist (see tauri.conf.json). Dev server is fixed on
// 127.0.0.1:5173 (devUrl). `vite --mode preview-mock` swaps the IPC for the fake
// backend in ui/dev/ so the UI can be previewed in a plain browser.
export default defineConfig(({ mode }) => ({
  base: "./",
  plugins: [react()],
  clearScreen: false,
  server: {
    host: "127.0.0.1",
    port: 5173,
    strictPort: true,
    watch: { ignored: ["**/dist/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: ["safari15", "es2021"],
    sourcemap: mode === "preview-mock",
    chunkSizeWarningLimit: 800,
  },
  test: {
    environment: "jsdom",
    setupFiles: ["./src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}"],
    css: false,
    restoreMocks: true,
  },
}));
