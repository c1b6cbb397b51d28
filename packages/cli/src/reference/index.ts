export { OUTPUT, SHAPES } from './output.js';
export { renderCliDoc, withReadmeSection } from './render.js';
