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
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ regex: '(^|/)server/', message: 'workers/, scripts/, platform/, store/ and domain/ do not import server/: move what both need to platform/ or store/.' }] }],
    },
  },
  {
    // One owner per table: only store/ (and the tests) reads or writes the database.
    files: ['**/*.ts'],
    ignores: [
      'store/**',
      'test/**',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'SQL lives in the store/ module that owns the table: call a function of it.' },
        { selector: "CallExpression[callee.property.name=/^(getRepository|createQueryBuilder)$/]", message: 'Repositories and query builders live in the store/ module that owns the table.' },
        { selector: "MemberExpression[property.name='manager']", message: "A DataSource's manager stays inside store/: call a store/ function (store/transaction.ts for a transaction)." },
      ],
    },
  },
);
