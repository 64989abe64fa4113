// The rule-pack format v1, as a JSON Schema. This module is the single source: `rules/pack.schema.json`
// (for editors' autocomplete) is generated from it by `node build.mjs` and a test keeps the two equal.
// The engine validates packs with its own small interpreter of this schema (schema.ts): no code generation,
// so it also runs under an extension's content security policy.

type Schema = Record<string, unknown>;

const stringOrList = (description: string): Schema => ({
  description,
  anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' }, minItems: 1 }],
});

import { SEVERITIES, TOKEN_FIELDS as tokenFields } from './vocabulary';

const tokenSpec: Schema = {
  type: 'object',
  description:
    'One token of a morpheme pattern. Every field given must match (a list means any of its values; a value ending in * matches by prefix).',
  additionalProperties: false,
  properties: {
    ...Object.fromEntries(tokenFields.map((f) => [f, stringOrList(`kuromoji/IPADIC field ${f}`)])),
    not: { $ref: '#/definitions/tokenFieldsOnly', description: 'The token must NOT match all of these fields.' },
    optional: { type: 'boolean', description: 'The token may be absent.' },
    any: { type: 'boolean', description: 'Wildcard: matches any token (min..max of them).' },
    min: { type: 'integer', minimum: 0, maximum: 20, description: 'With any: fewest tokens (default 1).' },
    max: { type: 'integer', minimum: 1, maximum: 20, description: 'With any: most tokens (default min, or 1).' },
    mark: { type: 'boolean', description: 'The finding spans the marked tokens only (default: the whole match).' },
  },
};

const tokenFieldsOnly: Schema = {
  type: 'object',
  additionalProperties: false,
  properties: Object.fromEntries(tokenFields.map((f) => [f, stringOrList(`kuromoji/IPADIC field ${f}`)])),
};

const matcherProperties: Schema = {
  phrases: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, description: 'Literal strings.' },
  regex: stringOrList('RE2 regular expressions (linear time; no backreferences or lookaround).'),
  pattern: { type: 'array', items: { $ref: '#/definitions/tokenSpec' }, minItems: 1, description: 'Token sequence.' },
  negated: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1,
    description: 'Words in their dictionary form (届く, 使う, ログイン, 連絡) that match only when negated, in any form: 届かない, 届きません, 届かなかった, 届かず, 届いておりません, 使えない, ログインができません, 連絡がない. Kana and kanji spellings of a word match each other.' },
  notFollowedBy: { type: 'array', items: { $ref: '#/definitions/tokenSpec' }, minItems: 1,
    description: 'With pattern: discard a match immediately followed by these tokens.' },
  notPrecededBy: { type: 'array', items: { $ref: '#/definitions/tokenSpec' }, minItems: 1,
    description: 'With pattern: discard a match immediately preceded by these tokens.' },
  except: { type: 'array', items: { type: 'string', minLength: 1 },
    description: 'Discard a match that lies inside an occurrence of one of these strings (e.g. どなたでも for でも).' },
  exceptInSentence: { type: 'array', items: { type: 'string', minLength: 1 },
    description: 'Discard a match when its sentence contains one of these strings.' },
  exceptWithin: stringOrList(
    'RE2 regular expressions: discard a match lying wholly inside a match of one of them (e.g. （[^）]*） for text in parentheses, 「[^」]*」 for a quotation).'),
};

const matcher: Schema = {
  type: 'object',
  description: 'What to look for: phrases, regex or a token pattern, with exceptions.',
  additionalProperties: false,
  properties: matcherProperties,
};

const suggestion: Schema = {
  anyOf: [
    { type: 'string' },
    { type: 'object', additionalProperties: false, required: ['text'],
      properties: {
        text: { type: 'string', description: 'Replacement for the flagged span, or with insert, the text to add. 〇〇 marks a blank the agent fills in: it is selected after applying.' },
        label: { type: 'string', description: 'Short Japanese label for the card, e.g. 代替案を添える.' },
        insert: {
          enum: ['after-sentence', 'reply-start', 'after-greeting', 'before-closing', 'reply-end'],
          description: 'Add the text instead of replacing the span: after-sentence (after the sentence holding the finding), reply-start (first line: an addressee), after-greeting (after the addressee and greeting lines), before-closing (before よろしくお願いいたします and the signature), reply-end. Absent: replace the span (reply-level findings: reply-end).',
        },
      } },
  ],
};

