package counter

import "github.com/google/uuid"

// NewID returns a request id.
func NewID() string { return uuid.NewString() }
