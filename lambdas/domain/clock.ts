/** Time, injected so use cases and tests agree on "now". */

export type Clock = () => number;
