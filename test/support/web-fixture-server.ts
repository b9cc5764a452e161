// A tiny stand-in for the HTTP API that serves the contract's JSON shapes (one demo borrower, one operator)
// and the web UI's static build: it lets the browser suite exercise every screen independent of the store.

import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";

type Lang = "zh-CN" | "en";
const borrowerKey = "fixture-borrower-key";
const operatorKey = "fixture-operator-key";
export const fixtureCustomerId = "c-0001";
const lineId = "l-0001";

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

const text = (lang: Lang, en: string, zh: string) => (lang === "zh-CN" ? zh : en);

function explanation(lang: Lang, decisionId: string) {
  const latest = decisionId === "d-3";
  return {
    decisionId,
    businessDate: latest ? "2026-05-10" : "2026-03-01",
    trigger: latest ? "repayment.settled" : "review.periodic",
    previousLimitMinor: latest ? 2_000_000 : 1_500_000,
    newLimitMinor: latest ? 1_800_000 : 2_000_000,
    reasons: [
      {
        code: "utilisation_high",
        kind: "characteristic",
        message: text(lang, "You used most of your limit", "额度使用率较高"),
        featureId: "utilisation",
        value: 0.92,
      },
      {
        code: "limit_queries_frequent",
        kind: "characteristic",
        message: text(lang, "Frequent limit queries", "频繁查询额度"),
        featureId: "limitQueries30d",
        value: 6,
      },
    ],
    attribution: latest
      ? [
          {
            group: "behaviour",
            amountMinor: -300_000,
            label: text(lang, "Your behaviour", "用信行为"),
            platformWide: false,
          },
          {
            group: "macro",
            amountMinor: -100_000,
            label: text(lang, "Risk appetite change of 2026-05-01", "2026-05-01 风险偏好调整"),
            announcementId: "a-12",
            platformWide: true,
          },
          {
            group: "guardrail",
            amountMinor: 200_000,
            label: text(lang, "Step cap", "单次调整上限"),
            platformWide: false,
          },
        ]
      : [
          {
            group: "behaviour",
            amountMinor: 500_000,
            label: text(lang, "Your behaviour", "用信行为"),
            platformWide: false,
          },
        ],
    plan: latest
      ? {
          status: "restore",
          summary: text(lang, "Two steps restore ¥20,000.00.", "完成两步即可恢复至 ¥20,000.00。"),
          targetLimitMinor: 2_000_000,
          reachableLimitMinor: 2_000_000,
          steps: [
            {
              order: 1,
              featureId: "utilisation",
              action: "repay",
              message: text(
                lang,
                "Repay ¥3,000.00 to bring utilisation under 60%",
                "还款 ¥3,000.00，使额度使用率低于 60%",
              ),
              days: 0,
              moneyMinor: 300_000,
              projectedScore: 631,
              projectedLimitMinor: 1_900_000,
            },
            {
              order: 2,
              featureId: "limitQueries30d",
              action: "avoid_limit_queries",
              message: text(lang, "Do not query your limit for 30 days", "30 天内不要查询额度"),
              days: 30,
              moneyMinor: 0,
              projectedScore: 648,
              projectedLimitMinor: 2_000_000,
            },
          ],
          eta: "2026-06-09",
          earliestReevaluation: "2026-05-17",
          nextReviewDate: "2026-06-01",
          verified: true,
        }
      : null,
  };
}

function decisionSummaries(lang: Lang) {
  return ["d-3", "d-2"].map((id) => {
    const e = explanation(lang, id);
    return {
      decisionId: id,
      customerId: fixtureCustomerId,
      businessDate: e.businessDate,
      trigger: e.trigger,
      previousLimitMinor: e.previousLimitMinor,
      newLimitMinor: e.newLimitMinor,
      score: id === "d-3" ? 612 : 655,
      band: id === "d-3" ? "C" : "B",
      reasons: e.reasons.map((r) => ({ code: r.code, message: r.message })),
    };
  });
}

const band = (name: string, inc: number, dec: number, same: number) => ({
  band: name,
  lines: inc + dec + same,
  increases: inc,
  decreases: dec,
  unchanged: same,
  exposureChangeMinor: (inc - dec) * 100_000,
  expectedLossChangeMinor: (dec - inc) * 1_000,
});

interface FixtureState {
  reviewPolls: number;
}

