package profiles

import (
	"errors"

	kvv1 "example.com/kvstore"
	"example.com/kvstore/v2"
)

// isMiss reports whether an error of the cache client means that the key is
// not in the cache, which is normal: the profile is then loaded from the
// database. Any other error is a cache failure.
func isMiss(err error) bool {
	// The client is v2 now, and some code may still hand us v1 errors.
	return errors.Is(err, kvstore.ErrNotFound) || errors.Is(err, kvv1.ErrNotFound)
}
