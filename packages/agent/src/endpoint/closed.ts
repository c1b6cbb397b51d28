// Callbacks for a connection's hang-up, kept in one set per connection signal: a request that
// waits registers and unregisters a plain function, and the signal gets a single listener for the
// whole connection, not one per request (an AbortSignal listener costs more than the rest of a
// quick request's bookkeeping).
const watchers = new WeakMap<AbortSignal, Set<() => void>>();

/** Calls `fn` once `signal` aborts (not if it already has); returns what stops that. */
export function whenClosed(signal: AbortSignal, fn: () => void): () => void {
  let set = watchers.get(signal);
  if (set === undefined) {
    const fns = new Set<() => void>();
    set = fns;
    watchers.set(signal, fns);
    signal.addEventListener(
      'abort',
      () => {
        const called = [...fns];
        fns.clear();
        for (const f of called) f();
      },
      { once: true },
    );
  }
  const fns = set;
  fns.add(fn);
  return () => {
    fns.delete(fn);
  };
}