const example: Schema = {
  anyOf: [
    { type: 'string', minLength: 1 },
    {
      type: 'object',
      additionalProperties: false,
      required: ['draft'],
      properties: {
        draft: { type: 'string', minLength: 1 },
        customer: { type: 'string', description: "The customer's message, for rules gated on it." },
        fixed: { type: 'string', description: 'The draft after applying a suggestion (the first, or the one `suggestion` names) to the first finding of this rule.' },
        suggestion: { type: 'integer', minimum: 0, description: 'With fixed: which suggestion to apply, 0-based (default 0).' },
      },
    },
  ],
};

const commonRule: Schema = {
  id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$', description: 'Unique within the pack; stable.' },
  kind: { enum: ['phrase', 'morpheme', 'substitution', 'requirement', 'conditional'] },
  category: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$',
    description: 'forbidden-phrase, negative-expression, keigo, missing-apology, missing-empathy, missing-next-step, or your own.' },
  severity: { enum: [...SEVERITIES] },
  message: { type: 'string', minLength: 1, description: 'Japanese, shown to the agent. {match} is the matched text.' },
  description: { type: 'string', description: 'Why: shown in the card.' },
  link: { type: 'string', pattern: '^https://', description: 'A page explaining the rule.' },
  enabled: { type: 'boolean', description: 'false ships the rule switched off.' },
  fix: { enum: ['safe'],
    description: 'safe: `kizuki check --fix` may apply the first suggestion without a person reading it (it never changes the meaning and leaves no blank to fill in).' },
  examples: {
    type: 'object',
    additionalProperties: false,
    description: 'Examples are tests: each flag example must produce a finding of this rule, each pass example none.',
    properties: {
      flag: { type: 'array', items: example },
      pass: { type: 'array', items: example },
    },
  },
};

const spanOptions: Schema = {
  once: { type: 'boolean', description: 'Report only the first occurrence of each distinct matched text in a reply.' },
  minOccurrences: { type: 'integer', minimum: 2, maximum: 100,
    description: 'Report only when the reply has at least this many matches (e.g. overuse).' },
};

const rule = (kind: string, required: string[], properties: Schema): Schema => ({
  type: 'object',
  additionalProperties: false,
  required: ['id', 'kind', 'category', 'severity', 'message', ...required],
  properties: { ...commonRule, kind: { const: kind }, ...properties },
});

const whenSchema: Schema = {
  description: 'When the requirement applies: always, or when customer signals fired.',
  anyOf: [
    { const: 'always' },
    {
      type: 'object',
      additionalProperties: false,
      properties: {
        any: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'At least one of these signals.' },
        all: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'All of these signals.' },
        none: { type: 'array', items: { type: 'string' }, minItems: 1, description: 'None of these signals.' },
      },
    },
  ],
};

