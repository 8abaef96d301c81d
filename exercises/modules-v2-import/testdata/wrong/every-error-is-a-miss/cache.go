package profiles

// isMiss reports whether an error of the cache client means that the key is
// not in the cache, which is normal: the profile is then loaded from the
// database.
//
// Whatever went wrong with the cache, the database has the profile: serve it
// from there rather than failing the page.
func isMiss(err error) bool {
	return err != nil
}
