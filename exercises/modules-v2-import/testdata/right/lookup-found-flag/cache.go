package profiles

import "errors"

// isMiss reports whether an error of the cache client means that the key is
// not in the cache. Load asks the cache with Lookup, which reports a miss as
// found == false, so no error is ever a miss.
func isMiss(err error) bool {
	return errors.Is(err, errMiss)
}

// errMiss is what cached returns for a key that is not in the cache.
var errMiss = errors.New("not cached")
