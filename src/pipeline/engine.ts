/**
 * The engine: all that turns a unit into files (templates, fonts, both writers and the libraries
 * under them: Handlebars, parse5, pdfkit, fontkit, docx, fflate). It is most of the code a
 * build runs, and all of the code a check does not, so `npm run compile` bundles it on its own
 * (dist/bundle/engine.cjs) with V8's compiled code for it: see load-engine.ts.
 */
export { loadTemplates } from '../render/templates.js';
export { loadFonts } from '../write/fonts.js';
export { produce } from './render.js';
