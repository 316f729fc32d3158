// Lint rules that keep the process boundaries visible (docs/ARCHITECTURE.md).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import vue from 'eslint-plugin-vue'
import vueParser from 'vue-eslint-parser'
import globals from 'globals'

const nodeOnly = ['electron', 'better-sqlite3', 'node:*', 'fs', 'path', 'kysely']

export default [
  { ignores: ['out/**', 'dist/**', 'release/**', 'node_modules/**', 'coverage/**', 'test-output/**', '.native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...vue.configs['flat/recommended'],
  {
    files: ['**/*.vue'],
    languageOptions: { parser: vueParser, parserOptions: { parser: tseslint.parser, sourceType: 'module' } },
  },
  {
    languageOptions: { globals: { ...globals.node }, ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'vue/multi-word-component-names': 'off',
      'vue/max-attributes-per-line': 'off',
      'vue/singleline-html-element-content-newline': 'off',
      'vue/html-self-closing': 'off',
      'vue/html-indent': 'off',
      'vue/html-closing-bracket-newline': 'off',
      'vue/multiline-html-element-content-newline': 'off',
    },
  },
  {
    // The contract folder is shared with the renderer: no Node, Electron or database code.
    files: ['src-main/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [...nodeOnly, '../db/*', '../services/*', '../server/*', '../electron/*'].map((group) => ({ group: [group], message: 'src-main/shared is imported by the renderer' })) }],
    },
  },
  {
    // Services are plain functions over Kysely: no Electron, no HTTP.
    files: ['src-main/services/**/*.ts', 'src-main/db/**/*.ts', 'src-main/api/**/*.ts', 'src-main/demo/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'No Electron in the domain (see docs/ARCHITECTURE.md).' }] }] },
  },
  {
    // The renderer imports only type contracts and pure helpers from the main side.
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.vue'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/src-main/*', '!**/src-main/shared'], message: 'The renderer may import only src-main/shared.' },
            { group: ['**/src-main/{api,db,services,server,electron,cli,demo,preload}/**'], message: 'The renderer may import only src-main/shared.' },
            { group: nodeOnly, message: 'The renderer runs in a browser sandbox.' },
          ],
        },
      ],
    },
  },
]
