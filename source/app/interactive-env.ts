// Imported before anything loads React or Ink: both read the environment once, when first loaded.

// React picks its build then: without NODE_ENV it is the development one, slower per key press and heavier on
// memory, with checks meant for whoever writes the components.
process.env['NODE_ENV'] ??= 'production';

// Ink draws nothing but the last frame when CI or CONTINUOUS_INTEGRATION is set. A full-screen client on a
// terminal is interactive whatever a leaked CI variable says (CI runners and the tmux tests set it too).
if (process.stdout.isTTY) {
	delete process.env['CI'];
	delete process.env['CONTINUOUS_INTEGRATION'];
}

export {};
