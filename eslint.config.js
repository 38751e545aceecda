import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', '.test-data/**', 'test-output/**', 'bin/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Migrations are frozen in time and typed as Kysely<any> on purpose; tests read loosely typed JSON.
    files: ['schema/**/*.ts', 'tests/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // Workflow code is replayed; it must stay deterministic, so no Node built-ins and no I/O libraries.
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...nodeBuiltins, 'pg', 'kysely', 'nodemailer', 'fastify', '@temporalio/client', '@temporalio/worker'],
          patterns: processFolders(['api', 'worker', 'cli']),
        },
      ],
    },
  },
  // The layout shows what each folder may touch: nothing imports a process folder (api/, worker/, cli/) from outside
  // it. Processes share infra/ and services/ instead. (Tests, scripts and benchmarks compose processes.)
  ...[['activities', 'schema', 'services', 'infra', 'config'], ['api'], ['worker'], ['cli']].map((folders) => ({
    files: folders.map((f) => `${f}/**/*.ts`),
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: processFolders(['api', 'worker', 'cli'].filter((p) => !folders.includes(p))) },
      ],
    },
  })),
);

function processFolders(names) {
  return names.map((name) => ({
    group: [`**/${name}/**`, `../${name}/*`],
    message: `${name}/ is a process: share code through services/ or infra/`,
  }));
}
