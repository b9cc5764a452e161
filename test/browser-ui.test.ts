// The web UI in Debian's Chromium against the real API server on a seeded store: both views load, the language
// switches (and `lang` follows), a limit change opens with its headline, reasons and plan, the borrower view fits a
// 375 px phone, what-ifs show by band, a review is followed to completion, decisions replay. The borrower reads
// sentences, never reason codes, and one money format per language (en CNY 9,800.00, zh-CN ¥9,800.00); a frozen
// borrower reads the way out (repay the overdue amount first) where the re-evaluation button would be.
// Screenshots land in test-results/; no console error may occur.

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { type Browser, type ConsoleMessage, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureWebBuild } from "../web/ensure-build.mjs";
import { startWebApiServer, type WebApiServer, webFrozenCustomerId } from "./support/web-api-server.js";

const chromiumPath = "/usr/bin/chromium";
const screenshotsDir = join(process.cwd(), "test-results", "browser-ui");
const distDir = join(process.cwd(), "web", "dist");
const phoneWidthPx = 375;
/** Upper bound for any single UI expectation, in milliseconds. */
const expectTimeoutMs = 15_000;

let browser: Browser;
let server: WebApiServer;

beforeAll(async () => {
  mkdirSync(screenshotsDir, { recursive: true });
  await ensureWebBuild({ quiet: true });
  server = await startWebApiServer(distDir);
  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** Records console errors and uncaught page errors; the suite asserts none happened. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (m: ConsoleMessage) => {
    if (m.type() === "error") errors.push(`console: ${m.text()} @ ${m.location().url}`);
  });
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  return errors;
}

async function shot(page: Page, name: string) {
  await page.screenshot({ path: join(screenshotsDir, `${name}.png`), fullPage: true });
}

async function htmlLang(page: Page) {
  return page.evaluate(() => document.documentElement.lang);
}

/** Reason, rule and condition codes as the JSON carries them (R_…, P_…, C_…): never shown to a borrower. */
const reasonCodePattern = /\b[RPC]_[A-Z0-9_]{2,}\b/;

/** The borrower view's text: no reason code, and money in the language's one format only. */
async function expectBorrowerText(page: Page, lang: "en" | "zh-CN"): Promise<string> {
  const text = (await page.locator(".borrower").textContent()) ?? "";
  expect(text).not.toMatch(reasonCodePattern);
  expect(await page.locator(".borrower code").count()).toBe(0);
  if (lang === "en") {
    expect(text).toContain("CNY ");
    expect(text).not.toContain("¥");
  } else {
    expect(text).toContain("¥");
    expect(text).not.toContain("CNY");
  }
  return text;
}

/** Form controls with no accessible name (no <label>, no aria-label): must be none. */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    Array.from(document.querySelectorAll("input, select, textarea"))
      .filter((el) => {
        const control = el as HTMLInputElement;
        return (control.labels?.length ?? 0) === 0 && !control.getAttribute("aria-label");
      })
      .map((el) => el.outerHTML.slice(0, 80)),
  );
}

