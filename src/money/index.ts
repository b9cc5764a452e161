// money: integer minor units, rates in ppm, named rounding — no I/O.
export * from "./money.js";
