// Where a finding or a value came from: a file and an RFC 6901 pointer into it. Shared by every engine stage.

/** A place in a template file. `pointer` is an RFC 6901 JSON pointer; the loader turns it into a line and column. */
export interface Location {
  readonly file: string;
  readonly pointer: string;
  /** For problems found while reading the text (no pointer yet): the offset of the problem. */
  readonly offset?: number;
}

export type Severity = 'error' | 'warning' | 'note';

/** A problem before severity and position are applied: a rule id, the message, and where. */
export interface RawFinding {
  readonly ruleId: string;
  readonly message: string;
  readonly at: Location;
  /** The deployed name of the resource the finding is about, when there is one. */
  readonly resource?: string;
  /** How to fix it, when this problem needs other words than its rule's help (an unreadable file). */
  readonly help?: string;
}