function route(method: string, url: URL, role: "borrower" | "operator" | null, state: FixtureState) {
  const lang: Lang = url.searchParams.get("lang") === "zh-CN" ? "zh-CN" : "en";
  const path = url.pathname;
  const op = role === "operator";
  if (method === "GET" && path === "/v1/demo/customers")
    return {
      items: [
        {
          customerId: fixtureCustomerId,
          persona: "over-borrower",
          limitMinor: 1_800_000,
          lastChange: "decrease",
        },
        { customerId: "c-0002", persona: "steady", limitMinor: 3_000_000, lastChange: "increase" },
      ],
    };
  if (method === "POST" && path === "/v1/demo/session") return null; // handled by the caller (needs the body)
  if (role === null) return { status: 401, error: "unauthorized" };
  if (method === "GET" && path === "/v1/me")
    return { role, customerId: role === "borrower" ? fixtureCustomerId : null };
  if (method === "GET" && path === `/v1/customers/${fixtureCustomerId}`)
    return {
      customerId: fixtureCustomerId,
      lineId,
      limitMinor: 1_800_000,
      availableMinor: 1_300_000,
      outstandingMinor: 500_000,
      status: "active",
      score: 612,
      band: "C",
      latestDecisionId: "d-3",
    };
  if (method === "GET" && path === `/v1/customers/${fixtureCustomerId}/explanation`)
    return explanation(lang, "d-3");
  if (method === "GET" && path === `/v1/customers/${fixtureCustomerId}/decisions`)
    return { items: decisionSummaries(lang), nextCursor: null };
  if (method === "POST" && path === `/v1/customers/${fixtureCustomerId}/reevaluations`)
    return { decisionId: "d-4", previousLimitMinor: 1_800_000, newLimitMinor: 1_800_000 };
  if (method === "GET" && path === `/v1/lines/${lineId}/schedule`)
    return {
      items: [1, 2, 3].map((n) => ({
        drawdownId: "dd-1",
        n,
        dueDate: `2026-0${5 + n}-15`,
        principalMinor: 166_667,
        interestMinor: 6_000,
        totalMinor: 172_667,
        paidMinor: 0,
        status: n === 1 ? "due" : "upcoming",
      })),
    };
  if (method === "GET" && /^\/v1\/decisions\/d-\d$/.test(path)) {
    const id = path.split("/").at(-1)!;
    return { decisionId: id, customerId: fixtureCustomerId, rendered: explanation(lang, id) };
  }
  if (method === "GET" && path === "/v1/announcements")
    return {
      items: [
        {
          announcementId: "a-12",
          kind: "macro",
          title: text(lang, "Risk appetite adjusted", "风险偏好调整"),
          body: text(
            lang,
            "Limits are reviewed platform-wide from 1 May.",
            "自 5 月 1 日起全平台重新评估额度。",
          ),
          effectiveDate: "2026-05-01",
          publishedAt: "2026-04-25T02:00:00.000Z",
        },
      ],
    };
  if (!op) return { status: 403, error: "forbidden" };
  if (method === "GET" && path === "/v1/portfolio/summary")
    return {
      businessDate: "2026-05-10",
      lines: 1_000,
      exposureMinor: 2_500_000_000,
      outstandingMinor: 900_000_000,
      budgetMinor: 3_000_000_000,
      limitHistogram: [0, 1, 2, 3].map((i) => ({
        fromMinor: 100_000 + i * 500_000,
        toMinor: 600_000 + i * 500_000,
        count: 100 + 50 * i,
      })),
      scoreHistogram: [0, 1, 2, 3].map((i) => ({ from: 500 + 50 * i, to: 550 + 50 * i, count: 80 + 30 * i })),
      utilisationHistogram: [0, 1, 2, 3].map((i) => ({
        from: 25 * i,
        to: 25 * (i + 1),
        count: 250 - 20 * i,
      })),
      dpdByMonth: ["2026-03", "2026-04", "2026-05"].map((month, i) => ({
        month,
        current: 950 - i * 5,
        dpd1to29: 30 + i,
        dpd30to59: 12 + i,
        dpd60plus: 8 + i,
      })),
      decisionsByReason: [
        { code: "utilisation_high", count: 120 },
        { code: "limit_queries_frequent", count: 64 },
      ],
    };
  if (method === "GET" && path === "/v1/policies")
    return {
      items: [
        {
          policyId: "default",
          version: 2,
          effectiveDate: "2026-04-01",
          status: "active",
          weight: 1,
          createdAt: "2026-03-25T00:00:00.000Z",
        },
        {
          policyId: "default",
          version: 1,
          effectiveDate: "2026-01-01",
          status: "inactive",
          weight: 0,
          createdAt: "2025-12-20T00:00:00.000Z",
        },
      ],
    };
  if (method === "POST" && path === "/v1/policies/what-if") {
    const byBand = [
      band("A", 40, 2, 158),
      band("B", 30, 10, 260),
      band("C", 5, 60, 235),
      band("D", 0, 90, 110),
    ];
    const sum = (
      k:
        | "lines"
        | "increases"
        | "decreases"
        | "unchanged"
        | "exposureChangeMinor"
        | "expectedLossChangeMinor",
    ) => byBand.reduce((a, b) => a + b[k], 0);
    return {
      lines: sum("lines"),
      increases: sum("increases"),
      decreases: sum("decreases"),
      unchanged: sum("unchanged"),
      exposureChangeMinor: sum("exposureChangeMinor"),
      expectedLossChangeMinor: sum("expectedLossChangeMinor"),
      byBand,
    };
  }
  if (method === "GET" && path === "/v1/macro")
    return { macroId: "macro", version: 3, announcementId: "a-12", document: { riskAppetitePpm: 950_000 } };
  if (method === "POST" && path === "/v1/reviews") return { status: 202, body: { reviewId: "r-1" } };
  if (method === "GET" && path === "/v1/reviews/r-1") {
    state.reviewPolls += 1;
    const done = Math.min(1_000, state.reviewPolls * 400);
    return {
      reviewId: "r-1",
      status: done >= 1_000 ? "completed" : "running",
      total: 1_000,
      done,
      increases: Math.floor(done / 10),
      decreases: Math.floor(done / 20),
      unchanged: done - Math.floor(done / 10) - Math.floor(done / 20),
      startedAt: "2026-05-10T02:00:00.000Z",
      finishedAt: done >= 1_000 ? "2026-05-10T02:01:00.000Z" : null,
    };
  }
  if (method === "GET" && path === "/v1/reviews") return { items: [], nextCursor: null };
  if (method === "GET" && path === "/v1/models")
    return { items: [{ modelId: "behaviour-v1", active: true }] };
  if (method === "GET" && path === "/v1/models/behaviour-v1/monitoring")
    return {
      psi: 0.04,
      characteristics: [{ name: "utilisation", psi: 0.06 }],
      auc: 0.78,
      ks: 0.41,
      history: [
        { date: "2026-03-31", auc: 0.79, ks: 0.42, psi: 0.02 },
        { date: "2026-04-30", auc: 0.78, ks: 0.41, psi: 0.04 },
      ],
    };
  if (method === "GET" && path === "/v1/decisions")
    return { items: decisionSummaries(lang), nextCursor: null };
  if (method === "POST" && /^\/v1\/decisions\/d-\d\/replay$/.test(path))
    return { identical: true, differences: [] };
  if (method === "GET" && path === "/v1/experiments")
    return {
      arms: [
        {
          arm: "champion",
          policyVersion: 2,
          decisions: 900,
          meanChangeMinor: 12_000,
          increaseShare: 0.2,
          decreaseShare: 0.1,
          expectedLossMinor: 5_000_000,
        },
        {
          arm: "challenger",
          policyVersion: 3,
          decisions: 100,
          meanChangeMinor: -8_000,
          increaseShare: 0.12,
          decreaseShare: 0.18,
          expectedLossMinor: 480_000,
        },
      ],
    };
  if (method === "GET" && path === "/v1/audit")
    return {
      items: [
        {
          auditId: "1",
          at: "2026-05-01T01:00:00.000Z",
          actor: "operator:demo",
          action: "macro.published",
          target: "macro@3",
          before: null,
          after: { version: 3 },
        },
      ],
      nextCursor: null,
    };
  return { status: 404, error: "not_found" };
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
  res.end(JSON.stringify(body));
}

