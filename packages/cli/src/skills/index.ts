export { applySkillPlan, installSkills, readSkillFiles } from './apply.js';
export { crosstalkGuide } from './guide.js';
export { claudeSkillText, codexSectionBody, planSkills, skillPaths, SKILL_NAME } from './plan.js';
export type { SkillAction, SkillChange, SkillPlan, SkillProduct, SkillRequest, SkillScope } from './plan.js';
export { removeSection, SECTION_BEGIN, SECTION_END, upsertSection } from './section.js';
