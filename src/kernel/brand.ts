// Branded primitives: a number that is known to be money, a date, a rate — checked once where it is made.

declare const brand: unique symbol;
export type Brand<T, B extends string> = T & { readonly [brand]: B };
