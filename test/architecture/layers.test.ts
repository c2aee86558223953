import {readdir, readFile} from 'node:fs/promises';
import {dirname, join, relative, resolve} from 'node:path';
import {fileURLToPath} from 'node:url';
import {beforeAll, describe, expect, it} from 'vitest';

const sourceDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../source');

type Module = {path: string; imports: string[]; packages: string[]};

/** Every .ts/.tsx file under source/, with the source files and the packages it imports (type-only imports too). */
async function readModules(): Promise<Map<string, Module>> {
	const modules = new Map<string, Module>();
	const walk = async (dir: string): Promise<void> => {
		for (const entry of await readdir(dir, {withFileTypes: true})) {
			const path = join(dir, entry.name);
			if (entry.isDirectory()) {
				// eslint-disable-next-line no-await-in-loop -- a small tree
				await walk(path);
			} else if (/\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
				// eslint-disable-next-line no-await-in-loop -- a small tree
				const text = await readFile(path, 'utf8');
				const specifiers = [...text.matchAll(/^\s*(?:import|export)\b[^'"]*?\bfrom\s+['"]([^'"]+)['"]|^\s*import\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm)]
					.map(match => match[1] ?? match[2] ?? match[3]!);
				const imports = specifiers.filter(specifier => specifier.startsWith('.'))
					.map(specifier => relative(sourceDir, resolve(dirname(path), specifier)).replace(/\.js$/, ''));
				const packages = specifiers.filter(specifier => !specifier.startsWith('.') && !specifier.startsWith('node:'));
				modules.set(relative(sourceDir, path).replace(/\.tsx?$/, ''), {path, imports, packages});
			}
		}
	};

	await walk(sourceDir);
	return modules;
}

/** The import circles among `modules`, each as the list of modules around it (Tarjan's strongly connected components). */
function importCircles(modules: Map<string, Module>): string[][] {
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const circles: string[][] = [];
	const visit = (name: string) => {
		index.set(name, counter);
		low.set(name, counter++);
		stack.push(name);
		onStack.add(name);
		for (const next of modules.get(name)?.imports ?? []) {
			if (!modules.has(next)) {
				continue;
			}

			if (!index.has(next)) {
				visit(next);
				low.set(name, Math.min(low.get(name)!, low.get(next)!));
			} else if (onStack.has(next)) {
				low.set(name, Math.min(low.get(name)!, index.get(next)!));
			}
		}

		if (low.get(name) === index.get(name)) {
			const component: string[] = [];
			for (let member = stack.pop(); member !== undefined; member = stack.pop()) {
				onStack.delete(member);
				component.push(member);
				if (member === name) {
					break;
				}
			}

			if (component.length > 1 || modules.get(name)?.imports.includes(name)) {
				circles.push(component.sort());
			}
		}
	};

	for (const name of modules.keys()) {
		if (!index.has(name)) {
			visit(name);
		}
	}

	return circles;
}

describe('the layers of source/ (STYLE.md: imports point down, no circles)', () => {
	let modules: Map<string, Module>;

	beforeAll(async () => {
		modules = await readModules();
	});

	it('reads the tree it checks, so that the checks below cannot pass on nothing', () => {
		expect(modules.size).toBeGreaterThan(100);
		expect(modules.get('engine/engine')?.imports).toContain('engine/pool/transfer-pool');
		expect(modules.get('components/App')?.packages).toContain('ink');
		expect(importCircles(new Map([
			['a', {path: 'a', imports: ['b'], packages: []}],
			['b', {path: 'b', imports: ['a'], packages: []}],
			['c', {path: 'c', imports: ['a'], packages: []}],
		]))).toEqual([['a', 'b']]);
	});

	it('has no import circles', () => {
		expect(importCircles(modules)).toEqual([]);
	});

	it('keeps React and Ink out of the engine, the agent, the shared transfer planner and the batch CLI', () => {
		const offenders = [...modules.entries()]
			.filter(([name]) => /^(engine|agent|transfers|commands)\//.test(name))
			.filter(([, module]) => module.packages.some(name => /^(react|ink)(-|\/|$)/.test(name)))
			.map(([name]) => name);
		expect(offenders).toEqual([]);
	});

	it('lets the engine import nothing from the layers above it', () => {
		const upward = [...modules.entries()]
			.filter(([name]) => name.startsWith('engine/'))
			.flatMap(([name, module]) => module.imports.filter(target => !target.startsWith('engine/')).map(target => `${name} → ${target}`));
		expect(upward).toEqual([]);
	});
});
