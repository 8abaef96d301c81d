package profiles

import "strings"

// isMiss reports whether an error of the cache client means that the key is
// not in the cache, which is normal: the profile is then loaded from the
// database. Any other error is a cache failure.
//
// v1 and v2 each have their own ErrNotFound, and errors.Is only matches one
// of them; both say "not found", so match the text.
func isMiss(err error) bool {
	return strings.Contains(err.Error(), "not found")
}
