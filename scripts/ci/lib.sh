# Shared by the CI scripts (source it from the repository root).

# snapshot DEST: copies what a clean clone of this working tree would hold (tracked files and untracked ones
# that .gitignore does not exclude) to DEST, so integrations are tested on the uncommitted tree as CI sees it.
snapshot() {
  local dest=$1
  mkdir -p "$dest"
  git ls-files -z --cached --others --exclude-standard | while IFS= read -r -d '' f; do
    if [ -e "$f" ]; then
      mkdir -p "$dest/$(dirname "$f")"
      cp -P "$f" "$dest/$f"
    fi
  done
}
