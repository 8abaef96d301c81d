// Package drivers links in the database/sql drivers the payout tools use.
// Their init functions register them, so sql.Open finds them by name.
package drivers

import (
	_ "init-driver-registration/ledgerdb"
)
