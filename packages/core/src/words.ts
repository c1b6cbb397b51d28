// The closed vocabularies of the domain, as plain lists: kept apart from the schemas built on them
// so a command that only names them (the CLI's option table) loads no schema library.

// `human`: a person taking part from `crosstalk web`; never typed into, the page shows its turn.
export const SESSION_KINDS = ['claude-code', 'codex', 'other', 'human'] as const;
export const CONVERSATION_STATUSES = ['in-progress', 'at-limit', 'converged', 'closed'] as const;
export const RECEIPT_STATUSES = ['delivered', 'deferred', 'failed'] as const;