describe("web UI in Chromium", () => {
  it("defaults to zh-CN when the browser prefers Chinese", async () => {
    const context = await browser.newContext({ locale: "zh-CN" });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/#/borrower`);
    await page.getByRole("heading", { name: "查看授信额度" }).waitFor({ timeout: expectTimeoutMs });
    expect(await htmlLang(page)).toBe("zh-CN");
    await context.close();
    expect(errors).toEqual([]);
  });

  it("walks the borrower view and the operations console on the API server", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    page.setDefaultTimeout(expectTimeoutMs);

    // Borrower: pick a demo customer whose limit fell.
    await page.goto(`${server.url}/#/borrower`);
    expect(await htmlLang(page)).toBe("en");
    await page.locator('[data-testid="demo-customer"][data-last-change="decrease"]').first().click();
    const figures = page.getByTestId("line-figures");
    await figures.waitFor();
    expect(await figures.textContent()).toContain("Credit limit");
    await page.getByTestId("timeline-chart").locator("svg").waitFor();

    // Open the latest change (a decrease): its reasons, attribution and recovery plan.
    const latest = page.getByTestId("limit-change").first();
    expect(await latest.textContent()).toContain("−CNY ");
    await latest.click();
    const detail = page.getByTestId("change-detail");
    await detail.getByTestId("reasons").locator("li").first().waitFor();
    expect(await detail.getByTestId("headline").textContent()).toMatch(
      /^Your limit fell from CNY [\d,]+\.\d\d to CNY/,
    );
    expect(await detail.getByTestId("reasons").locator("li").count()).toBeGreaterThan(0);
    await detail.getByTestId("attribution-chart").locator("svg").waitFor();
    const plan = detail.getByTestId("plan");
    await plan.waitFor();
    const steps = plan.getByRole("checkbox");
    const stepCount = await steps.count();
    expect(stepCount).toBeGreaterThan(0);
    await steps.first().check();
    expect(await plan.textContent()).toContain(`1 of ${stepCount} steps done`);
    expect(await plan.textContent()).toMatch(/Expected by \d{4}-\d{2}-\d{2}/);
    await expectBorrowerText(page, "en");
    await shot(page, "borrower-change-en");

    // The re-evaluation explains that it counts as a limit query before it runs.
    await page.getByRole("button", { name: "Request re-evaluation" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain("limit query");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "hidden" });
    // List every decision (also those that kept the limit), so the new one shows whatever it decided.
    await page.getByLabel("Also list decisions that kept the limit").check();
    const changesBefore = await page.getByTestId("limit-change").count();
    await page.getByRole("button", { name: "Request re-evaluation" }).click();
    await dialog.getByRole("button", { name: "Yes, re-evaluate now" }).click();
    await page.getByTestId("reevaluate-result").getByText("Re-evaluated").waitFor();
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="limit-change"]').length === n + 1,
      changesBefore,
    );

    // Switch language: text and the lang attribute follow.
    await page.getByLabel("Language").selectOption("zh-CN");
    await page.getByRole("heading", { name: "额度变化记录" }).waitFor();
    expect(await htmlLang(page)).toBe("zh-CN");
    // Keyboard: a change is a real button; opening it moves focus to its detail.
    await page.getByTestId("limit-change").nth(1).focus();
    await page.keyboard.press("Enter");
    await page.getByRole("heading", { name: "如何恢复额度" }).waitFor();
    await page.waitForFunction(() => document.activeElement?.id === "change-title");
    await detail.getByTestId("reasons").locator("li").first().waitFor();
    await page.getByRole("heading", { name: "如何恢复额度" }).waitFor();
    await page.waitForFunction(() => !document.querySelector(".borrower")?.textContent?.includes("CNY"));
    await expectBorrowerText(page, "zh-CN");
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, "borrower-change-zh");

    // Phone width: nothing wider than the screen.
    await page.setViewportSize({ width: phoneWidthPx, height: 800 });
    await page.getByTestId("limit-change").first().waitFor();
    // Charts follow the new width on their resize callback: give the layout its turn before measuring.
    await page
      .waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth, null, {
        timeout: expectTimeoutMs,
      })
      .catch(() => undefined);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, "borrower-phone-zh");
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByLabel("语言").selectOption("en");

    // Operations console with a demo operator session.
    await page.getByRole("link", { name: "Operations console" }).click();
    await page.getByTestId("demo-operator").click();
    await page.getByTestId("portfolio-figures").waitFor();
    await shot(page, "console-overview");

    await page.getByRole("link", { name: "Policies" }).click();
    await page.getByTestId("policy-versions").waitFor();
    expect(await page.getByTestId("policy-versions").locator("tbody tr").count()).toBeGreaterThan(0);
    expect(await unlabelledControls(page)).toEqual([]);
    // What-if of the current settings, by band, from the policy editor (nothing is published).
    const publish = page.getByRole("button", { name: "Publish policy" });
    expect(await publish.isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Run what-if" }).click();
    const policyWhatIf = page.getByTestId("what-if");
    await policyWhatIf.waitFor();
    expect(await policyWhatIf.locator("tbody tr").count()).toBeGreaterThan(1);

    // Macro: lower the risk appetite in the current document and preview it: limits fall somewhere.
    await page.getByRole("link", { name: "Macro settings" }).click();
    const macroEditor = page.getByLabel(/^Macro settings document/);
    await page.waitForFunction(() =>
      (document.getElementById("macro-editor") as HTMLTextAreaElement | null)?.value.startsWith("{"),
    );
    const macro = JSON.parse(await macroEditor.inputValue()) as { riskAppetite: { default: number } };
    macro.riskAppetite.default = macro.riskAppetite.default * 0.8;
    await macroEditor.fill(JSON.stringify(macro, null, 2));
    await page.getByRole("button", { name: "Preview impact (what-if)" }).click();
    const macroWhatIf = page.getByTestId("what-if");
    await macroWhatIf.waitFor();
    // The total row's cells: lines, increases, decreases, …
    const decreasesTotal = macroWhatIf.locator("tbody tr.total td").nth(2);
    expect(Number(await decreasesTotal.textContent())).toBeGreaterThan(0);
    await shot(page, "console-what-if");

    // Reviews: start a dry run and follow its progress to completion.
    await page.getByRole("link", { name: "Reviews" }).click();
    await page.getByRole("button", { name: "Start review" }).click();
    const progress = page.getByTestId("review-progress");
    await progress.waitFor();
    await progress.getByText("completed").waitFor();
    await page.getByTestId("reviews").locator("tbody tr").first().waitFor();
    await shot(page, "console-review");

    // Decisions: search and replay the newest; the engine reproduces it.
    await page.getByRole("link", { name: "Decisions" }).click();
    const firstRow = page.getByTestId("decisions").locator("tbody tr").first();
    await firstRow.waitFor();
    await firstRow.getByRole("button", { name: /^Replay/ }).click();
    await firstRow.getByText("Replay identical").waitFor();
    // Its evidence: the sources of the events it was made from (the lending service's among them).
    await firstRow.getByRole("button", { name: /^Sources/ }).click();
    await firstRow
      .getByTestId("decision-sources")
      .getByText(/lending \d+/)
      .waitFor();
    expect(await unlabelledControls(page)).toEqual([]);
    await shot(page, "console-decisions");

    for (const [link, testId] of [
      ["Models", "monitoring"],
      ["Champion/challenger", "experiments"],
      ["Audit log", "audit"],
    ] as const) {
      await page.getByRole("link", { name: link }).click();
      await page.getByTestId(testId).waitFor();
    }

    await context.close();
    expect(errors).toEqual([]);
  });

  it("shows a frozen borrower the amount to repay first, in place of the re-evaluation button", async () => {
    const context = await browser.newContext({ locale: "en-US", viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    page.setDefaultTimeout(expectTimeoutMs);

    await page.goto(`${server.url}/#/borrower`);
    await page.getByRole("button", { name: new RegExp(`Open ${webFrozenCustomerId} `) }).click();
    const figures = page.getByTestId("line-figures");
    await figures.waitFor();
    expect(await figures.textContent()).toContain("frozen");
    // The reason stands where the button was: repay the overdue amount first.
    const withheld = page.getByTestId("reevaluate-withheld");
    expect(await withheld.textContent()).toMatch(
      /^Your line is frozen while CNY [\d,]+\.\d\d is overdue\. Repay the overdue amount first/,
    );
    expect(await page.getByRole("button", { name: "Request re-evaluation" }).count()).toBe(0);

    // The freeze kept the limit: list unchanged decisions too, and open the latest.
    await page.getByLabel("Also list decisions that kept the limit").check();
    await page.getByTestId("limit-change").first().click();
    const plan = page.getByTestId("change-detail").getByTestId("plan");
    await plan.waitFor();
    // The plan leads with the arrears: its first step when verified, else its first action.
    const first = plan.locator('[data-action="repay_overdue"], [data-kind="repay_overdue"]').first();
    expect(await first.textContent()).toMatch(
      /Repay the CNY [\d,]+\.\d\d overdue now: once it is paid your line is no longer frozen/,
    );
    const leading = plan.locator("ol.checklist > li, [data-testid='plan-actions'] > li").first();
    expect(
      await leading.evaluate((el) => el.getAttribute("data-action") ?? el.getAttribute("data-kind")),
    ).toBe("repay_overdue");
    expect(await plan.textContent()).not.toContain("No verified recovery plan");
    await expectBorrowerText(page, "en");
    await shot(page, "borrower-frozen-en");

    await page.getByLabel("Language").selectOption("zh-CN");
    await page.getByRole("heading", { name: "如何恢复额度" }).waitFor();
    await page.waitForFunction(() => !document.querySelector(".borrower")?.textContent?.includes("CNY"));
    expect(await withheld.textContent()).toMatch(/^您的额度因¥[\d,]+\.\d\d逾期未还已被冻结/);
    expect(await first.textContent()).toMatch(/^立即归还逾期款项¥[\d,]+\.\d\d/);
    await expectBorrowerText(page, "zh-CN");
    await shot(page, "borrower-frozen-zh");

    await context.close();
    expect(errors).toEqual([]);
  });
});
