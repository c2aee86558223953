// React picks its build when first loaded: without NODE_ENV it is the development one, slower per key press and
// heavier on memory, with checks meant for whoever writes the components. Imported before anything loads React or Ink.
process.env['NODE_ENV'] ??= 'production';

export {};
