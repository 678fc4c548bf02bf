import { describe, expect, it } from "vitest";
import { createLatest } from "./latest";

const later = <T,>(ms: number, v: T) => new Promise<T>((r) => setTimeout(() => r(v), ms));

describe("createLatest", () => {
  it("marks a slow earlier response as stale", async () => {
    const latest = createLatest();
    const slow = latest.run(() => later(40, "old"));
    const fast = latest.run(() => later(5, "new"));
    await expect(fast).resolves.toEqual({ stale: false, value: "new" });
    await expect(slow).resolves.toEqual({ stale: true });
  });
  it("swallows a stale failure but rejects the current one", async () => {
    const latest = createLatest();
    const stale = latest.run(() => Promise.reject(new Error("x")));
    const current = latest.run(() => Promise.reject(new Error("y")));
    await expect(stale).resolves.toEqual({ stale: true });
    await expect(current).rejects.toThrow("y");
  });
  it("cancel() invalidates what is in flight", async () => {
    const latest = createLatest();
    const p = latest.run(() => later(5, 1));
    latest.cancel();
    await expect(p).resolves.toEqual({ stale: true });
  });
});
