// The conversation rules (SPEC §4) as pure functions: (state, command) → events, or a thrown
// CrosstalkError that changes nothing. The relay wires them to HTTP and the log.
export type { CloseCommand, ModerateCommand, OpenCommand, Outcome, PostCommand } from './commands.js';
export { checkActingSession, getConversation, rotationNext, sessionsToWake } from './checks.js';
export { decideClose, decideModerate } from './moderate.js';
export { decideOpen, decidePost } from './open-post.js';
export { decideArchive, decideDelete, type RemovalCommand } from './remove.js';
