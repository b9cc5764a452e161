// What a "bad" loan is, in one place: the behaviour scorecard's target. The simulator labels its training
// rows with it and model monitoring judges matured decisions with it; if they disagreed, the model would be
// monitored against a different outcome from the one it was trained on.

/** Days past due from which a loan counts as bad. */
export const badDpdMin = 30;
