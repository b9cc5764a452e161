// time: business dates as epoch days, calendar arithmetic, instants and fixed-offset zones — pure.
export * from "./dates.js";
