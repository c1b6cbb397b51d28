// A bounded overall timer for a step that must finish in time. (Waiting for a condition is the
// shared waitFor of @crosstalk/core/test-support, as in every test.)

/** Rejects if `promise` takes longer than `ms`. */
export function within(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
