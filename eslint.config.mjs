// ESLint (flat config): typescript-eslint's recommended rules over the TypeScript and the bench scripts;
// formatting is Prettier's job (eslint-config-prettier turns the overlapping rules off).
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/',
      'node_modules/',
      'var/',
      'coverage/',
      '.neo4j/',
      '.services/',
      'models/',
      'docs/',
      'tools/',
      'examples/client/src/gql/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
        module: 'writable',
        URL: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true },
      ],
      // Domains add their reasons and Cypher keys to one interface by declaration merging (an empty base, `extends X {}`).
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'always' }],
      // Ids and strings are checked for control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  // CommonJS scripts (bench runner, jest config and environment).
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs' }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
  // Tests, benchmarks and the demo read untyped GraphQL JSON answers.
  { files: ['test/**', 'bench/**', '**/*.spec.ts', 'src/cli/demo.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  prettier,
);
