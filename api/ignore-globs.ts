// The ignore globs (--ignore, a configuration's `ignore`) matched against paths one by one, as the folder search's
// globby (fast-glob) matches them: for files that are named rather than searched, and names a glob search cannot
// reach (a line break in the path).

/**
 * Whether a path (relative to the ignore globs' folder, '/'-separated) is one the folder search's ignore globs leave
 * out, matched as fast-glob matches them (micromatch, `dot`, a leading '!' dropped; `**` spans line breaks too): the
 * path itself, or a folder on its way (`infra` and `infra/` leave out what is below). One regular expression per
 * glob, each path tested against them: naming 20,000 files with an ignore glob took minutes as one globby call with
 * a pattern per file.
 */
export async function ignoreMatcher(globs: readonly string[]): Promise<(rel: string) => boolean> {
  const { default: micromatch } = await import('micromatch');
  // With the 's' flag: micromatch writes `**` with '.', which does not match a line break, and a name may hold one.
  const res = globs.map((g) => {
    const re = micromatch.makeRe(g.startsWith('!') ? g.slice(1) : g, { dot: true, posix: true, strictSlashes: false });
    return new RegExp(re.source, `${re.flags.replace('s', '')}s`);
  });
  const any = (p: string): boolean => res.some((re) => re.test(p));
  return (rel) => {
    if (any(rel)) return true;
    for (let cut = rel.indexOf('/'); cut >= 0; cut = rel.indexOf('/', cut + 1)) {
      const folder = rel.slice(0, cut);
      if (any(folder) || any(`${folder}/`)) return true;
    }
    return false;
  };
}
