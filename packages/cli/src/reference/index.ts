export { OUTPUT, SHAPES, type OutputDoc } from './output.js';
export { README_END, README_START, renderCliDoc, renderReadmeSection, withReadmeSection } from './render.js';
