import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'engine/**', 'dist/**', 'ui/dist/**', '.data/**', 'artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['server/public/**/*.js'],
    languageOptions: { globals: { document: 'readonly', fetch: 'readonly', location: 'readonly', window: 'readonly' } },
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // The external-task client swallows rejections: every promise must be awaited or handled.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // The layers: workers and scripts stand on platform/, store/ and domain/, never on the server.
    files: ['workers/**/*.ts', 'scripts/**/*.ts', 'platform/**/*.ts', 'store/**/*.ts', 'domain/**/*.ts'],
    ignores: ['scripts/bench/api-volume.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)server/', message: 'workers/, scripts/, platform/, store/ and domain/ do not import server/: move what both need to platform/ or store/.' }] }],
    },
  },
);
