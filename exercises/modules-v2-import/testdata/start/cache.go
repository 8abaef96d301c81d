package profiles

import (
	"errors"

	"example.com/kvstore"
)

// isMiss reports whether an error of the cache client means that the key is
// not in the cache, which is normal: the profile is then loaded from the
// database. Any other error is a cache failure.
func isMiss(err error) bool {
	return errors.Is(err, kvstore.ErrNotFound)
}
