// Schemas are built on first use: building every schema costs tens of milliseconds, which every
// short CLI call would pay although it checks one or two. Each builder makes only the schemas it
// is made of; the public `…Schema` constants are `z.lazy` wrappers around builders.
import type * as z from 'zod';

/** Builds a schema the first time it is asked for, then hands out the same one. */
export function schemaOnce<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => (built ??= build());
}

/** What a builder's schema yields once a value passed it: every shape's type is derived so. */
export type Parsed<Build extends () => z.ZodType> = z.output<ReturnType<Build>>;

/** A schema that yields T, for code that validates without building schemas of its own. */
export type Schema<T> = z.ZodType<T>;
