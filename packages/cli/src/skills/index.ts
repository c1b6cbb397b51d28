export { installSkills, readSkillFiles } from './apply.js';
export { claudeSkillText, planSkills, skillPaths } from './plan.js';
export type { SkillProduct, SkillRequest } from './plan.js';
export { codexTrustGaps } from './hooks-plan.js';