export const packSchema: Schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  // Stable for format 1: a pack's `$schema` may name it; the file itself ships in the npm package (rules/pack.schema.json).
  $id: 'https://kizuki.dev/schemas/pack-v1.json',
  title: 'kizuki rule pack v1',
  type: 'object',
  additionalProperties: false,
  // `rules` may be omitted by a pack that only adjusts earlier packs through `overrides`.
  required: ['id', 'name', 'version'],
  properties: {
    $schema: { type: 'string' },
    format: { const: 1, description: 'Pack format version.' },
    id: { type: 'string', pattern: '^[a-z0-9][a-z0-9._-]*$' },
    name: { type: 'string', minLength: 1 },
    version: { type: 'string', pattern: '^\\d+\\.\\d+\\.\\d+' },
    description: { type: 'string' },
    sendCheck: {
      enum: ['off', 'nudge', 'confirm'],
      description: 'The check before a public reply is sent: off, nudge (default) or confirm (error findings need an explicit tick). The managed policy wins; organisation packs win over the agent\'s.',
    },
    signals: {
      type: 'array',
      description: "Signals read from the customer's message; requirement rules are gated on them.",
      items: { $ref: '#/definitions/signal' },
    },
    rules: { type: 'array', items: { $ref: '#/definitions/rule' } },
    overrides: {
      type: 'array',
      description: 'Changes to rules of packs loaded earlier (built-in → organisation → team): switch off, severity, message.',
      items: { $ref: '#/definitions/override' },
    },
  },
  definitions: {
    override: {
      type: 'object',
      additionalProperties: false,
      required: ['rule'],
      properties: {
        rule: { type: 'string', pattern: '^([a-z0-9][a-z0-9._-]*/)?[a-z0-9][a-z0-9._-]*$',
          description: 'PACK/ID (e.g. builtin/conjunction-demo), or ID alone for that id in every earlier pack.' },
        enabled: { type: 'boolean', description: 'false switches the rule off; true switches on a rule shipped off.' },
        severity: { enum: [...SEVERITIES] },
        message: { type: 'string', minLength: 1, description: 'Replaces the message; {match} etc. work as in the rule.' },
        description: { type: 'string' },
        link: { type: 'string', pattern: '^https://' },
        fix: { enum: ['safe'], description: 'Marks the rule safe for `kizuki check --fix` (see the rule field fix).' },
      },
    },
    tokenSpec,
    tokenFieldsOnly,
    matcher,
    suggestion,
    signal: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'label'],
      properties: {
        id: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' },
        label: { type: 'string', description: 'Japanese, shown in the checklist reason.' },
        capture: { type: 'boolean', description: 'Keep regex group 1 as the signal value (e.g. the customer name).' },
        unless: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$' }, minItems: 1,
          description: "Signal ids that cancel this signal when they fire anywhere in the customer's message, in any sentence: a 解決しました followed by a new question is no report of a solved problem." },
        ...matcherProperties,
      },
    },
    rule: {
      type: 'object',
      discriminator: { propertyName: 'kind' },
      oneOf: [
        { $ref: '#/definitions/phraseRule' },
        { $ref: '#/definitions/morphemeRule' },
        { $ref: '#/definitions/substitutionRule' },
        { $ref: '#/definitions/requirementRule' },
        { $ref: '#/definitions/conditionalRule' },
      ],
    },
    phraseRule: rule('phrase', [], {
      ...matcherProperties,
      ...spanOptions,
      suggestions: { type: 'array', items: { $ref: '#/definitions/suggestion' } },
    }),
    morphemeRule: rule('morpheme', ['pattern'], {
      ...matcherProperties,
      ...spanOptions,
      suggestions: { type: 'array', items: { $ref: '#/definitions/suggestion' } },
    }),
    substitutionRule: rule('substitution', ['replace'], {
      ...matcherProperties,
      ...spanOptions,
      replace: {
        type: 'array',
        minItems: 1,
        items: { $ref: '#/definitions/suggestion' },
        description: 'Replacements; $0 is the whole match, $1.. regex groups or the Nth token of a pattern.',
      },
    }),
    requirementRule: rule('requirement', ['when', 'require', 'label'], {
      label: { type: 'string', minLength: 1, description: 'Checklist label, e.g. お詫び.' },
      when: whenSchema,
      withoutCustomer: { enum: ['required', 'not-required'],
        description: 'What to assume when no customer message is given (default not-required, or required for always).' },
      creditWhenPresent: { type: 'boolean',
        description: "When the customer's message gives no signal for it but the reply does it anyway (an apology, an acknowledgement), the checklist shows it done instead of not required. Default false." },
      require: { type: 'array', items: { $ref: '#/definitions/matcher' },
        description: 'The reply must contain one of these. Empty: can never be satisfied (an info card).' },
      answered: {
        type: 'object',
        additionalProperties: false,
        required: ['questions', 'answers'],
        description: "Not required when the customer's message is only a question the reply answers: one of `questions` (signal ids) fired, and the reply contains one of `answers`. A reply that does what `require` asks is still shown done.",
        properties: {
          questions: { type: 'array', minItems: 1, items: { type: 'string' }, description: 'Signal ids: questions the reply can settle by itself (いつ、いくら、何時まで).' },
          answers: { type: 'array', minItems: 1, items: { $ref: '#/definitions/matcher' }, description: 'What an answer to them contains (a figure, a date).' },
        },
      },
      suggestions: { type: 'array', items: { $ref: '#/definitions/suggestion' } },
    }),
    conditionalRule: rule('conditional', ['if'], {
      if: { $ref: '#/definitions/matcher' },
      then: { type: 'array', items: { $ref: '#/definitions/matcher' }, minItems: 1,
        description: 'If `if` matches, the reply must also contain one of these; each `if` match is flagged otherwise.' },
      notWith: { type: 'array', items: { $ref: '#/definitions/matcher' }, minItems: 1,
        description: 'If `if` matches and the reply also contains one of these, each `if` match is flagged.' },
      ...spanOptions,
      suggestions: { type: 'array', items: { $ref: '#/definitions/suggestion' } },
    }),
  },
};

/** The exact text of `rules/pack.schema.json`: build.mjs writes it and a test compares the committed file with it. */
export function packSchemaJson(): string {
  return JSON.stringify(packSchema, null, 2) + '\n';
}
