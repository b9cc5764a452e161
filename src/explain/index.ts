// explain: reason codes, limit-change attribution (Shapley over four groups), verified recovery plans,
// and the zh-CN / en message catalogue. Pure; explanations are stored language-neutral and rendered on read.
export * from "./types.js";
