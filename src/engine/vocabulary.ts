// Word lists the pack format, the engine and the tools share, each in one place.

/** Severities, most severe first. */
export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}

/** The kuromoji/IPADIC token fields a token pattern may test. */
export const TOKEN_FIELDS = ['surface', 'pos', 'pos_detail_1', 'pos_detail_2', 'pos_detail_3', 'conjugated_type',
  'conjugated_form', 'basic_form', 'reading'] as const;
export type TokenField = (typeof TOKEN_FIELDS)[number];