function serveStatic(distDir: string, pathname: string, res: ServerResponse) {
  const relative = normalize(pathname === "/" ? "/index.html" : pathname).replace(/^(\.\.[/\\])+/, "");
  try {
    const body = readFileSync(join(distDir, relative));
    res.writeHead(200, { "content-type": contentTypes[extname(relative)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    send(res, 404, { error: { code: "not_found", message: "no such file", details: null } });
  }
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString("utf8");
  return raw === "" ? null : (JSON.parse(raw) as unknown);
}

export interface FixtureServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startWebFixtureServer(distDir: string): Promise<FixtureServer> {
  const state: FixtureState = { reviewPolls: 0 };
  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", "http://fixture");
      if (!url.pathname.startsWith("/v1/")) return serveStatic(distDir, url.pathname, res);
      const auth = req.headers.authorization;
      const role =
        auth === `Bearer ${borrowerKey}` ? "borrower" : auth === `Bearer ${operatorKey}` ? "operator" : null;
      const body = req.method === "GET" ? null : await readBody(req);
      if (req.method === "POST" && url.pathname === "/v1/demo/session") {
        const wanted = (body as { role?: string } | null)?.role;
        return send(res, 200, { key: wanted === "operator" ? operatorKey : borrowerKey });
      }
      const answer = route(req.method ?? "GET", url, role, state) as Record<string, unknown>;
      if (typeof answer.status === "number") {
        if (typeof answer.error === "string")
          return send(res, answer.status, {
            error: { code: answer.error, message: answer.error, details: null },
          });
        return send(res, answer.status, answer.body);
      }
      return send(res, 200, answer);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
