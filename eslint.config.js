import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'schema/trusted-documents/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports.' }],
    },
  },
  {
    // The GraphiQL page's script runs in the browser.
    files: ['src/http/graphiql/browser.js'],
    languageOptions: { globals: { window: 'readonly', document: 'readonly' } },
  },
  {
    // Jest requires default exports from its global setup and teardown, and config files are default exports.
    files: ['test/support/global-*.ts', '*.config.js'],
    rules: { 'no-restricted-syntax': 'off' },
  },
);
