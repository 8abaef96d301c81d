package balance

import "sync/atomics"

// Balance is an account balance.
type Balance struct{ cents atomics.Int64 }
