// The error every entry point throws for a problem with the tool's own input (flags, options, config, files).

/** A problem with the tool's own input (flags, config, files): the CLI exits 2 with this message. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
