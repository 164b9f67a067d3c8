/**
 * A pure function's answers, remembered: notices and letters ask the same questions many times
 * (every notice of a wake, every line of a composition, shares its instant). Bounded: past
 * `limit` answers the memory starts again, so a long-lived worker does not grow with it.
 */
export function remembered<A extends unknown[], R>(fn: (...args: A) => R, key: (...args: A) => string = (...args) => args.join('|'), limit = 10_000): (...args: A) => R {
  const answers = new Map<string, R>();
  return (...args) => {
    const k = key(...args);
    let r = answers.get(k);
    if (r === undefined) {
      r = fn(...args);
      if (answers.size >= limit) answers.clear();
      answers.set(k, r);
    }
    return r;
  };
}
